"""HTML pages: a shell shared by every page, small escaping helpers, and the writer.

Every piece of document text goes through `esc` (or `word_diff`, which
escapes): a plan that contains `<script>` shows the characters, never runs them.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from .assets import CSS, JS
from .data import Plan, ReportData
from .i18n import Translator, format_date


def esc(value: object) -> str:
    return "" if value is None else escape(str(value), quote=True)


def page(title: str, header: str, body: str, lang: str, footer: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="plandiff">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header class="top">{header}</header>\n<main>\n{body}\n</main>\n'
        f"<footer>{footer}</footer>\n<script>{JS}</script>\n</body>\n</html>\n")


def badge(t: Translator, status: str | None, text: str | None = None) -> str:
    return (f'<span class="badge b-{esc(status or "none")}" title="{esc(t.status(status))}">'
            f'{esc(text if text is not None else t.status(status))}</span>')


def legend(t: Translator, statuses: tuple[str, ...]) -> str:
    items = "".join(
        f"<li>{badge(t, s, t.code(s))}<span><b>{esc(t.status(s))}</b>: "
        f"{esc(t(f'explain.{s}'))}</span></li>" for s in statuses)
    return f'<ul class="legend" aria-label="{esc(t("legend"))}">{items}</ul>'


def plan_name(t: Translator, plan: Plan) -> str:
    """What the reviewer calls the plan: its issuer, else its title, else its file."""
    if plan.issuer:
        return " ".join(plan.issuer.split())
    if plan.title:
        return " ".join(plan.title.split())
    return plan.file_name or t("unknown_issuer")


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quality_flags(t: Translator, plan: Plan) -> list[tuple[str, str]]:
    """(css class, message) pairs: what a reviewer should know about the text's quality."""
    if not plan.ok:
        return [("err", t("flag.failed", error=plan.error or ""))]
    flags = []
    if plan.ocr_pages:
        total = plan.pages or plan.ocr_pages
        if plan.ocr_confidence is not None:
            conf = f"{plan.ocr_confidence:.0f}%"
            flags.append(("warn", t("flag.ocr", n=plan.ocr_pages, total=total, conf=conf)))
        else:
            flags.append(("warn", t("flag.ocr_noconf", n=plan.ocr_pages, total=total)))
    if plan.diacritics_restored or plan.restored_pages:
        flags.append(("warn", t("flag.restored", n=plan.restored_pages or "?")))
    if plan.lacks_diacritics:
        flags.append(("warn", t("flag.no_diacritics")))
    if not plan.issuer:
        flags.append(("warn", t("flag.no_issuer")))
    return flags or [("ok", t("flag.ok"))]


def flags_html(t: Translator, plan: Plan) -> str:
    return '<ul class="flags">' + "".join(
        f'<li class="{cls}">{esc(msg)}</li>' for cls, msg in quality_flags(t, plan)) + "</ul>"


def date_text(value: object) -> str:
    return format_date(value)


def footer_html(t: Translator, data: ReportData) -> str:
    return esc(t("generated", out=str(data.out_dir))) + " · plandiff"


def write_html(data: ReportData, report_dir: Path, t: Translator) -> list[Path]:
    """index.html and one plan-<id>.html per plan; returns the paths written."""
    from .html_index import render_index
    from .html_plan import render_plan

    written = []
    index = report_dir / "index.html"
    index.write_text(render_index(data, t), encoding="utf-8")
    written.append(index)
    for plan in data.plans:
        path = report_dir / plan.page_name
        path.write_text(render_plan(data, plan, t), encoding="utf-8")
        written.append(path)
    return written
