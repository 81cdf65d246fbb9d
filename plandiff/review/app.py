"""The workbench's routes: pages over one output folder, and the decide action.

    GET  /                                  plans with their review progress
    GET  /plan/{doc_id}                     a plan's queue, most doubtful first
    GET  /plan/{doc_id}/verdict?r=&p=       one verdict row, side by side
    GET  /plan/{doc_id}/search?side=&q=     find an item on the other side
    POST /plan/{doc_id}/decide              record a decision (303 to the next row, or JSON)
    POST /reviewer                          this browser's reviewer name (a cookie)
    GET  /static/{name}                     the stylesheet and the script

No route reads a path from the request: plans, rows and items are looked up
in the loaded tables, assets in a fixed dict.  Pages are rendered by Jinja
with autoescaping; the only markup built in code is the word diff, which
escapes every word itself (`plandiff.report.diff`).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from plandiff.align.model import ATTRIBUTE_FIELDS, CHANGE_FIELDS
from plandiff.decisions import MAX_NOTE_CHARS, MAX_REVIEWER_CHARS
from plandiff.errors import PlandiffError, UsageError
from plandiff.parse.model import Item
from plandiff.report.diff import word_diff
from plandiff.report.statuses import PAIRED_STATUSES

from .i18n import LANGS, ReviewTranslator
from .queue import MATCH_THRESHOLD, RowKey
from .security import CSRF_FIELD, SecurityMiddleware, csrf_ok, csrf_token
from .workbench import DecideRequest, NotFound, PlanView, RowGone, Workbench, outline_path

log = logging.getLogger(__name__)

REVIEWER_COOKIE = "plandiff_reviewer"
REVIEWER_COOKIE_SECONDS = 365 * 24 * 3600
MAX_FORM_FIELDS = 64          # the decide form has about ten; a flood of fields is refused
SHORT_SUFFIX = "…"
JSON_TYPE = "application/json"


def _load_assets() -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, media type): read once from the package, never from a request's path."""
    folder = resources.files("plandiff.review") / "static"
    types = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"}
    assets = {name: ((folder / name).read_bytes(), types[name.rsplit(".", 1)[1]])
              for name in ("app.css", "app.js")}
    # The tab icon, here rather than in a file: browsers ask for one on every page.
    assets["icon.svg"] = (ICON_SVG.encode(), "image/svg+xml")
    return assets


ICON_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
            '<rect width="16" height="16" rx="3" fill="#123a63"/>'
            '<path d="M4 8.5l2.5 2.5L12 5" stroke="#fff" stroke-width="2" fill="none"/></svg>')


ASSETS = _load_assets()


# ---------------------------------------------------------------- URLs and small helpers

def plan_url(doc_id: str) -> str:
    return f"/plan/{quote(doc_id, safe='')}"


def verdict_url(doc_id: str, key: RowKey) -> str:
    return f"{plan_url(doc_id)}/verdict?{urlencode({'r': key[0] or '', 'p': key[1] or ''})}"


def decide_url(doc_id: str) -> str:
    return f"{plan_url(doc_id)}/decide"


def search_url(doc_id: str) -> str:
    return f"{plan_url(doc_id)}/search"


def short(text: str | None, limit: int = 140) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + SHORT_SUFFIX


def attribute(item: Item, name: str) -> str:
    value = getattr(item, name)
    if isinstance(value, tuple):
        return ", ".join(value)
    return value or ""


def file_name(document: dict) -> str:
    path = document.get("source_path") or ""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def plan_name(document: dict) -> str:
    parts = [document.get("issuer"), document.get("plan_number")]
    name = " · ".join(p for p in parts if p)
    return name or short(document.get("title"), 80) or file_name(document) or document["doc_id"]


def environment(t: ReviewTranslator) -> Environment:
    env = Environment(loader=PackageLoader("plandiff.review", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      finalize=lambda value: "" if value is None else value)
    env.filters["short"] = short
    env.globals.update(t=t, lang=t.lang, plan_url=plan_url, verdict_url=verdict_url, decide_url=decide_url,
                       search_url=search_url, plan_name=plan_name, file_name=file_name, attribute=attribute,
                       attributes=ATTRIBUTE_FIELDS, change_fields=CHANGE_FIELDS, paired_statuses=PAIRED_STATUSES,
                       threshold=MATCH_THRESHOLD)
    return env


def _wants_json(request: Request) -> bool:
    return JSON_TYPE in request.headers.get("accept", "")


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def valid_reviewer(name: str) -> bool:
    return 0 < len(name.strip()) <= MAX_REVIEWER_CHARS and name.isprintable()


class ReviewApp:
    """The endpoints, over one workbench."""

    def __init__(self, bench: Workbench, reviewer: str, t: ReviewTranslator) -> None:
        self.bench = bench
        self.reviewer = reviewer
        self.t = t
        self.env = environment(t)
        # Compiled now, so that no reviewer's first page pays for it.
        for name in ("plans.html", "queue.html", "verdict.html", "search.html", "error.html"):
            self.env.get_template(name)
        # One background worker computes a plan's pair scores while its queue is read,
        # so the first verdict page of the plan does not wait for them.
        self.warmer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="review-warm")

    # ------------------------------------------------------------ rendering

    def reviewer_of(self, request: Request) -> str:
        name = unquote(request.cookies.get(REVIEWER_COOKIE, ""))
        return name.strip() if valid_reviewer(name) else self.reviewer

    def render(self, request: Request, template: str, status_code: int = 200, **context: object) -> HTMLResponse:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        html = self.env.get_template(template).render(csrf=csrf_token(request), reviewer=self.reviewer_of(request),
                                                      here=here, **context)
        return HTMLResponse(html, status_code=status_code)

    def error(self, request: Request, status_code: int, message: str, back_url: str = "/",
              back_label: str | None = None) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=status_code)
        return self.render(request, "error.html", status_code=status_code, message=message, back_url=back_url,
                           back_label=back_label or self.t("nav.plans"))

    def _view(self, request: Request) -> PlanView:
        try:
            return self.bench.view(request.path_params["doc_id"])
        except NotFound:
            raise HTTPException(404) from None

    # ------------------------------------------------------------ pages

    def plans(self, request: Request) -> Response:
        plans = self.bench.progress()
        return self.render(request, "plans.html", plans=plans, groups=self.bench.groups(plans))

    def queue(self, request: Request) -> Response:
        view = self._view(request)
        self.warmer.submit(self._warm, view)
        return self.render(request, "queue.html", view=view, children=self.bench.children(view.doc_id),
                           by_confidence=self.bench.snapshot().has_confidence)

    def verdict(self, request: Request) -> Response:
        view = self._view(request)
        r = request.query_params.get("r") or None
        p = request.query_params.get("p") or None
        position = view.find(r, p)
        if position is None:
            return self.error(request, 404, self.t("verdict.gone"), plan_url(view.doc_id), self.t("nav.queue"))
        row = view.rows[position]
        a = row.alignment
        diff_left = diff_right = None
        if row.reference_item is not None and row.plan_item is not None:
            diff_left, diff_right = word_diff(row.reference_item.full_text, row.plan_item.full_text)
        prev_url = verdict_url(view.doc_id, view.rows[position - 1].key) if position > 0 else None
        next_url = verdict_url(view.doc_id, view.rows[position + 1].key) if position + 1 < len(view.rows) else None
        return self.render(
            request, "verdict.html", view=view, row=row, position=position, prev_url=prev_url, next_url=next_url,
            candidates=self.bench.candidates(view, row), diff_left=diff_left, diff_right=diff_right,
            changes=a.changes, search_side="plan" if a.reference_item_id is not None else "reference",
            ref_outline=lambda item: outline_path(view.ref_all, item),
            plan_outline=lambda item: outline_path(view.plan_all, item))

    def search(self, request: Request) -> Response:
        view = self._view(request)
        side = request.query_params.get("side", "plan")
        if side not in ("plan", "reference"):
            side = "plan"
        q = request.query_params.get("q", "")
        r = request.query_params.get("r") or None
        p = request.query_params.get("p") or None
        found, more = self.bench.search(view, side, q)
        position = view.find(r, p)
        row_ok = position is not None
        # Pairing from a search needs the row's item on the side opposite the results.
        can_pair = row_ok and (r is not None if side == "plan" else p is not None)
        back_url = verdict_url(view.doc_id, (r, p)) if row_ok else plan_url(view.doc_id)
        return self.render(request, "search.html", view=view, side=side, q=q, r=r, p=p, found=found, more=more,
                           can_pair=can_pair, back_url=back_url, back_is_row=row_ok)

    def _warm(self, view: PlanView) -> None:
        try:
            self.bench.scores(view)
        except Exception:   # noqa: BLE001 - a failed warm-up is only a slower first page; say why
            log.exception("could not compute the pair scores of %s ahead", view.doc_id)

    def static(self, request: Request) -> Response:
        asset = ASSETS.get(request.path_params["name"])
        if asset is None:
            raise HTTPException(404)
        content, media_type = asset
        return Response(content, media_type=media_type)

    # ------------------------------------------------------------ actions

    async def _form(self, request: Request) -> FormData | Response:
        try:
            form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
        except Exception as exc:   # noqa: BLE001 - any malformed body is the client's: 400, never a 500
            log.info("malformed form: %s", exc)
            return self.error(request, 400, "malformed form")
        if not csrf_ok(request, _text(form, CSRF_FIELD) or None):
            log.warning("refused a POST to %s without a valid CSRF token", request.url.path)
            return self.error(request, 403, self.t("error.forbidden"))
        return form

    async def decide(self, request: Request) -> Response:
        form = await self._form(request)
        if isinstance(form, Response):
            return form
        doc_id = request.path_params["doc_id"]
        values = form.getlist("changes")
        # Browsers send every ticked box; the page says whether the reviewer touched them
        # (changes_given=1).  A client that does not send the marker sends changes on purpose.
        given = _text(form, "changes_given") == "1" if "changes_given" in form else bool(values)
        note = _text(form, "note")
        if len(note) > MAX_NOTE_CHARS:
            return self.error(request, 400, f"the note is longer than {MAX_NOTE_CHARS} characters")
        req = DecideRequest(
            subject_r=_text(form, "subject_r") or None, subject_p=_text(form, "subject_p") or None,
            action=_text(form, "action"), reviewer=self.reviewer_of(request),
            target=_text(form, "target") or None, status=_text(form, "status") or None,
            changes=tuple(v for v in values if isinstance(v, str)) if given else None, note=note)
        try:
            decision, following = await run_in_threadpool(self.bench.decide, doc_id, req)
        except NotFound:
            raise HTTPException(404) from None
        except RowGone as exc:
            return self.error(request, 409, str(exc), plan_url(doc_id), self.t("nav.queue"))
        except UsageError as exc:
            return self.error(request, 400, str(exc), plan_url(doc_id), self.t("nav.queue"))
        url = verdict_url(doc_id, following) if following else plan_url(doc_id)
        if _wants_json(request):
            return JSONResponse({"decision_id": decision.decision_id, "next": url})
        return RedirectResponse(url, status_code=303)

    async def set_reviewer(self, request: Request) -> Response:
        form = await self._form(request)
        if isinstance(form, Response):
            return form
        name = " ".join(_text(form, "reviewer").split())
        if not valid_reviewer(name):
            return self.error(request, 400, f"the reviewer's name must be 1 to {MAX_REVIEWER_CHARS} characters")
        back = _text(form, "back")
        # Only a path of this site: an absolute or protocol-relative URL would be an open redirect.
        if not back.startswith("/") or back.startswith("//") or "\\" in back:
            back = "/"
        response = RedirectResponse(back, status_code=303)
        response.set_cookie(REVIEWER_COOKIE, quote(name, safe=""), max_age=REVIEWER_COOKIE_SECONDS,
                            httponly=True, samesite="strict")
        return response

    async def not_found(self, request: Request, exc: Exception) -> Response:
        return self.error(request, 404, self.t("error.not_found"))

    async def failed(self, request: Request, exc: Exception) -> Response:
        """A plandiff error while answering (the decisions database locked for too long,
        tables without a reference): its message, never a traceback."""
        log.error("%s %s failed: %s", request.method, request.url.path, exc)
        return self.error(request, 500, str(exc))


def create_app(out_dir: str | Path, *, reviewer: str, lang: str = "vi", token: str | None = None,
               allowed_hosts: list[str] | None = None) -> Starlette:
    """The workbench over one output folder, as an ASGI application.

    `token`: every request must carry it (see `security`).  `allowed_hosts`:
    Host headers accepted (None: any; `serve` passes the bound host and the
    loopback names, against DNS rebinding).  UsageError when `out_dir` holds no
    tables, the language is unknown or the reviewer's name is empty."""
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    if not valid_reviewer(reviewer or ""):
        raise UsageError(f"the reviewer's name must be 1 to {MAX_REVIEWER_CHARS} printable characters")
    bench = Workbench(Path(out_dir))
    app = ReviewApp(bench, reviewer.strip(), ReviewTranslator(lang))
    routes = [
        Route("/", app.plans),
        Route("/plan/{doc_id}", app.queue),
        Route("/plan/{doc_id}/verdict", app.verdict),
        Route("/plan/{doc_id}/search", app.search),
        Route("/plan/{doc_id}/decide", app.decide, methods=["POST"]),
        Route("/reviewer", app.set_reviewer, methods=["POST"]),
        Route("/static/{name}", app.static),
    ]
    handlers: dict[int | type[Exception], Callable] = {404: app.not_found, PlandiffError: app.failed}
    starlette = Starlette(routes=routes, exception_handlers=handlers,
                          middleware=[Middleware(SecurityMiddleware, token=token, allowed_hosts=allowed_hosts)])
    starlette.state.workbench = bench      # for tests and the CLI's diagnostics
    return starlette
