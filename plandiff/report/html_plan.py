"""plan-<id>.html: one plan against the reference, item by item."""
from __future__ import annotations

from .data import Item, Plan, ReportData, Verdict
from .diff import word_diff
from .html import badge, date_text, esc, flags_html, footer_html, legend, page, plan_name
from .i18n import STATUSES, Translator, format_percent, format_score

ATTRIBUTES = ("lead", "partners", "timeline", "frequency")


def render_plan(data: ReportData, plan: Plan, t: Translator) -> str:
    name = plan_name(t, plan)
    header = (f'<p class="noprint"><a href="index.html">{esc(t("back"))}</a></p>'
              f"<h1>{plan.number}. {esc(name)}</h1>"
              f"<p>{esc(plan.title or '')}</p>")
    if not plan.ok:
        body = _meta(plan, t) + f'<p class="empty-msg">{esc(t("plan.failed"))}</p>'
        return page(name, header, body, t.lang, footer_html(t, data))
    verdicts = data.verdicts.get(plan.doc_id, [])
    pairs = [v for v in verdicts if v.status in ("carried", "modified")]
    dropped = [v for v in verdicts if v.status == "dropped"]
    added = sorted((v for v in verdicts if v.status == "added"), key=lambda v: v.item.ordinal)
    body = "\n".join([
        _meta(plan, t), _counts(plan, t), _filters(t, verdicts),
        _section(t, "plan.compared", _pairs_table(t, pairs), len(pairs)),
        _section(t, "plan.dropped", _list_table(t, dropped, "ref"), len(dropped)),
        _section(t, "plan.added", _list_table(t, added, "item"), len(added)),
    ])
    return page(f"{plan.number}. {name}", header, body, t.lang, footer_html(t, data))


# ---------------------------------------------------------------- header blocks

def _meta(plan: Plan, t: Translator) -> str:
    rows = [
        ("col.issuer", plan_name(t, plan)), ("col.level", t.level(plan.admin_level)),
        ("col.number", plan.plan_number), ("col.date", date_text(plan.issued_on)),
        ("plan.place", plan.place),
        ("plan.signer", " — ".join(p for p in (plan.signing_capacity, plan.signer) if p)),
        ("plan.parent_refs", ", ".join(plan.parent_refs)),
        ("plan.source", " · ".join(p for p in (
            t.source(plan.text_source), plan.pages and t("pages.n", n=plan.pages)) if p)),
        ("col.file", plan.file_name), ("col.doc_id", plan.doc_id),
    ]
    items = "".join(f"<dt>{esc(t(k))}</dt><dd>{esc(v)}</dd>" for k, v in rows if v)
    items += f"<dt>{esc(t('col.quality'))}</dt><dd>{flags_html(t, plan)}</dd>"
    return f"<h2>{esc(t('plan.meta'))}</h2><dl class=\"meta\">{items}</dl>"


def _counts(plan: Plan, t: Translator) -> str:
    boxes = "".join(
        f'<div class="s-{s}"><b>{plan.counts.get(s, 0)}</b>{esc(t.status(s))}</div>'
        for s in STATUSES)
    boxes += (f'<div class="s-none"><b>{esc(format_percent(plan.coverage, t.lang))}</b>'
              f"{esc(t('col.coverage'))} ({plan.covered}/{plan.ref_total})</div>")
    return f'<div class="counts">{boxes}</div>' + legend(t, STATUSES)


def _filters(t: Translator, verdicts: list[Verdict]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" checked data-status="{s}"> {badge(t, s)}</label>'
        for s in STATUSES)
    parts = list(dict.fromkeys(v.part for v in verdicts))
    options = f'<option value="">{esc(t("filter.all"))}</option>' + "".join(
        f'<option value="{esc(p)}">{esc(t.part(p))}</option>' for p in parts)
    return (f'<div class="filters" id="filters"><span>{esc(t("filter.status"))}:</span>{boxes}'
            f'<label>{esc(t("filter.part"))}: <select>{options}</select></label></div>'
            f'<p class="note">{esc(t("diff.legend"))}</p>')


def _section(t: Translator, key: str, table: str, total: int) -> str:
    return (f'<section><h2>{esc(t(key))} (<span class="visible-count">{total}</span>/{total})'
            f"</h2>{table}"
            f'<p class="empty-msg" hidden>{esc(t("plan.none_rows"))}</p></section>')


# ---------------------------------------------------------------- item cells

def _attrs(t: Translator, item: Item) -> str:
    lines = "".join(f"<li><b>{esc(t.field(a))}:</b> {esc(item.attribute(a))}</li>"
                    for a in ATTRIBUTES if item.attribute(a))
    return f'<ul class="attrs">{lines}</ul>' if lines else ""


def _label(item: Item | None, t: Translator) -> str:
    if item is None:
        return ""
    page_no = f'<br><span class="lbl">{esc(t("page.short", n=item.page))}</span>' \
        if item.page else ""
    return f"<b>{esc(item.label)}</b>{page_no}"


def _changes(t: Translator, v: Verdict) -> str:
    lines = []
    for name in ATTRIBUTES:
        if name not in v.changes or v.ref is None or v.item is None:
            continue
        old = v.ref.attribute(name) or t("empty")
        new = v.item.attribute(name) or t("empty")
        lines.append(f"<li><b>{esc(t.field(name))}:</b> <span class=\"old\">{esc(old)}</span>"
                     f" → <span class=\"new\">{esc(new)}</span></li>")
    if "text" in v.changes:
        lines.append(f"<li>{esc(t('text.reworded'))}</li>")
    return f'<ul class="changes">{"".join(lines)}</ul>' if lines else ""


def _row_attrs(v: Verdict, index: int, anchors: set[str]) -> str:
    anchor = f"r{v.ref.ordinal}" if v.ref is not None else f"a{v.item.ordinal}"
    id_attr = ""
    if anchor not in anchors:
        anchors.add(anchor)
        id_attr = f' id="{anchor}"'
    return (f'class="r" data-i="{index}" data-status="{esc(v.status)}" '
            f'data-part="{esc(v.part)}"{id_attr}')


def _group(t: Translator, v: Verdict, previous: str | None, width: int) -> str:
    if v.part == previous:
        return ""
    return (f'<tr class="g" data-part="{esc(v.part)}"><th colspan="{width}" scope="rowgroup">'
            f"{esc(t.part(v.part))}</th></tr>")


def _pairs_table(t: Translator, verdicts: list[Verdict]) -> str:
    anchors: set[str] = set()
    rows = []
    previous = None
    for i, v in enumerate(verdicts):
        old, new = word_diff(v.ref.full_text, v.item.full_text)
        rows.append(_group(t, v, previous, 6))
        previous = v.part
        rows.append(
            f"<tr {_row_attrs(v, i, anchors)}>"
            f"<td>{_label(v.ref, t)}</td><td>{old}{_attrs(t, v.ref)}</td>"
            f"<td>{_label(v.item, t)}</td><td>{new}{_attrs(t, v.item)}</td>"
            f'<td>{badge(t, v.status)}<br><span class="lbl" title="{esc(t("col.score"))}">'
            f'{esc(t("score.short"))} {esc(format_score(v.score, t.lang))}</span></td>'
            f"<td>{_changes(t, v)}</td></tr>")
    head = "".join(f"<th>{esc(t(k))}</th>" for k in (
        "col.item", "col.ref_text", "col.item", "col.plan_text", "col.status", "col.changes"))
    cols = ('<colgroup><col class="w-item"><col class="w-text"><col class="w-item">'
            '<col class="w-text"><col class="w-st"><col class="w-ch"></colgroup>')
    return (f'<table class="pairs filterable">{cols}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _closest(t: Translator, v: Verdict, side: str) -> str:
    """The nearest item on the other side: where a reworded task most likely went."""
    if v.candidate is None:
        return ""
    key = "closest.plan" if side == "ref" else "closest.ref"
    score = format_score(v.candidate_score, t.lang)
    return (f'<p class="closest"><span class="lbl">{esc(t(key))} ({esc(t("score.short"))} '
            f"{esc(score)}):</span> <b>{esc(v.candidate.label)}</b> "
            f"{esc(_shorten(v.candidate.full_text))}</p>")


def _shorten(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _list_table(t: Translator, verdicts: list[Verdict], side: str) -> str:
    anchors: set[str] = set()
    rows = []
    previous = None
    for i, v in enumerate(verdicts):
        item = v.ref if side == "ref" else v.item
        rows.append(_group(t, v, previous, 4))
        previous = v.part
        support = ""
        if side == "ref" and item.support:
            support = f'<br><span class="lbl">{esc(t("col.support"))}: {item.support}</span>'
        rows.append(
            f"<tr {_row_attrs(v, i, anchors)}><td>{_label(item, t)}</td>"
            f"<td>{esc(t.part(item.part))}{support}</td>"
            f"<td>{esc(item.full_text)}{_attrs(t, item)}{_closest(t, v, side)}</td>"
            f"<td>{badge(t, v.status)}</td></tr>")
    text_key = "col.ref_text" if side == "ref" else "col.plan_text"
    head = "".join(f"<th>{esc(t(k))}</th>" for k in ("col.item", "col.part", text_key,
                                                     "col.status"))
    return (f'<table class="pairs list filterable"><colgroup><col class="w-item">'
            f'<col style="width:170px"><col><col class="w-st"></colgroup>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
