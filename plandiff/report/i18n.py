"""Every word the report and the workbook show, in one table (Vietnamese first).

Status terms.  The issue proposes Giữ nguyên / Điều chỉnh / Không thực hiện /
Bổ sung.  We keep three of them and change one:

* ``carried``  -> "Giữ nguyên": the item is kept with its lead, partners,
  timeline and frequency; the wording may differ (the diff shows it).
* ``modified`` -> "Điều chỉnh": kept, but an attribute (lead, partners,
  timeline, frequency) was changed.
* ``dropped``  -> "Không đề cập" (not mentioned), rather than "Không thực
  hiện" (not carried out).  plandiff only observes that the filed plan does
  not mention the item; it cannot know that the body will not carry it out,
  and the matcher may have missed a reworded item.  "Không thực hiện" would
  put an accusation in an official's mouth that the data does not support;
  "Không đề cập" states exactly what was observed and is the usual wording of
  review notes ("kế hoạch không đề cập nội dung …").
* ``added``    -> "Bổ sung": an item of the plan with no counterpart in the
  reference.

Origins of a consensus item (`plandiff.align.consensus.Origin`): "Văn bản gốc"
(found in two or more independent sources, most likely the parent's text),
"Bổ sung của một mẫu" (only in near-copies of one template), "Một kế hoạch".
A source ("nguồn") is one plan, or one family of plans copied from one
template: reviewers count documents, and near-copies are one document to them.

Review states (`plandiff.decisions.ReviewState`): "Đã duyệt" (a reviewer
signed the row off), "Cần duyệt lại" (a reviewer decided on it, but an item's
text has changed since, so the decision no longer applies), "Chưa duyệt".

A verdict the aligner rates doubtful (`alignments.needs_review`) is "Cần xem lại"
(to look at again: no reviewer has decided on it yet), apart from "Cần duyệt lại"
(a reviewer's decision to revisit); its confidence is "độ tin cậy".
"""
from __future__ import annotations

import datetime as _dt

from plandiff.align.consensus import Origin

LANGS = ("vi", "en")

# key -> (vi, en)
_STRINGS: dict[str, tuple[str, str]] = {
    # statuses, their one-letter codes (matrix cells) and explanations
    "status.carried": ("Giữ nguyên", "Carried over"),
    "status.modified": ("Điều chỉnh", "Modified"),
    "status.dropped": ("Không đề cập", "Dropped"),
    "status.added": ("Bổ sung", "Added"),
    "status.none": ("Chưa đối chiếu", "Not compared"),
    "code.carried": ("G", "C"),
    "code.modified": ("Đ", "M"),
    "code.dropped": ("K", "D"),
    "code.added": ("B", "A"),
    "code.none": ("·", "·"),
    "explain.carried": ("Kế hoạch giữ nội dung, cơ quan chủ trì, phối hợp, thời gian và tần suất "
                        "(có thể diễn đạt khác)",
                        "The plan keeps the item with its lead, partners, timeline and frequency "
                        "(the wording may differ)"),
    "explain.modified": ("Kế hoạch giữ nội dung nhưng thay đổi cơ quan chủ trì, phối hợp, "
                         "thời gian hoặc tần suất",
                         "The plan keeps the item but changes its lead, partners, timeline "
                         "or frequency"),
    "explain.dropped": ("Kế hoạch không đề cập nội dung này của kế hoạch tham chiếu",
                        "The plan does not mention this item of the reference"),
    "explain.added": ("Nội dung kế hoạch tự đề ra, không có trong kế hoạch tham chiếu",
                      "An item of the plan that the reference does not have"),
    # review states (plandiff.decisions.ReviewState) and the marks on a row
    "review.unreviewed": ("Chưa duyệt", "Not reviewed"),
    "review.reviewed": ("Đã duyệt", "Reviewed"),
    "review.stale": ("Cần duyệt lại", "Needs re-review"),
    "review.by": ("Đã duyệt: {reviewer}, {date}", "Reviewed: {reviewer}, {date}"),
    "review.note": ("Ghi chú: {note}", "Note: {note}"),
    "review.stale_explain": ("Người duyệt đã quyết định về dòng này, nhưng nội dung mục đã thay "
                             "đổi sau đó nên quyết định không còn được áp dụng",
                             "A reviewer decided on this row, but an item's text has changed "
                             "since, so the decision no longer applies"),
    "review.after_review": ("Không còn mục tương ứng vì người duyệt đã ghép mục kia với mục khác",
                            "Left without a counterpart: a reviewer paired its counterpart "
                            "with another item"),
    "review.progress": ("Đã duyệt {n}/{total}", "Reviewed {n}/{total}"),
    "review.stale_count": ("{n} cần duyệt lại", "{n} need re-review"),
    # how sure the aligner is of a verdict (alignments.confidence, needs_review)
    "confidence.short": ("độ tin cậy", "confidence"),
    "confidence.explain": ("Khả năng đánh giá này đúng, từ 0 đến 1 (1: người duyệt đã quyết định)",
                           "How likely this verdict is right, from 0 to 1 (1: a reviewer decided)"),
    "needs_review.heading": ("Cần xem lại", "Needs review"),
    "needs_review.note": ("Các đánh giá có độ tin cậy thấp, người duyệt nên xem trước: độ tin cậy thấp "
                          "nhất lên đầu. Các nội dung còn lại ở các phần dưới.",
                          "Verdicts with a low confidence, for a reviewer to look at first: the least "
                          "confident first. The other items follow in the sections below."),
    "needs_review.count": ("{n} cần xem lại", "{n} need review"),
    "col.confidence": ("Độ tin cậy", "Confidence"),
    "col.needs_review": ("Cần xem lại", "Needs review"),
    "col.needs_review_rows": ("Số dòng cần xem lại", "Rows needing review"),
    # parts of a plan
    "part.preamble": ("Căn cứ", "Legal bases"),
    "part.purpose": ("Mục đích", "Purpose"),
    "part.requirements": ("Yêu cầu", "Requirements"),
    "part.content": ("Nội dung", "Content"),
    "part.tasks": ("Nhiệm vụ, hoạt động", "Tasks and activities"),
    "part.budget": ("Kinh phí", "Budget"),
    "part.organization": ("Tổ chức thực hiện", "Organisation"),
    "part.closing": ("Phần kết", "Closing"),
    "part.other": ("Khác", "Other"),
    # administrative levels
    "level.province": ("Tỉnh", "Province"),
    "level.department": ("Sở, ban, ngành", "Department"),
    "level.district": ("Huyện", "District"),
    "level.commune": ("Xã, phường", "Commune"),
    "level.unknown": ("Chưa xác định", "Unknown"),
    # attributes
    "field.text": ("Nội dung", "Text"),
    "field.lead": ("Chủ trì", "Lead"),
    "field.partners": ("Phối hợp", "Partners"),
    "field.timeline": ("Thời gian", "Timeline"),
    "field.frequency": ("Tần suất", "Frequency"),
    "text.reworded": ("Diễn đạt khác", "Reworded"),
    "empty": ("(không ghi)", "(none)"),
    # page furniture
    "app": ("plandiff", "plandiff"),
    "index.title": ("Báo cáo đối chiếu kế hoạch triển khai", "Plan compliance report"),
    "index.subtitle": ("Đối chiếu các kế hoạch của cơ quan, địa phương với kế hoạch tham chiếu",
                       "Filed plans compared with the reference plan"),
    "ref.heading": ("Kế hoạch tham chiếu", "Reference plan"),
    "ref.inferred": ("SUY LUẬN", "INFERRED"),
    "ref.inferred_note": (
        "Văn bản kế hoạch cấp trên không có trong dữ liệu đầu vào. Kế hoạch tham chiếu được "
        "suy luận từ chính các kế hoạch đã nộp ({plans} kế hoạch): gồm {n} nội dung, mỗi nội "
        "dung có trong ít nhất {k} nguồn độc lập. Cột «Số nguồn» cho biết mỗi nội dung có "
        "trong bao nhiêu nguồn; bấm vào đó để xem các kế hoạch có nội dung. Khi có văn bản "
        "gốc, hãy chạy lại với --reference.",
        "The parent plan's text was not among the inputs. The reference was inferred from the "
        "{plans} filed plans themselves: {n} items, each found in at least {k} independent "
        "sources. The column «Sources» gives the number of sources containing each item; click "
        "it for the plans behind the item. Run again with --reference once the real plan is "
        "available."),
    "ref.sources_note": ("Một nguồn là một kế hoạch, hoặc một nhóm kế hoạch gần như sao chép "
                         "cùng một mẫu.",
                         "A source is one plan, or one family of plans that are near-copies of "
                         "one template."),
    "ref.origins": ("Theo nguồn gốc: {counts}.", "By origin: {counts}."),
    # template families and the evidence of each consensus item
    "families.line": ("Các kế hoạch gần như sao chép nhau, tính là một nguồn: {plans}",
                      "Plans that are near-copies of one another, counted as one source: {plans}"),
    "families.none": ("Không có kế hoạch nào sao chép kế hoạch khác: mỗi kế hoạch là một nguồn.",
                      "No plan is a near-copy of another: each plan is one source."),
    "origin.parent": ("Văn bản gốc", "parent's text"),
    "origin.family": ("Bổ sung của một mẫu", "one template's addition"),
    "origin.plan": ("Một kế hoạch", "one plan"),
    "explain.origin.parent": ("có trong ít nhất hai nguồn độc lập, nhiều khả năng là nội dung "
                              "của văn bản cấp trên",
                              "found in two or more independent sources, most likely the parent "
                              "plan's text"),
    "explain.origin.family": ("chỉ có trong các kế hoạch sao chép cùng một mẫu, có thể do mẫu đó "
                              "tự thêm",
                              "only in plans copied from one template, possibly that template's "
                              "own addition"),
    "explain.origin.plan": ("chỉ có trong một kế hoạch", "in one plan only"),
    "ev.sources": ("Nguồn", "Sources"),
    "ev.one_template": ("một mẫu", "one template"),
    "ev.levels": ("Cấp", "Levels"),
    "ev.variants": ("Số cách diễn đạt", "Wordings"),
    "ev.origin": ("Nguồn gốc", "Origin"),
    "ev.confidence": ("Độ tin cậy", "Confidence"),
    "ev.plans": ("Các kế hoạch có nội dung", "Plans carrying the item"),
    "weak.tag": ("Ít căn cứ", "Weakly supported"),
    "weak.family": ("đối chiếu với nội dung chỉ một mẫu có",
                    "against an item only one template family has"),
    "weak.plan": ("đối chiếu với nội dung chỉ một kế hoạch có", "against an item only one plan has"),
    "weak.low": ("đối chiếu với nội dung ít căn cứ (độ tin cậy dưới {threshold})",
                 "against a weakly supported item (confidence below {threshold})"),
    "weak.verdict": ("{status} — {why}", "{status} — {why}"),
    "weak.note": ("Nội dung ít căn cứ (dòng in nghiêng): chỉ một mẫu hoặc một kế hoạch có, hoặc "
                  "độ tin cậy dưới {threshold}. Các nội dung này được đánh dấu và không tính vào "
                  "tỷ lệ bao quát, mà được tính riêng.",
                  "Weakly supported items (rows in italics): found in one template family or one "
                  "plan only, or with a confidence below {threshold}. They are marked and kept "
                  "out of the coverage share, and counted apart."),
    "weak.apart": ("Nội dung ít căn cứ, tính riêng: {n}/{total} có trong kế hoạch",
                   "Weakly supported items, counted apart: {n}/{total} in the plan"),
    "col.weak_covered": ("Nội dung ít căn cứ có trong KH (tính riêng)",
                         "Weak items in the plan (counted apart)"),
    "col.weak_total": ("Tổng số nội dung ít căn cứ", "Weak items"),
    "col.weak": ("Ít căn cứ", "Weakly supported"),
    "col.family": ("Nhóm mẫu", "Template family"),
    "col.implements": ("Thực hiện văn bản", "Implements"),
    "ref.given_note": ("Kế hoạch tham chiếu do người dùng cung cấp: {n} nội dung được đối chiếu.",
                       "Reference plan given by the user: {n} items compared."),
    "ref.number": ("Số {n}", "No. {n}"),
    "ref.none": ("Không có kế hoạch tham chiếu trong các bảng.", "No reference in the tables."),
    "plans.heading": ("Các kế hoạch đã đối chiếu", "Plans compared"),
    "matrix.heading": ("Ma trận đối chiếu", "Coverage matrix"),
    "matrix.note": ("Mỗi dòng là một nội dung của kế hoạch tham chiếu, mỗi cột là một kế hoạch. "
                    "Bấm vào tiêu đề cột để sắp xếp; bấm vào ô để xem chi tiết.",
                    "One row per reference item, one column per plan. Click a column heading "
                    "to sort; click a cell for the details."),
    "matrix.review_note": ("Dấu ✓: người duyệt đã duyệt ô; viền đứt nét: cần duyệt lại.",
                           "A ✓: a reviewer signed the cell off; a dashed outline: it needs "
                           "re-review."),
    "legend": ("Chú giải", "Legend"),
    "col.no": ("STT", "No."),
    "col.plan": ("Kế hoạch", "Plan"),
    "col.issuer": ("Cơ quan ban hành", "Issuer"),
    "col.level": ("Cấp", "Level"),
    "col.number": ("Số hiệu", "Number"),
    "col.date": ("Ngày ban hành", "Date"),
    "col.file": ("Tệp", "File"),
    "col.coverage": ("Tỷ lệ bao quát", "Reference covered"),
    "col.quality": ("Chất lượng dữ liệu", "Data quality"),
    "col.item": ("Mục", "Item"),
    "col.part": ("Phần", "Part"),
    "col.content": ("Nội dung", "Text"),
    "col.support": ("Số nguồn", "Sources"),
    "col.dropped_by": ("Số KH không đề cập", "Plans dropping it"),
    "col.ref_text": ("Nội dung kế hoạch tham chiếu", "Reference item"),
    "col.plan_text": ("Nội dung kế hoạch", "Plan item"),
    "col.status": ("Đánh giá", "Status"),
    "col.changes": ("Thay đổi", "Changes"),
    "col.score": ("Mức tương đồng", "Similarity"),
    "col.closest": ("Mục gần nhất bên kia (dưới ngưỡng hoặc đã ghép)",
                    "Closest item on the other side (below the threshold or paired elsewhere)"),
    "score.short": ("tương đồng", "similarity"),
    "closest.plan": ("Mục gần nhất trong kế hoạch, dưới ngưỡng hoặc đã ghép với mục khác",
                     "Closest plan item, below the threshold or paired elsewhere"),
    "closest.ref": ("Mục gần nhất trong kế hoạch tham chiếu, dưới ngưỡng hoặc đã ghép với mục khác",
                    "Closest reference item, below the threshold or paired elsewhere"),
    "col.ref_label": ("Mục tham chiếu", "Reference item no."),
    "col.plan_label": ("Mục kế hoạch", "Plan item no."),
    "col.doc_id": ("Mã văn bản", "Document id"),
    "col.error": ("Lỗi", "Error"),
    "col.ocr_pages": ("Số trang OCR", "OCR'd pages"),
    "col.restored": ("Khôi phục dấu", "Diacritics restored"),
    "col.total_items": ("Tổng số mục", "Items"),
    "col.review": ("Đã duyệt", "Reviewed"),
    "col.review_state": ("Trạng thái duyệt", "Review state"),
    "col.reviewer": ("Người duyệt", "Reviewer"),
    "col.reviewed_on": ("Ngày duyệt", "Reviewed on"),
    "col.review_note": ("Ghi chú duyệt", "Review note"),
    "col.reviewed_rows": ("Số dòng đã duyệt", "Rows reviewed"),
    "col.stale_rows": ("Số dòng cần duyệt lại", "Rows needing re-review"),
    "total": ("Tổng cộng", "Total"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "failed": ("Không đọc được", "Failed"),
    "flag.ocr": ("{n}/{total} trang nhận dạng OCR (độ tin cậy {conf})",
                 "{n}/{total} pages OCR'd (confidence {conf})"),
    "flag.ocr_noconf": ("{n}/{total} trang nhận dạng OCR", "{n}/{total} pages OCR'd"),
    "flag.restored": ("Đã khôi phục dấu tiếng Việt ({n} trang)", "Diacritics restored ({n} pages)"),
    "flag.no_diacritics": ("Văn bản thiếu dấu tiếng Việt (chưa khôi phục): kết quả đối chiếu "
                           "kém tin cậy hơn",
                           "Text without Vietnamese diacritics (not restored): matching is "
                           "less reliable"),
    "flag.no_issuer": ("Không xác định được cơ quan ban hành", "Issuer not found"),
    "flag.ok": ("Tốt", "Good"),
    "flag.failed": ("Lỗi đọc tệp: {error}", "Could not be read: {error}"),
    "unknown_issuer": ("(không rõ cơ quan ban hành)", "(issuer unknown)"),
    "back": ("← Về trang tổng hợp", "← Back to the overview"),
    "plan.meta": ("Thông tin văn bản", "Document"),
    "plan.title": ("Trích yếu", "Title"),
    "plan.place": ("Địa danh", "Place"),
    "plan.signer": ("Người ký", "Signed by"),
    "plan.source": ("Nguồn văn bản", "Text source"),
    "plan.pages": ("Số trang", "Pages"),
    "pages.n": ("{n} trang", "{n} pages"),
    "page.short": ("tr. {n}", "p. {n}"),
    "plan.parent_refs": ("Căn cứ kế hoạch số", "Implements plan no."),
    "plan.parent_references": ("Văn bản cấp trên", "Parent documents"),
    "plan.decision": ("Ban hành kèm theo quyết định", "Issued with decision"),
    "plan.family": ("Nhóm mẫu", "Template family"),
    "plan.family_with": ("Gần như sao chép {plans}: tính chung là một nguồn",
                         "A near-copy of {plans}: counted together as one source"),
    "plan.family_alone": ("Không sao chép kế hoạch nào khác: là một nguồn riêng",
                          "Copies no other plan: a source of its own"),
    "role.implements": ("Thực hiện", "Implements"),
    "role.basis": ("Căn cứ", "Basis"),
    "doc.number": ("{kind} số {number}", "{kind} No. {number}"),
    "doc.date": ("ngày {date}", "of {date}"),
    "doc.issuer": ("của {issuer}", "by {issuer}"),
    "plan.compared": ("Nội dung đã đối chiếu", "Items compared"),
    "plan.dropped": ("Nội dung không đề cập", "Reference items not mentioned"),
    "plan.added": ("Nội dung bổ sung", "Items added by the plan"),
    "plan.none_rows": ("Không có nội dung nào.", "None."),
    "plan.failed": ("Không đọc được văn bản này, nên chưa thể đối chiếu.",
                    "This document could not be read, so it was not compared."),
    "filter.status": ("Lọc theo đánh giá", "Filter by status"),
    "filter.part": ("Lọc theo phần", "Filter by part"),
    "filter.all": ("Tất cả", "All"),
    "filter.review": ("Lọc theo duyệt", "Filter by review"),
    "diff.legend": ("Chữ gạch đỏ: có trong kế hoạch tham chiếu nhưng không có trong kế hoạch; "
                    "chữ nền xanh: kế hoạch viết thêm. So sánh theo từng từ, phân biệt dấu.",
                    "Struck red: in the reference but not in the plan; green: written by the "
                    "plan. Compared word by word, diacritics included."),
    "source.text_layer": ("PDF có lớp chữ", "PDF text layer"),
    "source.ocr": ("Bản quét (OCR)", "Scan (OCR)"),
    "source.plain_text": ("Tệp văn bản", "Text file"),
    "source.mixed": ("Hỗn hợp", "Mixed"),
    "source.legacy_converted": ("Chuyển từ phông cũ", "Legacy font converted"),
    "generated": ("Lập từ các bảng dữ liệu trong {out}", "Rendered from the tables in {out}"),
    # routing: which parent each plan was checked against, and how it was chosen
    "match.cited": ("Dẫn chiếu", "Cited"),
    "match.content": ("Theo nội dung", "By content"),
    "match.consensus": ("Suy luận chung", "Consensus"),
    "explain.match.cited": ("kế hoạch ghi rõ là thực hiện văn bản này",
                            "the plan names it as the plan it implements"),
    "explain.match.content": ("kế hoạch không dẫn chiếu văn bản cấp trên; chọn văn bản có nội dung gần nhất",
                              "the plan cites no parent; the closest reference by content was chosen"),
    "explain.match.consensus": ("không văn bản nào đủ gần về nội dung; đối chiếu với kế hoạch tham chiếu "
                                "suy luận từ các kế hoạch",
                                "no reference was close enough; checked against the reference inferred "
                                "from the plans"),
    "route.flagged": ("Cần xác nhận", "To confirm"),
    "route.flag_note": ("Kế hoạch không dẫn chiếu văn bản cấp trên này: người duyệt cần xác nhận",
                        "The plan does not cite this parent: a reviewer should confirm it"),
    "route.warning": ("Cần xác nhận văn bản cấp trên: {how}. Kết quả đối chiếu dưới đây chỉ đúng nếu "
                      "đây đúng là văn bản kế hoạch thực hiện.",
                      "Parent to confirm: {how}. The results below hold only if this is the plan it "
                      "implements."),
    "plan.parent": ("Đối chiếu với", "Checked against"),
    "plan.match": ("Cách xác định", "How it was chosen"),
    "plan.evidence": ("Căn cứ xác định", "Evidence"),
    "ref.inferred_name": ("Kế hoạch tham chiếu suy luận", "Inferred reference"),
    "group.heading": ("Văn bản cấp trên {n}", "Parent {n}"),
    "group.plans": ("Các kế hoạch đối chiếu với văn bản này ({n})", "Plans checked against it ({n})"),
    "group.flagged": ("{n} cần xác nhận", "{n} to confirm"),
    "group.count": ("{n} kế hoạch", "{n} plans"),
    "group.unrouted": ("Kế hoạch chưa đối chiếu", "Plans not compared"),
    "group.parent_plan": ("Kế hoạch cấp trên nộp trong cùng đợt", "A parent plan filed in this batch"),
    "group.chain_note": ("Kế hoạch này cũng được nộp trong đợt và là văn bản cấp trên của các kế hoạch "
                         "dưới đây: {n} nội dung được đối chiếu.",
                         "This plan was filed in the batch too and is the parent of the plans below: "
                         "{n} items compared."),
    "group.itself": ("Bản thân kế hoạch này được đối chiếu với: {parent}", "Itself checked against: {parent}"),
    "library.heading": ("Văn bản cấp trên", "Parent plans"),
    "library.note": ("{plans} kế hoạch, mỗi kế hoạch được đối chiếu với văn bản cấp trên của nó: "
                     "{groups} văn bản cấp trên được dùng; {flagged} kế hoạch không dẫn chiếu văn bản "
                     "cấp trên được chọn (cần xác nhận).",
                     "{plans} plans, each checked against its own parent: {groups} parents used; "
                     "{flagged} plans do not cite the parent chosen for them (to confirm)."),
    "library.unused": ("Văn bản tham chiếu không kế hoạch nào dùng: {refs}",
                       "References no plan was checked against: {refs}"),
    "library.lineage": ("Nội dung của văn bản gốc qua các cấp", "The root plans' items down the chain"),
    "lineage.title": ("Nội dung văn bản gốc qua các cấp", "Items down the chain"),
    "lineage.subtitle": ("Mỗi nội dung của văn bản gốc có đến được các kế hoạch cấp dưới không",
                         "Did each item of a root plan reach the plans below it?"),
    "lineage.root": ("Văn bản gốc", "Root plan"),
    "lineage.note": ("Mỗi dòng là một nội dung của văn bản gốc. Cấp 1: các kế hoạch đối chiếu trực tiếp "
                     "với văn bản gốc; cấp 2 trở xuống: các kế hoạch đối chiếu với kế hoạch cấp 1, …  "
                     "Một nội dung đến được kế hoạch khi có chuỗi mục tương ứng qua từng cấp; nếu không, "
                     "ô ghi kế hoạch đầu tiên trên đường đi đã không đề cập nội dung.",
                     "One row per item of the root plan. Level 1: the plans checked against the root "
                     "itself; level 2 and below: the plans checked against a level-1 plan, … An item "
                     "reaches a plan when a chain of matched items leads to it; if not, the cell names "
                     "the first plan on the way that left it out."),
    "lineage.level": ("Cấp {n}", "Level {n}"),
    "lineage.lost_at": ("mất tại {file}", "lost at {file}"),
    "lineage.none": ("Không có chuỗi kế hoạch nhiều cấp trong đợt này.", "No chain of plans in this run."),
    "col.children": ("Cấp 1 giữ", "Carried at level 1"),
    "col.below": ("Đến được cấp 2 trở xuống", "Reached level 2 and below"),
    "col.parent": ("Văn bản cấp trên", "Parent"),
    "col.match": ("Cách xác định", "Chosen by"),
    "col.flagged": ("Cần xác nhận", "To confirm"),
    "col.evidence": ("Căn cứ xác định", "Evidence"),
    "col.root": ("Văn bản gốc", "Root plan"),
    "col.depth": ("Cấp", "Level"),
    "col.path": ("Đường đi", "Path"),
    "col.lost_at": ("Mất tại", "Lost at"),
    "col.plan_items": ("Mục tương ứng", "Plan items"),
    # workbook
    "sheet.lineage": ("Qua các cấp", "Lineage"),
    "sheet.summary": ("Tổng hợp", "Summary"),
    "sheet.matrix": ("Ma trận", "Matrix"),
    "sheet.plan_prefix": ("KH", "P"),
    "col.sheet": ("Trang tính", "Sheet"),
}


class Translator:
    """`t("key", **fields)` in one language; statuses, review states, parts and levels by name."""

    def __init__(self, lang: str = "vi") -> None:
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
        self.lang = lang
        self._col = LANGS.index(lang)

    def __call__(self, key: str, **fields: object) -> str:
        try:
            text = _STRINGS[key][self._col]
        except KeyError:
            return key
        return text.format(**fields) if fields else text

    def status(self, status: str | None) -> str:
        return self(f"status.{status or 'none'}")

    def code(self, status: str | None) -> str:
        return self(f"code.{status or 'none'}")

    def review(self, state: str | None) -> str:
        """A review state's label; a table without review columns reads as not reviewed."""
        return self(f"review.{state or 'unreviewed'}")

    def part(self, part: str | None) -> str:
        return self(f"part.{part or 'other'}")

    def level(self, level: str | None) -> str:
        return self(f"level.{level or 'unknown'}")

    def origin(self, origin: Origin | str | None) -> str:
        """A consensus origin's label ("" for none: an item of a given reference)."""
        return self(f"origin.{Origin(origin)}") if origin else ""

    def field(self, name: str) -> str:
        return self(f"field.{name}")

    def source(self, source: str | None) -> str:
        return self(f"source.{source}") if source else ""


def format_date(value: object) -> str:
    """17/4/2025: day and month without leading zeros, as Vietnamese documents write them."""
    if value is None or value != value:  # None or NaN/NaT
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = _dt.date.fromisoformat(text[:10])
        except ValueError:
            return text
    if hasattr(value, "day") and hasattr(value, "month") and hasattr(value, "year"):
        return f"{value.day}/{value.month}/{value.year}"
    return str(value)


def format_percent(share: float | None, lang: str) -> str:
    if share is None:
        return ""
    text = f"{share * 100:.0f}%"
    return text if lang == "en" else text.replace(".", ",")


def format_score(score: float | None, lang: str) -> str:
    if score is None or score != score:
        return ""
    text = f"{score:.2f}"
    return text if lang == "en" else text.replace(".", ",")
