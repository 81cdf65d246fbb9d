"""Template families in the consensus reference (`--reference auto`): near-copies
count as one witness, and every consensus item carries its evidence."""
from dataclasses import replace
from pathlib import Path

from plandiff.align import AlignConfig
from plandiff.align.consensus import ItemEvidence, Origin, infer_consensus, infer_reference
from plandiff.parse.model import AdminLevel, Item, ItemKind, Metadata, Part, PlanDocument

# Six tasks of the parent, carried by most plans.
P1 = "Tổ chức truyền thông, hưởng ứng Ngày chuyển đổi số quốc gia trên địa bàn."
P2 = "Cập nhật, công khai các thủ tục hành chính trên Cổng thông tin điện tử."
P3 = "Tổ chức cuộc thi tìm hiểu về cải cách hành chính trong đoàn viên, thanh niên."
P4 = "Xây dựng chuyên mục về chuyển đổi số trên hệ thống truyền thanh cơ sở mỗi tháng một kỳ."
P5 = "Đánh giá mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước."
P6 = "Bồi dưỡng kỹ năng số cho cán bộ, công chức làm công tác một cửa."
# Additions of the template that plans a and b fill in (b's copy of X2 lost a mark).
X1 = "Lắp đặt bảng tin điện tử tại nhà văn hóa các thôn để niêm yết thông tin."
X2 = "Tập huấn sử dụng ứng dụng định danh điện tử VNeID cho tổ công nghệ số cộng đồng."
X2_SLIP = "Tap huấn sử dụng ứng dụng định danh điện tử VNeID cho tổ công nghệ số cộng đồng."
# Each independent plan's own item, and one item only the commune c and the district d have.
Y1 = "Treo băng rôn, khẩu hiệu tuyên truyền tại các tuyến đường chính của xã."
Z1 = "Biên soạn tài liệu hỏi đáp về dịch vụ công trực tuyến phát cho các hộ gia đình."
W = "Phát động phong trào thi đua thực hiện thanh toán không dùng tiền mặt tại chợ."

COMMUNE, DISTRICT = AdminLevel.COMMUNE, AdminLevel.DISTRICT


def _plan(doc_id: str, level: AdminLevel, *texts: str) -> PlanDocument:
    items = tuple(Item(item_id=f"{doc_id}:{k}", parent_id=None, ordinal=k, depth=1, label=f"{k}.",
                       kind=ItemKind.TASK, heading="", text=text, part=Part.TASKS)
                  for k, text in enumerate(texts, 1))
    return PlanDocument(doc_id=doc_id, meta=Metadata(admin_level=level), items=items)


def _plans() -> list[PlanDocument]:
    """a and b: two communes filling in one template (b a near-copy of a);
    c: an independent commune; d: a district."""
    return [
        _plan("a", COMMUNE, P1, P2, P3, P4, P5, P6, X1, X2),
        _plan("b", COMMUNE, P1, P2, P3, P4, P5, P6, X1, X2_SLIP),
        _plan("c", COMMUNE, P1, P2, P3, P4, P6, Y1, W),
        _plan("d", DISTRICT, P2, P3, P4, P5, P6, Z1, W),
    ]


def _by_text(consensus) -> dict[str, ItemEvidence]:
    reference = consensus.reference
    return {reference.item(item_id).text: evidence for item_id, evidence in consensus.evidence.items()}


def test_two_near_copies_count_once():
    consensus = infer_consensus(_plans())
    assert consensus.families.family_of == {"a": "a", "b": "a", "c": "c", "d": "d"}
    assert [(link.doc_a, link.doc_b, link.copy_share) for link in consensus.families.links] == [("a", "b", 1.0)]
    support = {text: (e.support, e.plans) for text, e in _by_text(consensus).items()}
    assert support == {
        P1: (2, ("a", "b", "c")),        # three plans, two witnesses
        P2: (3, ("a", "b", "c", "d")),
        P3: (3, ("a", "b", "c", "d")),
        P4: (3, ("a", "b", "c", "d")),
        P5: (2, ("a", "b", "d")),
        P6: (3, ("a", "b", "c", "d")),
        W: (2, ("c", "d")),
    }
    items = {it.text: it.support for it in consensus.reference.items if it.kind is ItemKind.TASK}
    assert items == {text: s for text, (s, _) in support.items()}  # Item.support = independent witnesses


def test_a_shared_addition_of_one_family_is_not_consensus():
    consensus = infer_consensus(_plans())
    assert X1 not in _by_text(consensus) and X2 not in _by_text(consensus)
    assert consensus.single_family_dropped == 2
    # The plan-counting rule (families not grouped) takes the template's additions for the parent's.
    old = infer_consensus(_plans(), group_families=False)
    assert {X1, X2} <= set(_by_text(old))
    assert old.families.family_of == {"a": "a", "b": "b", "c": "c", "d": "d"}
    assert _by_text(old)[X1].support == 2
    # With min_support 1 they are there, as one family's own text.
    once = _by_text(infer_consensus(_plans(), replace(AlignConfig(), min_support=1)))
    assert once[X1].origin is Origin.FAMILY and once[Y1].origin is Origin.PLAN
    assert once[P1].origin is Origin.PARENT


def test_a_two_level_witness_outweighs_two_same_level_copies():
    evidence = _by_text(infer_consensus(_plans(), replace(AlignConfig(), min_support=1)))
    # W: a commune and a district; X1: two commune copies of one template; P1: two independent communes.
    assert (evidence[W].support, evidence[W].weighted_support, evidence[W].levels) == (2, 2.5, ("commune", "district"))
    assert (evidence[X1].support, evidence[X1].weighted_support, evidence[X1].levels) == (1, 1.0, ("commune",))
    assert (evidence[P1].support, evidence[P1].weighted_support) == (2, 2.0)
    assert evidence[W].confidence > evidence[P1].confidence > evidence[X1].confidence == 0.0
    assert (evidence[W].confidence, evidence[P1].confidence) == (0.6464, 0.5)
    # At the default min_support the cross-level item is consensus and the copies' addition is not.
    kept = _by_text(infer_consensus(_plans()))
    assert W in kept and X1 not in kept


def test_evidence_lists_the_witnesses():
    consensus = infer_consensus(_plans(), replace(AlignConfig(), min_support=1))
    evidence = _by_text(consensus)
    x2 = evidence[X2] if X2 in evidence else evidence[X2_SLIP]
    assert x2 == ItemEvidence(item_id=x2.item_id, support=1, weighted_support=1.0, plans=("a", "b"),
                              families=("a",), levels=("commune",), variants=(X2, X2_SLIP),
                              origin=Origin.FAMILY, confidence=0.0)
    p2 = evidence[P2]
    assert p2 == ItemEvidence(item_id=p2.item_id, support=3, weighted_support=3.5, plans=("a", "b", "c", "d"),
                              families=("a", "c", "d"), levels=("commune", "district"), variants=(P2,),
                              origin=Origin.PARENT, confidence=0.8232)
    assert set(consensus.evidence) == {it.item_id for it in consensus.reference.items
                                       if it.kind is not ItemKind.PART}


def test_plan_order_does_not_matter_and_infer_reference_is_the_same():
    forward, backward = infer_consensus(_plans()), infer_consensus(_plans()[::-1])
    assert forward == backward
    assert infer_reference(_plans()) == forward.reference


def test_two_plans_are_always_two_witnesses():
    # Nothing to tell a template from the parent by: two near-copies alone still count twice.
    consensus = infer_consensus(_plans()[:2])
    assert consensus.families.family_of == {"a": "a", "b": "b"}
    assert {e.support for e in consensus.evidence.values()} == {2}


def test_independent_plans_of_one_parent_are_not_a_family():
    # Five communes each carrying most of the parent, each dropping its own item and adding its own:
    # they share most items word for word, but none departs from the others with another.
    tasks = [P1, P2, P3, P4, P5, P6]
    own = [X1, Y1, Z1, W, X2]
    plans = [_plan(f"c{k}", COMMUNE, *(t for i, t in enumerate(tasks) if i != k), own[k]) for k in range(5)]
    consensus = infer_consensus(plans)
    assert consensus.families.links == ()
    assert sorted(e.support for e in consensus.evidence.values()) == [4, 4, 4, 4, 4, 5]


def test_a_run_records_families_and_evidence(tmp_path):
    """--reference auto over seeds 001, 002 (near-copies of one template) and 003:
    the documents table names the family, the inferred items their witnesses."""
    import pyarrow.parquet as pq

    from plandiff.pipeline import RunConfig, run

    seeds = Path(__file__).resolve().parents[1] / "data" / "seeds"
    names = ("001_34a554ab57f69638.txt", "002_1beb8d28043a89b0.txt", "003_7e4f3d189ddafb3d.txt")
    result = run([seeds / n for n in names], "auto", tmp_path, RunConfig(workers=1, isolate=False))
    assert result.summary["reference"]["template_families"] == [[str(seeds / n) for n in names[:2]]]
    documents = {Path(d["source_path"]).name: d for d in pq.read_table(tmp_path / "documents").to_pylist()
                 if d["role"] == "plan"}
    assert documents[names[0]]["template_group"] == documents[names[1]]["template_group"]
    assert documents[names[2]]["template_group"] == documents[names[2]]["doc_id"]
    items = [i for i in pq.read_table(tmp_path / "items").to_pylist() if i["support"] is not None]
    assert items
    for item in items:
        families = {documents[n]["template_group"] for n in documents
                    if documents[n]["doc_id"] in item["support_plans"]}
        assert item["support"] == len(families) >= 2          # one template family is one witness
        assert item["consensus_origin"] == "parent"
        assert 0.0 < item["consensus_confidence"] <= 1.0


def test_no_plans_give_an_empty_consensus():
    """A run whose every input failed still infers (an empty) reference: no crash."""
    consensus = infer_consensus([])
    assert consensus.reference.items == () and consensus.families.family_of == {} and consensus.evidence == {}
