"""Confidence and needs_review on every verdict (align/confidence.py)."""
from plandiff.align import align
from plandiff.align import confidence as conf
from plandiff.align.model import Status
from test_align_meaning import PLAN, REFERENCE, FakeEmbedder, plan_of

# What a careful reader says about the fixture of test_align_meaning: two tasks reworded,
# two reference tasks gone, two new plan tasks (one of them on the budget, like a reference task).
TRUE_PAIRS = {("Đăng tải tin", "Đưa tin, bài"), ("Bố trí kinh", "Trích từ ngân")}
TRUE_DROPPED = {"Tổ chức hội", "Kiểm tra việc"}
TRUE_ADDED = {"Lắp đặt camera", "Dự toán kinh"}


def start(text: str) -> str:
    return " ".join(text.split()[:3])


def judged(rows, ref, plan) -> list[tuple[float, bool, bool]]:
    """(confidence, needs_review, right) per row."""
    out = []
    for r in rows:
        a = start(ref.item(r.reference_item_id).text) if r.reference_item_id else None
        b = start(plan.item(r.item_id).text) if r.item_id else None
        right = ((a, b) in TRUE_PAIRS if a and b else a in TRUE_DROPPED if a else b in TRUE_ADDED)
        out.append((r.confidence, r.needs_review, right))
    return out


def test_on_wording_alone_the_right_verdicts_are_surer_than_the_wrong_ones():
    ref, plan = plan_of(REFERENCE, "ref.txt"), plan_of(PLAN, "plan.txt")
    rows = judged(align(plan, ref), ref, plan)
    right = [c for c, _, ok in rows if ok]
    wrong = [c for c, _, ok in rows if not ok]
    # Wording alone pairs the budget task with the other budget task and misses both rewordings.
    assert len(right) == 3 and len(wrong) == 4
    assert min(right) > max(wrong)
    # Each right verdict is left alone; the rewording dropped on one side and added on the
    # other (each the other's closest unpaired item) is flagged on both.
    assert [flag for _, flag, ok in rows if ok] == [False, False, False]
    flagged = {(start(ref.item(r.reference_item_id).text) if r.reference_item_id else None,
                start(plan.item(r.item_id).text) if r.item_id else None)
               for r in align(plan, ref) if r.needs_review}
    assert flagged == {("Đăng tải tin", None), (None, "Đưa tin, bài")}


def test_with_meaning_every_verdict_is_right_and_none_needs_review():
    ref, plan = plan_of(REFERENCE, "ref.txt"), plan_of(PLAN, "plan.txt")
    rows = judged(align(plan, ref, embedder=FakeEmbedder()), ref, plan)
    assert all(ok for _, _, ok in rows) and len(rows) == 6
    assert not any(flag for _, flag, _ in rows)
    assert min(c for c, _, _ in rows) >= 0.8


def test_a_plan_that_copies_its_reference_is_sure_of_every_verdict():
    ref = plan_of(REFERENCE, "ref.txt")
    copy = plan_of(REFERENCE.replace("huyện Trà Bồng", "xã Trà Phú"), "copy.txt")
    rows = align(copy, ref)
    assert {r.status for r in rows} == {Status.CARRIED}
    assert all(r.confidence >= 0.9 and not r.needs_review for r in rows)


def test_every_row_is_rated_between_0_and_1_and_flagged_by_the_threshold():
    ref, plan = plan_of(REFERENCE, "ref.txt"), plan_of(PLAN, "plan.txt")
    for rows in (align(plan, ref), align(plan, ref, embedder=FakeEmbedder())):
        assert all(0.0 < r.confidence < 1.0 for r in rows)
        assert all(r.needs_review == (r.confidence < conf.REVIEW_BELOW) for r in rows)


def test_the_shipped_models_point_the_right_way():
    # A higher score or a wider margin makes a pair surer, an office taken as renamed less
    # sure; a nearer counterpart on the other side, paired or not, makes a dropped or
    # added row less sure.
    assert conf.PAIR_WEIGHTS[1] > 0 and conf.PAIR_WEIGHTS[2] > 0 and conf.PAIR_WEIGHTS[3] < 0
    assert conf.PAIR_MEANING_WEIGHTS[3] < 0
    assert conf.UNMATCHED_WEIGHTS[1] < 0 and conf.UNMATCHED_WEIGHTS[2] < 0
    assert conf.UNMATCHED_MEANING_WEIGHTS[3] < 0          # a near cosine: less sure it is gone
    assert conf.probability(conf.PAIR_WEIGHTS, (0.95, 0.3, 0)) > conf.probability(conf.PAIR_WEIGHTS, (0.62, 0.02, 0))
    assert conf.probability(conf.PAIR_WEIGHTS, (0.95, 0.3, 0)) > conf.probability(conf.PAIR_WEIGHTS, (0.95, 0.3, 1))
    assert conf.probability(conf.UNMATCHED_WEIGHTS, (0.2, 0.1)) > \
        conf.probability(conf.UNMATCHED_WEIGHTS, (0.58, 0.58))


def test_a_duty_whose_office_was_taken_as_renamed_for_the_level_needs_review():
    from test_align import _organization

    duty = "Chủ trì, hướng dẫn các cơ quan, đơn vị triển khai thực hiện Kế hoạch này trên địa bàn."
    budget = "Tham mưu bố trí kinh phí thực hiện Kế hoạch theo quy định."
    ref = plan_of(_organization(("Phòng Nội vụ", [duty]), ("Phòng Tài chính - Kế hoạch", [budget])), "ref.txt")
    same = plan_of(_organization(("Phòng Nội vụ", [duty]), ("Phòng Tài chính - Kế hoạch", [budget])), "same.txt")
    renamed = plan_of(_organization(("Văn phòng HĐND và UBND xã", [duty]), ("Phòng Kinh tế", [budget])),
                      "renamed.txt")
    kept = [r for r in align(same, ref) if r.item_id and r.reference_item_id]
    taken = [r for r in align(renamed, ref) if r.item_id and r.reference_item_id]
    # The same verdicts (carried: the headings take their duties along) ...
    assert [(r.status.value, r.changes) for r in kept] == [(r.status.value, r.changes) for r in taken]
    assert {r.status.value for r in taken} == {"carried"}
    # ... but where the office is named otherwise, plandiff is less sure and says so.
    assert all(t.confidence < k.confidence for k, t in zip(kept, taken, strict=True))
    assert all(t.needs_review for t in taken) and not any(k.needs_review for k in kept)
