"""index.html: the reference, one row per plan, and the coverage matrix."""
from __future__ import annotations

from .data import STATUS_RANK, MatrixRow, Plan, ReportData
from .html import badge, date_text, esc, flags_html, footer_html, legend, page, plan_name, short
from .i18n import STATUSES, Translator, format_percent

COUNTED = STATUSES  # carried, modified, dropped, added


def render_index(data: ReportData, t: Translator) -> str:
    header = (f"<h1>{esc(t('index.title'))}</h1>"
              f"<p>{esc(t('index.subtitle'))}</p>")
    body = "\n".join([
        _reference_box(data, t),
        f"<h2>{esc(t('plans.heading'))}</h2>",
        legend(t, COUNTED),
        _plans_table(data, t),
        f"<h2>{esc(t('matrix.heading'))}</h2>",
        _matrix_section(data, t),
    ])
    return page(t("index.title"), header, body, t.lang, footer_html(t, data))


# ---------------------------------------------------------------- reference

def _reference_box(data: ReportData, t: Translator) -> str:
    ref = data.reference
    if ref is None:
        return f'<div class="ref"><p>{esc(t("ref.none"))}</p></div>'
    n_plans = len(data.ok_plans)
    if ref.inferred:
        note = t("ref.inferred_note", n=ref.items, k=ref.support_min or "?", plans=n_plans)
        title = (f'{esc(t("ref.heading"))} <span class="tag inferred">'
                 f'{esc(t("ref.inferred"))}</span>')
        return (f'<section class="ref inferred"><h3>{title}</h3><p>{esc(note)}</p>'
                f'<p class="note">{esc(t("col.doc_id"))}: {esc(ref.doc_id)}</p></section>')
    parts = [p for p in (ref.issuer, ref.plan_number and t("ref.number", n=ref.plan_number),
                         date_text(ref.issued_on)) if p]
    return (f'<section class="ref"><h3>{esc(t("ref.heading"))}</h3>'
            f"<p><b>{esc(ref.title or ref.doc_id)}</b></p>"
            f"<p>{esc(' · '.join(parts))}</p>"
            f"<p>{esc(t('ref.given_note', n=ref.items))}</p></section>")


# ---------------------------------------------------------------- plans table

def _plans_head(t: Translator) -> str:
    cells = [("col.no", "num", "n"), ("col.issuer", "txt", ""), ("col.level", "txt", ""),
             ("col.number", "txt", ""), ("col.date", "num", "")]
    head = "".join(f'<th data-sort="{s}" class="{c}">{esc(t(k))}</th>' for k, s, c in cells)
    head += "".join(f'<th data-sort="num" class="n">{badge(t, s, t.status(s))}</th>'
                    for s in COUNTED)
    head += (f'<th data-sort="num">{esc(t("col.coverage"))}</th>'
             f'<th data-sort="txt">{esc(t("col.quality"))}</th>')
    return f"<thead><tr>{head}</tr></thead>"


def _date_key(value: object) -> str:
    return value.strftime("%Y%m%d") if hasattr(value, "strftime") else "0"


def _plan_row(t: Translator, plan: Plan, index: int) -> str:
    name = plan_name(t, plan)
    link = f'<a href="{esc(plan.page_name)}">{esc(name)}</a>'
    if plan.file_name and plan.file_name != name:
        link += f'<br><span class="lbl">{esc(plan.file_name)}</span>'
    cells = [f'<td class="n" data-v="{plan.number}">{plan.number}</td>',
             f"<td>{link}</td>",
             f"<td>{esc(t.level(plan.admin_level))}</td>",
             f"<td>{esc(plan.plan_number or '')}</td>",
             f'<td data-v="{_date_key(plan.issued_on)}">{esc(date_text(plan.issued_on))}</td>']
    if plan.ok:
        cells += [f'<td class="n" data-v="{plan.counts.get(s, 0)}">{plan.counts.get(s, 0)}</td>'
                  for s in COUNTED]
        share = plan.coverage or 0.0
        cells.append(f'<td class="n" data-v="{share:.4f}" title="{plan.covered}/{plan.ref_total}">'
                     f'<span class="bar"><span style="width:{share * 100:.0f}%"></span></span>'
                     f"{esc(format_percent(share, t.lang))}</td>")
    else:
        cells += ['<td class="n" data-v="-1">—</td>'] * len(COUNTED)
        cells.append('<td class="n" data-v="-1">—</td>')
    cells.append(f"<td>{flags_html(t, plan)}</td>")
    cls = "r" if plan.ok else "r failed"
    return f'<tr class="{cls}" data-i="{index}">{"".join(cells)}</tr>'


def _plans_table(data: ReportData, t: Translator) -> str:
    rows = "".join(_plan_row(t, p, i) for i, p in enumerate(data.plans))
    ok = data.ok_plans
    totals = [sum(p.counts.get(s, 0) for p in ok) for s in COUNTED]
    covered = sum(p.covered for p in ok)
    possible = sum(p.ref_total for p in ok)
    share = format_percent(covered / possible, t.lang) if possible else ""
    foot = (f'<tfoot><tr><td colspan="5">{esc(t("total"))}: {len(ok)}/{len(data.plans)}</td>'
            + "".join(f'<td class="n">{n}</td>' for n in totals)
            + f'<td class="n">{esc(share)}</td><td></td></tr></tfoot>')
    return (f'<table class="plans sortable" id="plans">{_plans_head(t)}'
            f"<tbody>{rows}</tbody>{foot}</table>")


# ---------------------------------------------------------------- matrix

def _matrix_head(data: ReportData, t: Translator, plans: list[Plan]) -> str:
    support = data.reference is not None and data.reference.inferred
    cells = [f'<th class="c1" data-sort="num">{esc(t("col.item"))} / {esc(t("col.content"))}</th>']
    if support:
        cells.append(f'<th data-sort="num" class="nw">{esc(t("col.support"))}</th>')
    cells.append(f'<th data-sort="num" class="nw">{esc(t("col.dropped_by"))}</th>')
    for plan in plans:
        name = plan_name(t, plan)
        cells.append(f'<th class="pc" data-sort="num" data-doc="{esc(plan.doc_id)}" '
                     f'title="{plan.number}. {esc(name)}">'
                     f'<span class="vert">{esc(short(name, 34))}</span><br>{plan.number}</th>')
    return f"<thead><tr>{''.join(cells)}</tr></thead>"


def _matrix_cell(t: Translator, row: MatrixRow, plan: Plan) -> str:
    """One cell, kept small (a 200-plan matrix has 15,000 of them): the colour class
    says the status, the sticky column heading says the plan."""
    status = row.cells.get(plan.doc_id)
    code = esc(t.code(status))
    inner = (f'<a href="{esc(plan.page_name)}#r{row.ref.ordinal}">{code}</a>'
             if status else code)
    return f'<td class="s s-{status or "none"}" data-v="{STATUS_RANK[status]}">{inner}</td>'


def _matrix_row(data: ReportData, t: Translator, row: MatrixRow, plans: list[Plan],
                index: int) -> str:
    ref = row.ref
    label = f'<span class="lbl">{esc(ref.label)}</span> ' if ref.label else ""
    text = ref.full_text
    first = (f'<th class="c1" scope="row" data-v="{ref.ordinal}" title="{esc(short(text, 600))}">'
             f'<span class="clip">{label}{esc(short(text, 220))}</span></th>')
    cells = [first]
    if data.reference is not None and data.reference.inferred:
        cells.append(f'<td class="n" data-v="{ref.support or 0}">{ref.support or ""}</td>')
    cells.append(f'<td class="n" data-v="{row.dropped_by}">{row.dropped_by}</td>')
    cells.extend(_matrix_cell(t, row, plan) for plan in plans)
    return (f'<tr class="r" data-i="{index}" data-ref="{esc(ref.item_id)}">'
            f"{''.join(cells)}</tr>")


def _matrix_foot(data: ReportData, t: Translator, plans: list[Plan], lead: int) -> str:
    rows = []
    for status in ("carried", "modified", "dropped"):
        total = sum(r.dropped_by for r in data.matrix) if status == "dropped" else ""
        cells = [f'<th class="c1">{badge(t, status, t.code(status))} {esc(t.status(status))}</th>']
        cells += ['<td></td>'] * (lead - 2) + [f'<td class="n">{total}</td>']
        cells += [f'<td class="n">{sum(1 for r in data.matrix if r.cells.get(p.doc_id) == status)}'
                  "</td>" for p in plans]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    cells = [f'<th class="c1">{badge(t, "added", t.code("added"))} {esc(t.status("added"))}</th>']
    cells += ['<td></td>'] * (lead - 1)
    cells += [f'<td class="n">{p.counts.get("added", 0)}</td>' for p in plans]
    rows.append(f"<tr>{''.join(cells)}</tr>")
    cells = [f'<th class="c1">{esc(t("col.coverage"))}</th>'] + ['<td></td>'] * (lead - 1)
    cells += [f'<td class="n">{esc(format_percent(p.coverage, t.lang))}</td>' for p in plans]
    rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<tfoot>{''.join(rows)}</tfoot>"


def _matrix_section(data: ReportData, t: Translator) -> str:
    plans = data.ok_plans
    if not data.matrix or not plans:
        return f'<p class="empty-msg">{esc(t("plan.none_rows"))}</p>'
    lead = 3 if data.reference is not None and data.reference.inferred else 2
    bodies = []
    index = 0
    for part in data.parts():
        rows = []
        for row in (r for r in data.matrix if r.ref.part == part):
            rows.append(_matrix_row(data, t, row, plans, index))
            index += 1
        group = (f'<tr class="g"><th colspan="{lead + len(plans)}" scope="rowgroup">'
                 f"{esc(t.part(part))} ({len(rows)})</th></tr>")
        bodies.append(f'<tbody data-part="{esc(part)}">{group}{"".join(rows)}</tbody>')
    return (f'<p class="note">{esc(t("matrix.note"))}</p>'
            + legend(t, ("carried", "modified", "dropped"))
            + '<div class="scroll"><table class="matrix sortable" id="matrix">'
            + _matrix_head(data, t, plans) + "".join(bodies)
            + _matrix_foot(data, t, plans, lead) + "</table></div>")
