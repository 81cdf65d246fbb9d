"""Every word the workbench shows, in one table (Vietnamese first).

Status, part and attribute names come from the report's table
(`plandiff.report.i18n`) so that the workbench and the report call a verdict
by the same name; only the workbench's own furniture is defined here.
"""
from __future__ import annotations

from plandiff.align import Alignment
from plandiff.align.model import DecisionRule, Relation
from plandiff.report.i18n import LANGS, Translator, format_score

__all__ = ["LANGS", "ReviewTranslator", "format_score"]

# key -> (vi, en)
_STRINGS: dict[str, tuple[str, str]] = {
    "app": ("plandiff · rà soát", "plandiff · review"),
    "plans.title": ("Các kế hoạch cần rà soát", "Plans to review"),
    "plans.note": ("Mỗi kế hoạch kèm số đánh giá đã rà soát, chưa rà soát và cần xem lại.",
                   "Each plan with its verdicts reviewed, still to review and to review again."),
    "plans.none": ("Không có kế hoạch nào đọc được trong thư mục kết quả.",
                   "The output folder holds no plan that could be read."),
    "plans.group": ("Đối chiếu với", "Checked against"),
    "plans.group_none": ("Không có kế hoạch tham chiếu", "No reference plan"),
    "col.plan": ("Kế hoạch", "Plan"),
    "col.route": ("Cách xác định văn bản cấp trên", "How the parent was chosen"),
    # A plan's parent (documents.reference_doc_id) and how the run chose it (reference_match).
    "parent.label": ("Đối chiếu với", "Checked against"),
    "parent.is_plan": ("kế hoạch cấp trên trong cùng đợt", "a higher-level plan of this batch"),
    "parent.inferred": ("kế hoạch tham chiếu suy ra từ nội dung chung của các kế hoạch",
                        "a reference inferred from what the plans share"),
    "parent.flagged": ("cần xác nhận: kế hoạch không trích dẫn văn bản này",
                       "to confirm: the plan does not cite this parent"),
    "parent.evidence": ("Căn cứ xác định", "Why this parent"),
    "parent.children": ("Các kế hoạch cấp dưới đối chiếu với kế hoạch này", "Plans checked against this plan"),
    "match.cited": ("kế hoạch trích dẫn văn bản này", "the plan cites it"),
    "match.content": ("gần nhất về nội dung", "closest by content"),
    "match.consensus": ("không văn bản nào đủ gần; đối chiếu với nội dung chung",
                        "no reference close enough; checked against the consensus"),
    "match.none": ("văn bản tham chiếu của lần chạy", "the run's reference"),
    "col.file": ("Tệp", "File"),
    "col.rows": ("Số đánh giá", "Verdicts"),
    "col.reviewed": ("Đã rà soát", "Reviewed"),
    "col.to_review": ("Chưa rà soát", "To review"),
    "col.stale": ("Cần xem lại", "Stale"),
    "col.status": ("Đánh giá", "Status"),
    "col.ref_text": ("Nội dung kế hoạch tham chiếu", "Reference item"),
    "col.plan_text": ("Nội dung kế hoạch", "Plan item"),
    "col.score": ("Mức tương đồng", "Similarity"),
    "col.doubt": ("Mức nghi ngờ", "Doubt"),
    "col.state": ("Rà soát", "Review"),
    "col.reviewer": ("Người rà soát", "Reviewer"),
    "col.open": ("Mở", "Open"),
    "state.unreviewed": ("Chưa rà soát", "Not reviewed"),
    "state.reviewed": ("Đã rà soát", "Reviewed"),
    "state.stale": ("Cần xem lại", "Review again"),
    "queue.title": ("Hàng đợi rà soát", "Review queue"),
    "queue.note": ("Các đánh giá dễ sai nhất ở trên cùng; các dòng đã rà soát ở cuối.",
                   "The verdicts most likely wrong come first; reviewed rows come last."),
    "queue.order_confidence": ("Xếp theo độ tin cậy tăng dần.", "Sorted by confidence, lowest first."),
    "queue.order_doubt": ("Xếp theo mức nghi ngờ: điểm gần ngưỡng ghép {threshold}, ghép theo cùng cơ quan "
                          "hoặc bao hàm, hoặc có mục gần giống bên kia.",
                          "Sorted by doubt: a score near the match threshold {threshold}, a pair made by "
                          "same office or containment, or a close item on the other side."),
    "queue.empty": ("Kế hoạch này không có đánh giá nào.", "This plan has no verdicts."),
    "stale.title": ("Quyết định cần xem lại (một nội dung đã thay đổi)",
                    "Decisions to review again (an item they name has changed)"),
    "stale.note": ("Các quyết định này không được áp dụng vì nội dung mà chúng nêu đã bị sửa trong văn bản.",
                   "These decisions are not applied: an item they name was edited in the document."),
    "stale.decided": ("{status} — {reviewer}, {date}", "{status} — {reviewer}, {date}"),
    "verdict.title": ("Rà soát đánh giá", "Review a verdict"),
    "verdict.gone": ("Dòng đánh giá này không còn (có thể đã được ghép lại).",
                     "This verdict row no longer exists (it may have been re-paired)."),
    "verdict.position": ("Dòng {n}/{total} trong hàng đợi", "Row {n} of {total} in the queue"),
    "verdict.decided_by": ("Căn cứ", "Decided by"),
    "rule.score": ("điểm tương đồng trên ngưỡng", "score above the threshold"),
    "rule.same_office": ("cùng cơ quan chủ trì (ngưỡng thấp hơn)", "same office (lower threshold)"),
    "rule.containment": ("nằm trong một mục đã ghép (tách hoặc gộp)", "inside a matched item (split or merge)"),
    "rule.no_counterpart": ("không có mục nào đủ gần bên kia", "no counterpart close enough"),
    "rule.meaning": ("nghĩa gần nhau (mô hình ngôn ngữ), khác với lời văn",
                     "meaning (sentence embeddings), against the wording"),
    "rule.reviewer": ("người rà soát quyết định", "a reviewer's decision"),
    "rule.after_review": ("mục bên kia đã được ghép lại khi rà soát", "its counterpart was re-paired in review"),
    "verdict.reason": ("Lý do", "Reason"),
    "verdict.note": ("Ghi chú", "Note"),
    "verdict.changes": ("Thay đổi", "Changes"),
    "verdict.diff": ("So sánh từng từ", "Word differences"),
    "side.reference": ("Kế hoạch tham chiếu", "Reference plan"),
    "side.plan": ("Kế hoạch", "Plan"),
    "side.none": ("(không có nội dung tương ứng)", "(no counterpart)"),
    "item.path": ("Vị trí", "Place"),
    "item.part": ("Phần", "Part"),
    "item.page": ("trang {n}", "page {n}"),
    "item.changed": ("đã thay đổi", "changed"),
    "empty": ("(không ghi)", "(none)"),
    "candidates.title": ("Các mục gần nhất bên kia", "Closest items on the other side"),
    "candidates.none": ("Không có mục nào đủ gần.", "No item comes close."),
    "candidates.suggests": ("gợi ý: {status}", "suggests: {status}"),
    "action.confirm": ("Xác nhận", "Confirm"),
    "action.pair": ("Ghép với mục đã chọn", "Pair with the chosen item"),
    "action.pair_one": ("Ghép", "Pair"),
    "action.dropped": ("Không đề cập", "Mark dropped"),
    "action.added": ("Bổ sung", "Mark added"),
    "form.note": ("Ghi chú", "Note"),
    "form.changes": ("Các thay đổi (sửa nếu chưa đúng)", "Changes (correct them if wrong)"),
    "form.status": ("Đánh giá khi ghép", "Status of a new pair"),
    "search.title": ("Tìm một mục bên kia", "Find an item on the other side"),
    "search.side.plan": ("trong kế hoạch", "in the plan"),
    "search.side.reference": ("trong kế hoạch tham chiếu", "in the reference plan"),
    "search.placeholder": ("Gõ vài từ, có dấu hoặc không", "A few words, with or without diacritics"),
    "search.button": ("Tìm", "Search"),
    "search.results": ("{n} kết quả cho «{q}»", "{n} results for «{q}»"),
    "search.none": ("Không tìm thấy mục nào.", "No item found."),
    "search.more": ("Chỉ hiện {n} kết quả đầu.", "Only the first {n} results are shown."),
    "help.keys": ("Phím tắt: j hoặc → dòng sau · k hoặc ← dòng trước · c xác nhận · 1–3 ghép với ứng viên 1–3 · "
                  "d không đề cập / bổ sung · n ghi chú",
                  "Keys: j or → next row · k or ← previous row · c confirm · 1–3 pair with candidate 1–3 · "
                  "d dropped / added · n note"),
    "nav.plans": ("← Các kế hoạch", "← Plans"),
    "nav.queue": ("← Hàng đợi", "← Queue"),
    "nav.prev": ("← Dòng trước", "← Previous"),
    "nav.next": ("Dòng sau →", "Next →"),
    "reviewer.label": ("Người rà soát", "Reviewer"),
    "reviewer.save": ("Đổi", "Change"),
    "error.title": ("Lỗi", "Error"),
    "error.not_found": ("Không tìm thấy trang này.", "There is no such page."),
    "error.forbidden": ("Yêu cầu bị từ chối.", "The request was refused."),
    # The aligner's reason, said from the row's own figures (the `reason` column is English prose).
    "reason.pair": ("điểm {score}, câu chữ {text}", "score {score}, wording {text}"),
    "reason.changed": ("khác nhau ở: {fields}", "differs in: {fields}"),
    "reason.same": ("câu chữ và thuộc tính như nhau", "same wording and attributes"),
    "reason.adapted": ("câu chữ được điều chỉnh, thuộc tính khớp", "wording adapted, attributes agree"),
    "reason.split": ("một mục tham chiếu tách thành nhiều mục", "one reference item split into several"),
    "reason.merge": ("nhiều mục tham chiếu gộp thành một", "several reference items merged into one"),
    "reason.unmatched": ("không có mục nào bên kia vượt ngưỡng", "no item on the other side above the threshold"),
    "reason.closest": ("gần nhất: {score}", "closest: {score}"),
}


class ReviewTranslator:
    """`t("key", **fields)`: the workbench's words, then the report's (statuses, parts, fields)."""

    def __init__(self, lang: str = "vi") -> None:
        self.report = Translator(lang)     # raises ValueError on an unknown language
        self.lang = lang
        self._col = LANGS.index(lang)

    def __call__(self, key: str, **fields: object) -> str:
        entry = _STRINGS.get(key)
        if entry is None:
            return self.report(key, **fields)
        text = entry[self._col]
        return text.format(**fields) if fields else text

    def status(self, status: str | None) -> str:
        return self.report.status(status)

    def part(self, part: str | None) -> str:
        return self.report.part(part)

    def field(self, name: str) -> str:
        return self.report.field(name)

    def rule(self, rule: str | None) -> str:
        return self(f"rule.{rule}") if rule else ""

    def reason(self, a: Alignment) -> str:
        """Why the aligner gave the row its verdict, in the page's language: the English
        `reason` as written, or the same said from the row's figures."""
        if self.lang == "en" or a.decided_by in (DecisionRule.REVIEWER, DecisionRule.AFTER_REVIEW):
            return a.reason if self.lang == "en" else ""
        if a.reference_item_id is None or a.item_id is None:
            closest = self("reason.closest", score=self.score(a.candidate_score)) if a.candidate_score else ""
            return "; ".join(x for x in (self("reason.unmatched"), closest) if x)
        parts = [self("reason.pair", score=self.score(a.score), text=self.score(a.text_score))]
        attributes = [c for c in a.changes if c != "text"]
        if attributes:
            parts.append(self("reason.changed", fields=", ".join(self.field(c) for c in attributes)))
        else:
            parts.append(self("reason.adapted" if "text" in a.changes else "reason.same"))
        if a.relation in (Relation.SPLIT, Relation.MERGE):
            parts.append(self(f"reason.{a.relation}"))
        return "; ".join(parts)

    def match(self, match: str | None) -> str:
        """How a plan's parent was chosen (cited | content | consensus), in words."""
        return self(f"match.{match}") if match in ("cited", "content", "consensus") else self("match.none")

    def state(self, state: str) -> str:
        return self(f"state.{state}")

    def score(self, value: float | None) -> str:
        return format_score(value, self.lang)


def strings() -> dict[str, tuple[str, str]]:
    """The table itself (tests check both languages are filled in)."""
    return dict(_STRINGS)
