"""The report's Jinja environment and the helpers its pages and the workbook share.

`environment(lang)` is importable on its own (the HTML pages use it, and so can
any other view of the same tables): templates under `templates/`, HTML
autoescaping, and undefined names as errors.  Every piece of document text
reaches the page through the engine's escaping; the only HTML built outside a
template is the word diff (`diff.word_diff`), which escapes each word itself.

Template globals: `t` (the `Translator`: `t("key", **fields)`), `lang`, `css`
and `js` (the inline assets), `Status` and `ReviewState` (the enums), the status tuples (`statuses`,
`matrix_statuses`, `paired_statuses`, `status_rank`), `review_states`, `attributes`, and `plan_name`,
`quality_flags`, `attribute_changes`, `stated_attributes`, `word_diff`, `plan_label`,
`family_text`, `witness_text`, `weak_reason`, `weak_verdict`, `parent_reference_text`,
`reference_name`, `group_name`, `route_text`, `origins` (the
`Origin` members) and `weak_threshold` (WEAK_CONSENSUS as the language writes it).  Filters: `status_label`,
`status_code`, `review_label`, `part_label`, `level_label`, `field_label`, `source_label`
(words of the report's language), `percent`, `score` (numbers written the
language's way), `date`, `date_key`, `short`, `shorten`.
"""
from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from plandiff.align.consensus import Origin
from plandiff.align.model import ATTRIBUTE_FIELDS

from .assets import CSS, JS
from .data import WEAK_CONSENSUS, Item, ParentGroup, ParentReference, Plan, Reference, Verdict
from .diff import word_diff
from .i18n import Translator, format_date, format_percent, format_score
from .statuses import MATRIX_STATUSES, PAIRED_STATUSES, REVIEW_STATES, STATUS_RANK, STATUSES, ReviewState, Status

__all__ = ["ATTRIBUTES", "attribute_changes", "date_key", "environment", "parent_reference_text",
           "family_text", "group_name", "plan_label", "reference_name", "route_text", "plan_name",
           "quality_flags", "short", "shorten", "stated_attributes", "weak_reason", "weak_verdict", "witness_text"]

# The attributes an item can state, in the order the report lists them.
ATTRIBUTES: tuple[str, ...] = ATTRIBUTE_FIELDS


def environment(lang: str = "vi") -> Environment:
    """A Jinja environment for the report's templates, speaking `lang` ("vi" or "en")."""
    t = Translator(lang)
    env = Environment(
        loader=PackageLoader("plandiff.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        # Template tags on lines of their own leave no blank lines behind.
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A missing value shows as nothing, never as the word "None".
        finalize=lambda value: "" if value is None else value,
    )
    env.globals.update(
        t=t,
        lang=lang,
        # Our own constants, never document text: inlined as they are.
        css=Markup(CSS),
        js=Markup(JS),
        Status=Status,
        ReviewState=ReviewState,
        statuses=STATUSES,
        review_states=REVIEW_STATES,
        matrix_statuses=MATRIX_STATUSES,
        paired_statuses=PAIRED_STATUSES,
        status_rank=STATUS_RANK,
        attributes=ATTRIBUTES,
        plan_name=functools.partial(plan_name, t),
        quality_flags=functools.partial(quality_flags, t),
        attribute_changes=functools.partial(attribute_changes, t),
        stated_attributes=stated_attributes,
        word_diff=word_diff,
        plan_label=functools.partial(plan_label, t),
        family_text=functools.partial(family_text, t),
        witness_text=functools.partial(witness_text, t),
        weak_reason=functools.partial(weak_reason, t),
        weak_verdict=functools.partial(weak_verdict, t),
        parent_reference_text=functools.partial(parent_reference_text, t),
        reference_name=functools.partial(reference_name, t),
        group_name=functools.partial(group_name, t),
        route_text=functools.partial(route_text, t),
        origins=tuple(Origin),
        weak_threshold=format_score(WEAK_CONSENSUS, lang),
    )
    env.filters.update(
        status_label=t.status,
        status_code=t.code,
        review_label=t.review,
        part_label=t.part,
        level_label=t.level,
        origin_label=t.origin,
        field_label=t.field,
        source_label=t.source,
        percent=functools.partial(format_percent, lang=lang),
        score=functools.partial(format_score, lang=lang),
        date=format_date,
        date_key=date_key,
        short=short,
        shorten=shorten,
    )
    return env


# ---------------------------------------------------------------- shared by the pages and the workbook

def plan_name(t: Translator, plan: Plan) -> str:
    """What the reviewer calls the plan: its issuer, else its title, else its file."""
    if plan.issuer:
        return " ".join(plan.issuer.split())
    if plan.title:
        return " ".join(plan.title.split())
    return plan.file_name or t("unknown_issuer")


def plan_label(t: Translator, plan: Plan | str) -> str:
    """"3. UBND xã …": the plan's number in the report and its name; a bare doc_id as it is."""
    return plan if isinstance(plan, str) else f"{plan.number}. {plan_name(t, plan)}"


def family_text(t: Translator, plans: list[Plan] | list[Plan | str]) -> str:
    """Plans counted as one source: "1. X + 2. Y"."""
    return " + ".join(plan_label(t, p) for p in plans)


def witness_text(t: Translator, groups: list[list[Plan | str]]) -> list[str]:
    """One line per independent source of a consensus item: "1. X + 2. Y (one template)"."""
    return [family_text(t, group) + (f" ({t('ev.one_template')})" if len(group) > 1 else "")
            for group in groups]


def weak_reason(t: Translator, weakness: str | None) -> str:
    """Why a verdict's reference item is weakly supported, in words ("" when it is not)."""
    if weakness is None:
        return ""
    return t(f"weak.{weakness}", threshold=format_score(WEAK_CONSENSUS, t.lang))


def weak_verdict(t: Translator, verdict: Verdict) -> str:
    """"Dropped — against an item only one template family has"; "" for a well-supported item."""
    if verdict.weakness is None:
        return ""
    return t("weak.verdict", status=t.status(verdict.status), why=weak_reason(t, verdict.weakness))


def parent_reference_text(t: Translator, ref: ParentReference) -> str:
    """"Implements: Kế hoạch số 82/KH-UBND ngày 17/4/2025 của UBND tỉnh Quảng Ngãi"."""
    parts = [t("doc.number", kind=ref.kind, number=ref.number) if ref.kind else ref.number]
    if format_date(ref.issued_on):
        parts.append(t("doc.date", date=format_date(ref.issued_on)))
    if ref.issuer:
        parts.append(t("doc.issuer", issuer=" ".join(ref.issuer.split())))
    return f"{t('role.' + ref.role)}: {' '.join(parts)}"


def reference_name(t: Translator, ref: Reference) -> str:
    """"Số 82/KH-UBND: Truyền thông …"; the inferred reference by what it is."""
    if ref.inferred:
        return t("ref.inferred_name")
    head = t("ref.number", n=ref.plan_number) if ref.plan_number else (ref.file_name or ref.doc_id)
    title = " ".join((ref.title or "").split())
    return f"{head}: {title}" if title else head


def group_name(t: Translator, group: ParentGroup) -> str:
    """The parent of a group of plans: a reference by number and title, a plan of the batch
    by its number in the report, name and document number."""
    if group.parent_plan is not None:
        plan = group.parent_plan
        return plan_label(t, plan) + (f" ({plan.plan_number})" if plan.plan_number else "")
    if group.reference is not None:
        return reference_name(t, group.reference)
    return t("group.unrouted")


def route_text(t: Translator, plan: Plan) -> str:
    """"Theo nội dung: kế hoạch không dẫn chiếu …": how the plan's parent was chosen."""
    if not plan.reference_match:
        return ""
    return f"{t('match.' + plan.reference_match)}: {t('explain.match.' + plan.reference_match)}"


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


def attribute_changes(t: Translator, verdict: Verdict) -> list[tuple[str, str, str]]:
    """(attribute label, reference's value, plan's value) of each attribute the plan changed."""
    ref, item = verdict.ref, verdict.item
    if ref is None or item is None:
        return []
    return [(t.field(name), ref.attribute(name) or t("empty"), item.attribute(name) or t("empty"))
            for name in ATTRIBUTES if name in verdict.changes]


def stated_attributes(item: Item) -> list[tuple[str, str]]:
    """(attribute name, value) of each attribute the item states."""
    return [(name, item.attribute(name)) for name in ATTRIBUTES if item.attribute(name)]


def short(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def shorten(text: str, limit: int = 240) -> str:
    """About `limit` characters, cut at a word boundary."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def date_key(value: object) -> str:
    """A date as a sortable number (YYYYMMDD); "0" for a missing one."""
    strftime = getattr(value, "strftime", None)
    return strftime("%Y%m%d") if strftime is not None else "0"
