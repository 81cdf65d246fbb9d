"""compliance.xlsx: summary, coverage matrix, one sheet per plan (openpyxl).

Every sheet has the same frame: row 1 a title, row 2 a note, row
`HEADER_ROW` the column headings (frozen, repeated on every printed page),
data below.  Printing is landscape A4, fitted to the page width.

Columns are only ever appended, so the existing ones keep their letters (and
whatever a reader built on them): the reviewers' sign-off (state, reviewer,
date, note) comes after the machine's columns, and, when the inferred
reference has weakly supported items, the weak marks after that (summary: the
weak items counted apart; plan sheets: the rows judged against one).  The
template families go in the summary's note, and each plan's family and the
documents it implements in its sheet's note.  The matrix's plan columns come after the lead
columns `matrix_lead_headers` lists: an inferred reference's evidence (sources,
origin, confidence, the plans behind it, wordings, the weak mark) sits there,
next to the item it is about.

Weakly supported consensus items (`data.WEAK_CONSENSUS`) are kept out of the
coverage column, as on the HTML pages, and counted apart.

The aligner's rating of each verdict comes last: a plan sheet's two last columns are
the verdict's confidence and whether it needs review, and its rows that need review
come first, least confident first (`data.review_first`, the plan pages' order), each
filled (`NEEDS_REVIEW_FILL`) so that it stands out wherever the workbook goes; the
summary's last column counts each plan's rows needing review.

A run that checked its plans against several parents (`ReportData.routed`) groups
the summary's rows by parent: a heading row per parent, then its plans, whose last
columns say the parent, how it was chosen, whether a reviewer should confirm it and
why; one matrix sheet per parent; a plan sheet's note names its parent.  When plans
form chains a lineage sheet lists every root item in every plan below it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .assets import STATUS_COLOURS
from .data import WEAK_CONSENSUS, Item, MatrixRow, ParentGroup, Plan, ReportData, ReportError, Verdict, review_first
from .i18n import Translator, format_date, format_score
from .statuses import MATRIX_STATUSES, STATUSES, ReviewState
from .templating import (
    attribute_changes,
    family_text,
    group_name,
    parent_reference_text,
    plan_name,
    quality_flags,
    reference_name,
    stated_attributes,
    weak_reason,
    weak_verdict,
    witness_text,
)

HEADER_ROW = 3
TEXT, MID, SMALL = "plandiff text", "plandiff centred", "plandiff small"
FIRST_ROW = HEADER_ROW + 1
FONT = "Times New Roman"
MAX_SHEET_NAME = 31
# Summary sheet: five columns about the plan, a count per status, then the coverage.
COVERAGE_COL = 6 + len(STATUSES)
# ... then OCR'd pages, restored, quality, file, document id, and the link to the plan's sheet.
SHEET_COL = COVERAGE_COL + 6

_THIN = Side(style="thin", color="B7C0CA")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEAD_FILL = PatternFill("solid", fgColor="DCE4EE")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)
# The warning colours of a row that needs re-review (the HTML pages use the same).
STALE_FILL = PatternFill("solid", fgColor="FFF1DB", bgColor="FFF1DB")
STALE_FONT = Font(color="8A3A00", bold=True)
# A weakly supported consensus item, and a verdict against one (the HTML pages' colours).
WEAK_FILL = PatternFill("solid", fgColor="F1ECE4")
WEAK_FONT = Font(name=FONT, size=11, italic=True, color="6B4A1D")
# A verdict that needs review: the whole row (the HTML pages' colours of the group).
NEEDS_REVIEW_FILL = PatternFill("solid", fgColor="FFE7C2")
NEEDS_REVIEW_FONT = Font(name=FONT, size=11, bold=True, color="8A3A00")


# ---------------------------------------------------------------- helpers

def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 chars, no []:*?/\\, case-insensitively unique)."""
    clean = re.sub(r"[\[\]:*?/\\]+", " ", text)
    clean = " ".join(clean.split()).strip("'") or "Sheet"
    base = clean[:MAX_SHEET_NAME].rstrip()
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f"~{n}"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
    taken.add(name.lower())
    return name


def _frame(ws: Worksheet, title: str, note: str, headers: Sequence[str], widths: Sequence[float]) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(name=FONT, size=14, bold=True, color="123A63")
    ws["A2"] = note
    ws["A2"].font = Font(name=FONT, size=11, italic=True, color="555555")
    ws["A2"].alignment = Alignment(wrap_text=False, vertical="top")
    for col, (head, width) in enumerate(zip(headers, widths, strict=False), start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=head)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ps = ws.page_setup
    ps.orientation = "landscape"
    ps.paperSize = ws.PAPERSIZE_A4
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "&P / &N"


def _styles(wb: Workbook) -> None:
    """Named cell styles: assigning one is far cheaper than setting font/border/alignment."""
    for name, alignment, size in ((TEXT, WRAP, 11), (MID, CENTER, 11), (SMALL, CENTER, 9)):
        style = NamedStyle(name=name)
        style.font = Font(name=FONT, size=size)
        style.alignment = alignment
        style.border = BORDER
        wb.add_named_style(style)


def _row(ws: Worksheet, row: int, values: list[object], styles: list[str]) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.style = styles[col - 1]


def _status_colours(ws: Worksheet, cell_range: str, t: Translator) -> None:
    """Conditional fills by status label, so a reviewer's edit recolours the cell."""
    for status in STATUSES:
        bg, fg = STATUS_COLOURS[status]
        ws.conditional_formatting.add(cell_range, CellIsRule(
            operator="equal", formula=[f'"{t.status(status)}"'],
            fill=PatternFill("solid", fgColor=bg, bgColor=bg), font=Font(color=fg, bold=True)))


# ---------------------------------------------------------------- summary

def summary_headers(t: Translator, weak: bool = False, routed: bool = False) -> list[str]:
    """The summary's headings; `weak`: the reference has weakly supported items, counted apart;
    `routed`: the plans were checked against several parents (`route_headers`); last, the rows
    needing review."""
    return [t("col.no"), t("col.issuer"), t("col.level"), t("col.number"), t("col.date"),
            *(t.status(s) for s in STATUSES), t("col.coverage"), t("col.ocr_pages"),
            t("col.restored"), t("col.quality"), t("col.file"), t("col.doc_id"),
            t("col.sheet"), t("col.reviewed_rows"), t("col.stale_rows"),
            *((t("col.weak_covered"), t("col.weak_total")) if weak else ()),
            *(route_headers(t) if routed else ()), t("col.needs_review_rows")]


def route_headers(t: Translator) -> list[str]:
    """A routed summary's last columns: the plan's parent, how it was chosen, the flag, why."""
    return [t("col.parent"), t("col.match"), t("col.flagged"), t("col.evidence")]


def route_values(t: Translator, data: ReportData, plan: Plan) -> list[object]:
    group = data.group_of(plan)
    parent = group_name(t, group) if group is not None and group.doc_id is not None else None
    match = plan.reference_match
    return [parent, t(f"match.{match}") if match else None,
            (t("yes") if plan.reference_flagged else t("no")) if match else None,
            plan.evidence(t.lang)]


def parent_note(t: Translator, data: ReportData, plan: Plan) -> list[str]:
    """The parent a plan was checked against and how it was chosen, for its sheet's note."""
    group = data.group_of(plan)
    if group is None or group.doc_id is None:
        return []
    notes = [f"{t('plan.parent')}: {group_name(t, group)}"]
    if plan.reference_match:
        notes.append(f"{t('plan.match')}: {t('match.' + plan.reference_match)}"
                     + (f" — ⚑ {t('route.flagged')}" if plan.reference_flagged else ""))
    return notes


def _has_weak(data: ReportData) -> bool:
    """Some parent's items (an inferred reference's) are weakly supported, counted apart."""
    refs = [g.reference for g in data.groups] or [data.reference]
    return any(ref is not None and ref.weak > 0 for ref in refs)


def plan_note(t: Translator, data: ReportData, plan: Plan) -> list[str]:
    """The plan's template family and the documents it implements, for its sheet's note."""
    notes = []
    if plan.template_group is not None:
        others = [p for p in data.family_of(plan) if p.doc_id != plan.doc_id]
        notes.append(f"{t('plan.family')}: " + (t("plan.family_with", plans=family_text(t, others))
                                                 if others else t("plan.family_alone")))
    notes += [parent_reference_text(t, r) for r in plan.parent_references if r.role == "implements"]
    return notes


def _summary(wb: Workbook, data: ReportData, t: Translator, sheets: dict[str, str],
             name: str) -> None:
    ws = wb.active
    ws.title = name
    ref = data.reference
    note = ""
    if ref is not None:
        note = (t("ref.inferred_note", n=ref.items, k=ref.support_min or "?",
                  plans=len(data.ok_plans)) if ref.inferred
                else f"{t('ref.heading')}: {ref.title or ref.doc_id}")
        note = " ".join([note, *_evidence_note(data, t)])
    title = t("index.title") + (f" — {t('ref.heading')} {t('ref.inferred')}"
                                if ref is not None and ref.inferred else "")
    weak, routed = _has_weak(data), data.routed
    if routed:
        flagged = sum(1 for p in data.plans if p.reference_flagged)
        note = t("library.note", plans=len(data.plans), flagged=flagged,
                 groups=len([g for g in data.groups if g.doc_id is not None]))
        title = t("index.title")
    widths = [6, 34, 13, 13, 12, *[11] * len(STATUSES), 11, 9, 10, 34, 24, 20, 12, 11, 11,
              *([13, 13] if weak else []), *([40, 14, 11, 50] if routed else []), 12]
    _frame(ws, title, note, summary_headers(t, weak, routed), widths)
    # the counts, the coverage, the OCR'd pages; the review counts; the weak items apart
    number_cols = {1, *range(6, COVERAGE_COL + 2), *range(SHEET_COL + 1, SHEET_COL + 5)}
    if routed:  # how the parent was chosen, and the flag
        number_cols |= {len(widths) - 3, len(widths) - 2}
    number_cols.add(len(widths))  # the rows needing review
    align = [MID if i in number_cols else TEXT for i in range(1, len(widths) + 1)]
    row = FIRST_ROW
    for group, plan in _summary_order(data):
        if plan is None:
            _group_row(ws, t, group, row, len(widths))
            row += 1
            continue
        counts = [plan.counts.get(s, 0) for s in STATUSES] if plan.ok else [None] * len(STATUSES)
        flags = "\n".join(msg for _, msg in quality_flags(t, plan))
        _row(ws, row, [plan.number, plan_name(t, plan), t.level(plan.admin_level),
                       plan.plan_number, format_date(plan.issued_on), *counts,
                       plan.coverage, plan.ocr_pages,
                       t("yes") if plan.diacritics_restored or plan.restored_pages else t("no"),
                       flags, plan.file_name, plan.doc_id, sheets.get(plan.doc_id),
                       *((plan.reviewed, plan.stale) if plan.ok else (None, None)),
                       *(_weak_counts(plan) if weak else ()),
                       *(route_values(t, data, plan) if routed else ()),
                       plan.needs_review if plan.ok else None], align)
        if plan.ok and plan.needs_review:
            count = ws.cell(row=row, column=len(widths))
            count.font, count.fill = NEEDS_REVIEW_FONT, NEEDS_REVIEW_FILL
        if routed and plan.reference_flagged:
            flag = ws.cell(row=row, column=len(widths) - 2)
            flag.font, flag.fill = STALE_FONT, STALE_FILL
        ws.cell(row=row, column=COVERAGE_COL).number_format = "0%"
        if plan.doc_id in sheets:
            link = ws.cell(row=row, column=SHEET_COL)
            link.hyperlink = f"#'{sheets[plan.doc_id]}'!A1"
            link.font = Font(name=FONT, size=11, color="0B4F9C", underline="single")
        row += 1
    _summary_totals(ws, data, t, row, align)
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(widths))}{row - 1}"


def _summary_order(data: ReportData) -> list[tuple[ParentGroup | None, Plan | None]]:
    """The summary's rows: the plans in order; routed, each parent's heading then its plans."""
    if not data.routed:
        return [(None, plan) for plan in data.plans]
    rows: list[tuple[ParentGroup | None, Plan | None]] = []
    for group in data.groups:
        rows.append((group, None))
        rows += [(group, plan) for plan in group.plans]
    return rows


def _group_row(ws: Worksheet, t: Translator, group: ParentGroup | None, row: int, width: int) -> None:
    """A parent's heading in a routed summary: "Văn bản cấp trên 1: Số 82/KH-UBND: …"."""
    if group is None:
        return
    text = (f"{t('group.heading', n=group.number)}: {group_name(t, group)}" if group.doc_id is not None
            else t("group.unrouted"))
    if group.flagged:
        text += f" ({t('group.flagged', n=group.flagged)})"
    ws.cell(row=row, column=2, value=text)
    for col in range(1, width + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(name=FONT, size=11, bold=True, color="123A63")
        cell.fill = HEAD_FILL
        cell.border = BORDER


def _weak_counts(plan: Plan) -> tuple[int | None, int | None]:
    """Weak items the plan carries, of all (none for a plan that was not read)."""
    return (plan.weak_covered, plan.weak_total) if plan.ok else (None, None)


def _evidence_note(data: ReportData, t: Translator) -> list[str]:
    """The template families found and the weak items' rule, after the inferred reference's note."""
    if not any(row.ref.evidence is not None for row in data.matrix):
        return []
    families = [t("families.line", plans=family_text(t, f)) for f in data.families()]
    lines = [t("ref.sources_note"), "; ".join(families) + "." if families else t("families.none")]
    if data.reference is not None and data.reference.weak:
        lines.append(t("weak.note", threshold=format_score(WEAK_CONSENSUS, t.lang)))
    return lines


def _summary_totals(ws: Worksheet, data: ReportData, t: Translator, row: int,
                    align: list[str]) -> None:
    ok = data.ok_plans
    totals = [sum(p.counts.get(s, 0) for p in ok) for s in STATUSES]
    possible = sum(p.ref_total for p in ok)
    share = sum(p.covered for p in ok) / possible if possible else None
    _row(ws, row, [None, f"{t('total')}: {len(ok)}/{len(data.plans)}", None, None, None,
                   *totals, share, sum(p.ocr_pages for p in ok), None, None, None, None, None,
                   sum(p.reviewed for p in ok), sum(p.stale for p in ok),
                   *((sum(p.weak_covered for p in ok), sum(p.weak_total for p in ok))
                     if _has_weak(data) else ()),
                   *([None] * len(route_headers(t)) if data.routed else ()),
                   sum(p.needs_review for p in ok)],
         align)
    ws.cell(row=row, column=COVERAGE_COL).number_format = "0%"
    for col in range(1, len(align) + 1):
        ws.cell(row=row, column=col).font = Font(name=FONT, size=11, bold=True)
        ws.cell(row=row, column=col).fill = PatternFill("solid", fgColor="F4F6F9")


# ---------------------------------------------------------------- matrix

def matrix_lead_headers(data: ReportData, t: Translator) -> list[str]:
    heads = [t("col.part"), t("col.item"), t("col.content")]
    if data.reference is not None and data.reference.inferred:
        heads.append(t("col.support"))
        if _has_evidence(data):
            heads += matrix_evidence_headers(t)
    return heads + [t("col.dropped_by")]


def matrix_evidence_headers(t: Translator) -> list[str]:
    """An inferred reference item's evidence, after its number of sources."""
    return [t("ev.origin"), t("ev.confidence"), t("ev.plans"), t("ev.variants"), t("col.weak")]


def _has_evidence(data: ReportData) -> bool:
    """The tables carry the consensus evidence (a plandiff from before template families does not)."""
    return any(row.ref.evidence is not None for row in data.matrix)


def matrix_lead_values(data: ReportData, t: Translator, mrow: MatrixRow) -> list[object]:
    ref = mrow.ref
    values: list[object] = [t.part(ref.part), ref.label, ref.full_text]
    if data.reference is not None and data.reference.inferred:
        values.append(ref.support)
        if _has_evidence(data):
            ev = ref.evidence
            values += [t.origin(ev.origin), ev.confidence,
                       "\n".join(witness_text(t, data.witnesses(ref))) or None, ev.variants,
                       weak_reason(t, ref.weakness) or None] if ev is not None else [None] * 5
    return values + [mrow.dropped_by]


def _matrix(wb: Workbook, data: ReportData, t: Translator, name: str, title: str | None = None) -> None:
    ws = wb.create_sheet(name)
    plans = data.ok_plans
    lead = matrix_lead_headers(data, t)
    heads = lead + [f"{p.number}. {plan_name(t, p)}" for p in plans]
    evidence = _has_evidence(data) and len(lead) > 5
    # part, item, text, sources; origin, confidence, plans, wordings, weak; dropped by
    widths = [16, 8, 60, 9, *([14, 10, 30, 10, 24] if evidence else []), 9][:len(lead)] \
        + [7.5] * len(plans)
    legend = " · ".join(f"{t.status(s)}: {t(f'explain.{s}')}" for s in MATRIX_STATUSES)
    _frame(ws, title or t("matrix.heading"), legend, heads, widths)
    for col in range(len(lead) + 1, len(heads) + 1):
        ws.cell(row=HEADER_ROW, column=col).alignment = Alignment(
            text_rotation=90, horizontal="center", vertical="bottom", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 150
    align = [TEXT, MID, TEXT] + [MID] * (len(lead) - 3) + [SMALL] * len(plans)
    if evidence:  # the plans behind an item and why it is weak are sentences
        align[6] = align[8] = TEXT
    for i, mrow in enumerate(data.matrix):
        values = matrix_lead_values(data, t, mrow)
        values += [t.status(mrow.cells.get(p.doc_id)) if mrow.cells.get(p.doc_id) else None
                   for p in plans]
        _row(ws, FIRST_ROW + i, values, align)
        if evidence:
            ws.cell(row=FIRST_ROW + i, column=6).number_format = "0.00"
        if mrow.ref.weakness is not None:
            for col in range(1, len(lead) + 1):
                ws.cell(row=FIRST_ROW + i, column=col).font = WEAK_FONT
                ws.cell(row=FIRST_ROW + i, column=col).fill = WEAK_FILL
    last = FIRST_ROW + max(len(data.matrix), 1) - 1
    if plans:
        first_col = get_column_letter(len(lead) + 1)
        _status_colours(ws, f"{first_col}{FIRST_ROW}:{get_column_letter(len(heads))}{last}", t)
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=len(lead) + 1)
    ws.print_title_cols = "A:C"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(heads))}{last}"


# ---------------------------------------------------------------- plan sheets

def plan_headers(t: Translator, weak: bool = False) -> list[str]:
    """A plan sheet's headings; `weak`: the reference has weakly supported items, and a column
    says which rows are judged against one; last, the aligner's rating (`confidence_headers`)."""
    return [t("col.no"), t("col.part"), t("col.ref_label"), t("col.ref_text"),
            t("col.plan_label"), t("col.plan_text"), t("col.status"), t("col.changes"),
            t("col.score"), t("col.closest"), *review_headers(t), *([t("col.weak")] if weak else []),
            *confidence_headers(t)]


def confidence_headers(t: Translator) -> list[str]:
    """How likely a verdict is right, and whether it needs review: a plan sheet's last columns."""
    return [t("col.confidence"), t("col.needs_review")]


def confidence_values(t: Translator, v: Verdict) -> list[object]:
    """The verdict's confidence and Yes/No; nothing when the tables do not rate it (an older
    plandiff's)."""
    if v.confidence is None and not v.needs_review:
        return [None, None]
    return [round(v.confidence, 4) if v.confidence is not None else None,
            t("yes") if v.needs_review else t("no")]


def review_headers(t: Translator) -> list[str]:
    """The reviewers' sign-off, after the machine's columns of a plan sheet."""
    return [t("col.review_state"), t("col.reviewer"), t("col.reviewed_on"), t("col.review_note")]


def review_values(t: Translator, v: Verdict) -> list[object]:
    """State, reviewer, date and note of a verdict row; only the state when no
    reviewer's decision is in force on it."""
    signed = v.review_state is ReviewState.REVIEWED
    return [t.review(v.review_state), v.reviewer if signed else None,
            (format_date(v.reviewed_at) or None) if signed else None,
            v.review_note if signed else None]


def changes_text(t: Translator, v: Verdict) -> str:
    lines = [f"{field}: {old} → {new}" for field, old, new in attribute_changes(t, v)]
    if "text" in v.changes:
        lines.append(t("text.reworded"))
    return "\n".join(lines)


def closest_text(t: Translator, v: Verdict) -> str | None:
    """A dropped or added row's closest item on the other side, with its score."""
    if v.candidate is None:
        return None
    score = format_score(v.candidate_score, t.lang)
    return f"{v.candidate.label} {v.candidate.full_text} ({score})".strip()


def _with_attrs(t: Translator, item: Item | None) -> str:
    if item is None:
        return ""
    attrs = [f"{t.field(name)}: {value}" for name, value in stated_attributes(item)]
    return "\n".join([item.full_text, *attrs])


def _plan_sheet(wb: Workbook, data: ReportData, plan: Plan, t: Translator, name: str) -> None:
    ws = wb.create_sheet(name)
    counts = ", ".join(f"{t.status(s)}: {plan.counts.get(s, 0)}" for s in STATUSES)
    title = f"{plan.number}. {plan_name(t, plan)}"
    progress = t("review.progress", n=plan.reviewed, total=plan.rows)
    if plan.stale:
        progress += f", {t('review.stale_count', n=plan.stale)}"
    if plan.needs_review:
        progress += f", {t('needs_review.count', n=plan.needs_review)}"
    weak = _has_weak(data)
    heads = plan_headers(t, weak)
    note = "  —  ".join([plan.title or "", counts, progress, *plan_note(t, data, plan),
                         *parent_note(t, data, plan)])
    _frame(ws, title, note, heads,
           [5, 13, 8, 55, 8, 55, 13, 28, 10, 40, 14, 20, 12, 40, *([34] if weak else []), 11, 11])
    align = [MID, TEXT, MID, TEXT, MID, TEXT, MID, TEXT, MID, TEXT, MID, TEXT, MID, TEXT,
             *([TEXT] if weak else []), MID, MID]
    conf_col = len(heads) - 1
    verdicts = review_first(data.verdicts.get(plan.doc_id, []))
    for i, v in enumerate(verdicts):
        _row(ws, FIRST_ROW + i, [
            i + 1, t.part(v.part), v.ref.label if v.ref else None, _with_attrs(t, v.ref) or None,
            v.item.label if v.item else None, _with_attrs(t, v.item) or None,
            t.status(v.status), changes_text(t, v) or None, round(v.score, 4),
            closest_text(t, v), *review_values(t, v),
            *([weak_verdict(t, v) or None] if weak else []), *confidence_values(t, v)], align)
        ws.cell(row=FIRST_ROW + i, column=9).number_format = "0.00"
        ws.cell(row=FIRST_ROW + i, column=conf_col).number_format = "0.00"
        if v.needs_review:  # the whole row, seen however the sheet is sorted, filtered or sent on
            for col in range(1, len(heads) + 1):
                ws.cell(row=FIRST_ROW + i, column=col).fill = NEEDS_REVIEW_FILL
            ws.cell(row=FIRST_ROW + i, column=len(heads)).font = NEEDS_REVIEW_FONT
        if weak and v.weakness is not None:  # seen however the sheet is sorted or filtered
            for col in (1, conf_col - 1):
                ws.cell(row=FIRST_ROW + i, column=col).font = WEAK_FONT
                if not v.needs_review:
                    ws.cell(row=FIRST_ROW + i, column=col).fill = WEAK_FILL
    last = FIRST_ROW + max(len(verdicts), 1) - 1
    _status_colours(ws, f"G{FIRST_ROW}:G{last}", t)
    # A stale row stands out however the sheet is sorted or filtered.
    state_col = get_column_letter(heads.index(t("col.review_state")) + 1)
    ws.conditional_formatting.add(f"{state_col}{FIRST_ROW}:{state_col}{last}", CellIsRule(
        operator="equal", formula=[f'"{t.review(ReviewState.STALE)}"'], fill=STALE_FILL,
        font=STALE_FONT))
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(heads))}{last}"


# ---------------------------------------------------------------- lineage

def lineage_headers(t: Translator) -> list[str]:
    return [t("col.root"), t("col.item"), t("col.content"), t("col.plan"), t("col.file"),
            t("col.depth"), t("col.path"), t("col.status"), t("col.lost_at")]


def _lineage(wb: Workbook, data: ReportData, t: Translator, name: str) -> None:
    """One row per root item and plan below its root, in the order of lineage.html."""
    from .html_lineage import lineage_roots  # the page's order, without importing Jinja at load

    ws = wb.create_sheet(name)
    heads = lineage_headers(t)
    _frame(ws, t("lineage.title"), t("lineage.note"), heads, [34, 8, 60, 34, 22, 7, 40, 14, 22])
    align = [TEXT, MID, TEXT, TEXT, TEXT, MID, TEXT, MID, TEXT]
    by_plan = {p.doc_id: p for p in data.plans}

    def file_of(doc_id: str | None) -> str | None:
        plan = by_plan.get(doc_id) if doc_id else None
        return (plan.file_name or plan.doc_id) if plan is not None else doc_id

    row = FIRST_ROW
    for root in lineage_roots(data):
        root_name = reference_name(t, root.reference) if root.reference is not None else root.doc_id
        for entry in root.items:
            for column in root.columns:
                cell = entry.cells.get(column.plan.doc_id)
                if cell is None:
                    continue
                _row(ws, row, [root_name, entry.item.label, entry.item.full_text,
                               f"{column.plan.number}. {plan_name(t, column.plan)}", column.plan.file_name,
                               cell.depth, " → ".join(file_of(d) or "" for d in cell.path),
                               t.status(cell.status), file_of(cell.lost_at)], align)
                row += 1
    last = max(row - 1, FIRST_ROW)
    _status_colours(ws, f"H{FIRST_ROW}:H{last}", t)
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(heads))}{last}"


def write_workbook(data: ReportData, path: Path, t: Translator) -> dict[str, str]:
    """Write the workbook; returns {doc_id: sheet name} of the plan sheets."""
    taken: set[str] = set()
    summary_name = sheet_title(t("sheet.summary"), taken)
    # routed: one matrix per parent with items ("Matrix", "Matrix 2", …)
    groups = [g for g in data.groups if g.reference is not None] if data.routed else []
    matrix_names = [sheet_title(t("sheet.matrix") + (f" {n}" if n > 1 else ""), taken)
                    for n in range(1, max(len(groups), 1) + 1)]
    lineage_name = sheet_title(t("sheet.lineage"), taken) if data.chains else None
    sheets = {p.doc_id: sheet_title(f"{t('sheet.plan_prefix')}{p.number:02d} {plan_name(t, p)}",
                                    taken)
              for p in data.ok_plans}
    wb = Workbook()
    _styles(wb)
    _summary(wb, data, t, sheets, summary_name)
    if groups:
        for group, name in zip(groups, matrix_names, strict=True):
            _matrix(wb, data.for_group(group), t, name,
                    f"{t('matrix.heading')} — {t('group.heading', n=group.number)}: {group_name(t, group)}")
    else:
        _matrix(wb, data, t, matrix_names[0])
    if lineage_name is not None:
        _lineage(wb, data, t, lineage_name)
    for plan in data.ok_plans:
        _plan_sheet(wb, data, plan, t, sheets[plan.doc_id])
    wb.properties.title = t("index.title")
    wb.properties.creator = "plandiff"
    try:
        wb.save(path)
    except OSError as exc:
        raise ReportError(f"cannot write {path}: {exc}") from exc
    return sheets
