"""Safe defaults of the workbench, as one ASGI middleware and a CSRF check.

* Access token (when the server is reachable from other machines): every
  request carries it, as `?token=` once (which sets an HttpOnly, SameSite=Strict
  cookie and redirects to the URL without it, so it leaves the address bar),
  as the cookie, or as `Authorization: Bearer`.  None given: 401; a wrong one: 403.
* Host header check (optional): a page bound to 127.0.0.1 is still reachable by
  a hostile site through DNS rebinding unless foreign Host headers are refused.
* Request bodies over MAX_BODY_BYTES: 413, whatever Content-Length claims.
* CSRF: each browser gets a random token in a SameSite=Strict cookie; every
  form echoes it (`csrf_token`) or a script sends `X-CSRF-Token`.  The form
  field can only be checked where the form is read, so endpoints call
  `csrf_ok`; the middleware only issues the cookie.
* Security headers on every response, errors included.
"""
from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Sequence
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlencode

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000
TOKEN_COOKIE = "plandiff_token"
CSRF_COOKIE = "plandiff_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
TOKEN_PARAM = "token"
CSRF_BYTES = 32
MAX_COOKIE_TOKEN_CHARS = 200      # longer cookie values are not tokens we issued
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    # Scripts and styles only from /static: no inline script, so injected markup cannot run.
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
     b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
)


def new_token() -> str:
    return secrets.token_urlsafe(CSRF_BYTES)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two secrets (False when either is missing)."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8", "replace"))


def cookie_header(name: str, value: str, *, http_only: bool = True, max_age: int | None = None) -> bytes:
    parts = [f"{name}={value}", "Path=/", "SameSite=Strict"]
    if http_only:
        parts.append("HttpOnly")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts).encode("latin-1")


def read_cookies(headers: Sequence[tuple[bytes, bytes]]) -> dict[str, str]:
    """The cookies of a request's raw ASGI headers."""
    jar: SimpleCookie = SimpleCookie()
    for value in (v.decode("latin-1") for k, v in headers if k == b"cookie"):
        try:
            jar.load(value)
        except Exception:   # noqa: BLE001 - a malformed Cookie header is the client's problem: ignore it
            continue
    return {k: m.value for k, m in jar.items()}


def csrf_token(request: Request) -> str:
    """The browser's CSRF token, to echo in forms (set by the middleware)."""
    return str(request.scope["state"]["csrf_token"])


def csrf_ok(request: Request, form_value: str | None) -> bool:
    """The form's (or header's) CSRF token matches this browser's cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = form_value or request.headers.get(CSRF_HEADER)
    return same(cookie, sent)


def _host_name(host: str) -> str:
    if host.startswith("["):          # [::1]:8765
        return host[1:].split("]", 1)[0].lower()
    return host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, token: str | None = None,
                 allowed_hosts: Sequence[str] | None = None, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.token = token
        self.allowed_hosts = {h.strip("[]").lower() for h in allowed_hosts} if allowed_hosts else None
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = read_cookies(scope["headers"])
        set_cookies: list[bytes] = []

        if self.allowed_hosts is not None and _host_name(headers.get("host", "")) not in self.allowed_hosts:
            await _plain(send, 400, "unknown Host header")
            return

        if self.token is not None:
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
            auth = headers.get("authorization", "")
            bearer = auth[7:].strip() if auth[:7].lower() == "bearer " else None
            offered = [t for t in (bearer, cookies.get(TOKEN_COOKIE), query.get(TOKEN_PARAM)) if t]
            if not offered:
                await _plain(send, 401, "an access token is needed: open the URL the server printed")
                return
            if not any(same(t, self.token) for t in offered):
                log.warning("refused a request with a wrong access token from %s", scope.get("client"))
                await _plain(send, 403, "wrong access token")
                return
            if same(query.get(TOKEN_PARAM), self.token) and scope["method"] in ("GET", "HEAD"):
                # Swap the token in the URL for a cookie and drop it from the address bar.
                rest = urlencode([(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                                                                keep_blank_values=True) if k != TOKEN_PARAM])
                location = quote(scope["path"]) + (f"?{rest}" if rest else "")
                await _redirect(send, location, [cookie_header(TOKEN_COOKIE, self.token)])
                return

        if scope["method"] in BODY_METHODS:
            length = headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_body):
                await _plain(send, 413, "request body too large")
                return
            body = await _read_body(receive, self.max_body)
            if body is None:
                await _plain(send, 413, "request body too large")
                return
            receive = _replay(body, receive)

        csrf = cookies.get(CSRF_COOKIE)
        if not csrf or len(csrf) > MAX_COOKIE_TOKEN_CHARS:
            csrf = new_token()
            set_cookies.append(cookie_header(CSRF_COOKIE, csrf))
        scope.setdefault("state", {})["csrf_token"] = csrf

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(SECURITY_HEADERS) + [(b"set-cookie", c) for c in set_cookies]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
                started.append(True)
            await send(message)

        started: list[bool] = []
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # A bug while answering: Starlette's own error page would go out from outside this
            # middleware, without the headers above. Log it, answer a plain 500 with them.
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if started:
                raise
            await _plain(send, 500, "internal error of the review workbench; see its log")


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None once it passes `limit` (chunked uploads lie about nothing)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, original: Receive) -> Receive:
    """The body read once more, then the client's own messages (its disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()
    return receive


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str, cookies: list[bytes]) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1", "replace")), (b"content-length", b"0"),
                            *SECURITY_HEADERS, *[(b"set-cookie", c) for c in cookies]]})
    await send({"type": "http.response.body", "body": b""})
