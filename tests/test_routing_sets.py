"""The routing sets generator (benchmarks/make_routing_sets.py): deterministic, and the
structure the routing benchmark and tests rely on; the committed small fixtures are
what `--small` writes."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "routing"
sys.path.insert(0, str(REPO / "benchmarks"))

make_routing_sets = pytest.importorskip("make_routing_sets")
shared_paths = pytest.importorskip("shared_paths")

BENCH = shared_paths.shared("bench")
needs_bench = pytest.mark.skipif(not (BENCH / "make_synth.py").exists(), reason="shared bench folder not found")


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_damage_forms():
    damage = make_routing_sets.damage
    assert damage("82/KH-UBND", "letter_z") == "8Z/KH-UBND"
    assert damage("82/KH-UBND", "letter_b") == "B2/KH-UBND"
    assert damage("82/KH-UBND", "d_bar") == "82/KH-UBNĐ"
    assert damage("82/KH-UBND", "lost_slash") == "82 KH-UBND"
    assert damage("105/KH-UBND", "letter_o") == "1O5/KH-UBND"
    assert damage("2074/QĐ-UBND", "d_bar") == "2074/QD-UBND"
    assert damage("82/KH-UBND", "letter_o") == "82 KH-UBND"   # no 0: the slash is lost instead


def test_small_fixtures_are_committed_and_small():
    truth = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
    files = [p for p in FIXTURES.rglob("*.txt")]
    assert len(files) == 6
    assert all(p.stat().st_size < 6144 for p in files)
    plans = truth["plans"]
    assert plans["plans/huyen_ba_to.txt"]["parent"] == "refs/tinh_82.txt"
    assert plans["plans/huyen_ba_to.txt"]["cited_number"] == "8Z/KH-UBND"
    assert plans["plans/xa1_ba_vi.txt"]["parent"] == "plans/huyen_ba_to.txt"
    assert plans["plans/xa2_ba_dong.txt"]["parent"] == "plans/huyen_ba_to.txt"
    assert plans["plans/rieng_son_ky.txt"]["parent"] is None
    assert "8Z/KH-UBND" in (FIXTURES / "plans" / "huyen_ba_to.txt").read_text(encoding="utf-8")
    scored = [it for it in truth["refs"]["refs/tinh_82.txt"]["items"] if it["scored"]]
    assert 10 <= len(scored) <= 14
    # lineage: every province item once per chain plan; depth 2 rows go through the district
    items = {it["id"] for it in scored}
    for plan in ("plans/huyen_ba_to.txt", "plans/xa1_ba_vi.txt", "plans/xa2_ba_dong.txt"):
        rows = [r for r in truth["lineage"] if r["plan"] == plan]
        assert {r["root_item"] for r in rows} == items
    for r in truth["lineage"]:
        if r["depth"] == 2:
            assert r["path"][0] == "plans/huyen_ba_to.txt"
            if r["status"] != "dropped":
                assert r["via_item_ids"] and r["item_ids"]


@needs_bench
def test_small_regenerates_byte_for_byte(tmp_path):
    ms = make_routing_sets.load_make_synth(BENCH)
    make_routing_sets.generate_small(ms, tmp_path)
    assert _tree(tmp_path) == _tree(FIXTURES)


@needs_bench
@pytest.mark.slow
def test_sets_deterministic_and_structured(tmp_path):
    argv = ["--out", str(tmp_path / "a"), "--chain-seeds", "1", "--bench", str(BENCH)]
    assert make_routing_sets.main(argv) == 0
    assert make_routing_sets.main(["--out", str(tmp_path / "b"), "--chain-seeds", "1", "--bench", str(BENCH)]) == 0
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    truth = json.loads((tmp_path / "a" / "mixed" / "truth.json").read_text(encoding="utf-8"))
    assert len(truth["refs"]) == 3 and len(truth["children"]) == 30
    children = truth["children"].values()
    assert sum(not c["cites"] for c in children) == 5
    assert {c["form"] for c in children if c["cites"]} >= set(make_routing_sets.PLAN_FORMS)
    assert sum(1 for c in children if c["ocr"]) >= 6
    shares = truth["refs"]["a_tinh_82.txt"]["shared_with"]
    assert shares["b_tinh_qd_2074.txt"] >= 0.3 and shares["c_huyen_105.txt"] == 0
    decision = (tmp_path / "a" / "mixed" / "refs" / "b_tinh_qd_2074.txt").read_text(encoding="utf-8")
    assert decision.index("QUYẾT ĐỊNH") < decision.index("KẾ HOẠCH")
    assert "Số: 2074/QĐ-UBND" in decision
    for child in (tmp_path / "a" / "mixed" / "plans").iterdir():
        rec = truth["children"][f"plans/{child.name}"]
        if rec["cited_number"]:
            assert rec["cited_number"] in child.read_text(encoding="utf-8").replace("\n", " ").replace("  ", " ")
    chains = json.loads((tmp_path / "a" / "chains_s01" / "truth.json").read_text(encoding="utf-8"))
    assert {p["depth"] for p in chains["plans"].values()} == {1, 2}
    assert (tmp_path / "a" / f"heldout_chains_s{make_routing_sets.HELDOUT_SEED:02d}" / "truth.json").exists()
