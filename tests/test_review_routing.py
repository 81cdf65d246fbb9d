"""The review workbench over a run with a library of references (plandiff.routing).

tests/fixtures/routing: a province plan and an unrelated second parent as
references; a district plan (routed to the province plan by content), two
communes citing the district plan (a plan of the same batch), and an uncited
commune plan.  Each plan's view, evidence, search and decisions must use that
plan's own parent, and a decision recorded on a commune's row must be applied
by the next run to that row.

The run is made once per module (plain text, in this process: under a second);
every test that records decisions or reruns works on its own copy.
"""
from __future__ import annotations

import html
import re
import shutil
import warnings
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from plandiff.decisions import DecisionStore, RunTables, document_keys, make_decision
from plandiff.pipeline import RunConfig, run
from plandiff.storage import DATA_FILE

with warnings.catch_warnings():
    warnings.simplefilter("ignore")     # starlette's note about httpx vs httpx2
    from starlette.testclient import TestClient

from plandiff.review import create_app
from plandiff.review.security import CSRF_COOKIE
from plandiff.review.workbench import DecideRequest

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "routing"
REVIEWER = "Lan"
FAST = RunConfig(workers=1, isolate=False)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


# ---------------------------------------------------------------- fixtures and helpers

def run_fixture(root: Path) -> Path:
    out = root / "out"
    run([str(root / "plans")], [str(root / "refs")], out, FAST)
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("routing")
    shutil.copytree(FIXTURE / "plans", root / "plans")
    shutil.copytree(FIXTURE / "refs", root / "refs")
    run_fixture(root)
    return root


@pytest.fixture
def root(base, tmp_path) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(base, copy, copy_function=shutil.copy2)     # keep the tables' mtimes (their write order)
    return copy


@pytest.fixture
def out(root) -> Path:
    return root / "out"


def client_for(out: Path, **kwargs) -> TestClient:
    kwargs.setdefault("reviewer", REVIEWER)
    return TestClient(create_app(out, **kwargs))


def table(out: Path, name: str) -> list[dict]:
    return pq.read_table(out / name / DATA_FILE).to_pylist()


def doc_by_file(out: Path, name: str) -> dict:
    (doc,) = [d for d in table(out, "documents") if (d["source_path"] or "").endswith(name)]
    return doc


def items_of(out: Path, doc_id: str) -> dict[str, dict]:
    return {r["item_id"]: r for r in table(out, "items") if r["doc_id"] == doc_id}


def rows_of(out: Path, doc_id: str) -> list[dict]:
    return [r for r in table(out, "alignments") if r["doc_id"] == doc_id]


def csrf(client: TestClient) -> str:
    if CSRF_COOKIE not in client.cookies:
        client.get("/")
    return client.cookies[CSRF_COOKIE]


def decide(client: TestClient, doc_id: str, **fields) -> object:
    data = {"csrf_token": csrf(client), "subject_r": "", "subject_p": "", **fields}
    return client.post(f"/plan/{doc_id}/decide", data=data, headers={"Accept": "application/json"},
                       follow_redirects=False)


def text_of(page: str) -> str:
    """The page's words, tags removed and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def first_text(item: dict) -> str:
    return " ".join(item["text"].split())[:40]


@pytest.fixture(scope="module")
def docs(base) -> dict[str, dict]:
    out = base / "out"
    return {key: doc_by_file(out, name) for key, name in (
        ("province", "tinh_82.txt"), ("other", "khac_105.txt"), ("district", "huyen_ba_to.txt"),
        ("commune", "xa1_ba_vi.txt"), ("commune2", "xa2_ba_dong.txt"), ("uncited", "rieng_son_ky.txt"))}


# ---------------------------------------------------------------- the fixture's routing, as the tests rely on it

def test_the_run_routes_communes_to_the_district_plan(docs):
    assert docs["district"]["role"] == "plan"
    assert docs["commune"]["reference_doc_id"] == docs["district"]["doc_id"]
    assert docs["commune"]["reference_match"] == "cited" and not docs["commune"]["reference_flagged"]
    assert docs["commune2"]["reference_doc_id"] == docs["district"]["doc_id"]
    assert docs["uncited"]["reference_doc_id"] == docs["province"]["doc_id"]
    assert docs["uncited"]["reference_flagged"] and docs["uncited"]["reference_evidence"]


# ---------------------------------------------------------------- views

def test_a_commune_view_reads_the_district_plan_as_its_reference(base, docs):
    out = base / "out"
    client = client_for(out)
    bench = client.app.state.workbench
    commune, district, province = docs["commune"], docs["district"], docs["province"]
    view = bench.view(commune["doc_id"])
    assert view.reference.doc_id == district["doc_id"]
    assert view.parent is not None and view.parent.is_plan and view.parent.match == "cited"
    assert set(view.ref_all) == set(items_of(out, district["doc_id"]))
    for row in view.rows:
        assert row.alignment.reference_item_id is None or row.reference_item is not None
    # Every row the run wrote for the commune is in its queue, with the district's items.
    assert {r.key for r in view.rows} == {(r["reference_item_id"], r["item_id"])
                                          for r in rows_of(out, commune["doc_id"])}

    # The district plan's page lists the plans checked against it.
    district_page = client.get(f"/plan/{district['doc_id']}").text
    assert "Các kế hoạch cấp dưới đối chiếu với kế hoạch này" in district_page
    assert f'href="/plan/{commune["doc_id"]}"' in district_page
    assert f'href="/plan/{docs["commune2"]["doc_id"]}"' in district_page

    # The district plan's own view still reads the province plan.
    assert bench.view(district["doc_id"]).reference.doc_id == province["doc_id"]
    assert bench.view(docs["uncited"]["doc_id"]).reference.doc_id == province["doc_id"]

    # The queue page shows the district's items on the reference side and names the parent.
    page = client.get(f"/plan/{commune['doc_id']}")
    assert page.status_code == 200
    words = text_of(page.text)
    assert "Đối chiếu với" in words and "ỦY BAN NHÂN DÂN HUYỆN BA TƠ · 37/KH-UBND" in words
    assert "kế hoạch cấp trên trong cùng đợt" in words and "kế hoạch trích dẫn văn bản này" in words
    assert f'href="/plan/{district["doc_id"]}"' in page.text          # the parent is a plan: a link to it
    pair = next(r for r in view.rows if r.reference_item and r.plan_item)
    district_items = items_of(out, district["doc_id"])
    assert pair.alignment.reference_item_id in district_items
    verdict = client.get(f"/plan/{commune['doc_id']}/verdict",
                         params={"r": pair.alignment.reference_item_id, "p": pair.alignment.item_id})
    assert verdict.status_code == 200
    assert "ỦY BAN NHÂN DÂN HUYỆN BA TƠ" in text_of(verdict.text)

    # The candidates of a row with a district item are commune items; of an added row, district items.
    for c in bench.candidates(view, pair):
        assert c.item.item_id.startswith(commune["doc_id"])
    added = next((r for r in view.rows if r.reference_item is None), None)
    if added is not None:
        found = bench.candidates(view, added)
        assert found and all(c.item.item_id in district_items for c in found)

    # English: the header says how the parent was chosen.
    english = client_for(out, lang="en").get(f"/plan/{commune['doc_id']}")
    assert "Checked against" in english.text and "the plan cites it" in english.text


def test_search_on_the_reference_side_searches_the_plans_parent(base, docs):
    out = base / "out"
    client = client_for(out)
    bench = client.app.state.workbench
    commune, district, province = docs["commune"], docs["district"], docs["province"]
    view = bench.view(commune["doc_id"])
    district_items = items_of(out, district["doc_id"])
    some = next(it for it in view.ref_alignable.values())
    found, _ = bench.search(view, "reference", some.full_text[:30])
    assert found and all(it.item_id in district_items for it in found)
    # A word only the province plan has finds nothing on a commune's reference side.
    province_words = {w for r in items_of(out, province["doc_id"]).values() for w in r["text"].lower().split()}
    district_words = {w for r in district_items.values() for w in r["text"].lower().split()}
    only = sorted(w for w in province_words - district_words if len(w) > 4 and w.isalpha())
    if only:
        assert bench.search(view, "reference", only[0])[0] == []
    page = client.get(f"/plan/{commune['doc_id']}/search", params={"side": "reference", "q": some.full_text[:30]})
    assert page.status_code == 200 and some.label in page.text


# ---------------------------------------------------------------- the plans page

def test_the_plans_page_groups_plans_by_parent(base, docs):
    out = base / "out"
    page = client_for(out).get("/")
    assert page.status_code == 200
    sections = re.findall(r'<section class="group[^"]*" data-parent="([^"]*)">(.*?)</section>', page.text, re.S)
    grouped = {parent: set(re.findall(r'href="/plan/([^"/]+)"', body)) for parent, body in sections}
    province, district = docs["province"]["doc_id"], docs["district"]["doc_id"]
    # The province group lists its plans (and no link to the province: it is not a plan).
    assert {docs["district"]["doc_id"], docs["uncited"]["doc_id"]} <= grouped[province]
    assert grouped[district] == {district, docs["commune"]["doc_id"], docs["commune2"]["doc_id"]}
    assert [p for p, _ in sections].index(province) < [p for p, _ in sections].index(district)
    assert docs["other"]["doc_id"] not in grouped                    # a parent no plan implements: no group
    words = text_of(page.text)
    assert "Đối chiếu với: ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI · 82/KH-UBND (tinh_82.txt)" in words
    assert "Đối chiếu với: ỦY BAN NHÂN DÂN HUYỆN BA TƠ · 37/KH-UBND (huyen_ba_to.txt)" in words
    # A flagged routing is marked, with its evidence on the line and on hover.
    evidence = docs["uncited"]["reference_evidence_vi"]   # the page's language
    assert evidence and html.escape(evidence, quote=True) in page.text or evidence in html.unescape(page.text)
    assert f'title="{html.escape(evidence, quote=True)}"' in page.text
    assert "cần xác nhận: kế hoạch không trích dẫn văn bản này" in words
    assert page.text.count('class="route-flagged"') == sum(1 for k in ("district", "uncited", "commune", "commune2")
                                                          if docs[k]["reference_flagged"])
    # The counts stay in their four cells per plan.
    cells = re.findall(r'<td class="num[^"]*">(\d+)</td>', page.text)
    assert len(cells) == 4 * 4
    english = client_for(out, lang="en").get("/")
    assert "Checked against" in english.text and "closest by content" in english.text


# ---------------------------------------------------------------- decisions

def test_a_commune_decision_names_the_district_plan_and_the_next_run_applies_it(root, out, docs):
    client = client_for(out)
    bench = client.app.state.workbench
    commune, district = docs["commune"], docs["district"]
    view = bench.view(commune["doc_id"])
    pair = next(r for r in view.rows if r.reference_item and r.plan_item)
    r, p = pair.key
    response = decide(client, commune["doc_id"], subject_r=r, subject_p=p, action="dropped", note="không có")
    assert response.status_code == 200, response.text

    (d,) = DecisionStore(out).history()
    assert d.reference_sha256 == district["sha256"]
    assert d.plan_sha256 == commune["sha256"]
    district_keys = document_keys(bench.snapshot().document(district["doc_id"]))
    assert d.subject_reference_key == district_keys[r] and d.reference_key == district_keys[r]
    assert d.plan_key is None and d.status == "dropped"
    # The workbench shows it at once: the district item dropped, the commune item added.
    after = bench.view(commune["doc_id"])
    assert after.find(r, None) is not None and after.find(None, p) is not None and after.find(r, p) is None
    assert after.rows[after.find(r, None)].state == "reviewed"

    # Same decision as `plandiff decide` makes it from the tables.
    tables = RunTables.read(out)
    again = make_decision(tables, r, None, "dropped", reviewer=REVIEWER, plan=commune["doc_id"])
    assert again.reference_sha256 == district["sha256"] and again.subject == d.subject

    # The next run applies it to the commune's row, against the district's items.
    run_fixture(root)
    rows = rows_of(out, commune["doc_id"])
    dropped = [x for x in rows if x["reference_item_id"] == r and x["item_id"] is None]
    assert len(dropped) == 1
    assert dropped[0]["status"] == "dropped" and dropped[0]["decided_by"] == "reviewer"
    assert dropped[0]["reviewer"] == REVIEWER and dropped[0]["review_state"] == "reviewed"
    assert dropped[0]["reference_doc_id"] == district["doc_id"]
    assert not any(x["reference_item_id"] == r and x["item_id"] == p for x in rows)
    # Other plans' rows are untouched (the district's own row for the same item id space is its own).
    assert all(x["reviewer"] is None for x in rows_of(out, district["doc_id"]))
    assert all(x["reviewer"] is None for x in rows_of(out, docs["commune2"]["doc_id"]))

    # The reopened workbench shows the run's rows, the decision in them.
    fresh = client_for(out)
    view = fresh.app.state.workbench.view(commune["doc_id"])
    n = view.find(r, None)
    assert n is not None and view.rows[n].state == "reviewed" and not view.stale


def test_a_commune_row_repaired_with_a_district_item(out, docs):
    client = client_for(out)
    bench = client.app.state.workbench
    commune, district, province = docs["commune"], docs["district"], docs["province"]
    view = bench.view(commune["doc_id"])
    added = next((r for r in view.rows if r.reference_item is None), None)
    if added is None:
        pytest.skip("the commune has no added row")
    target = next(c.item for c in bench.candidates(view, added))
    assert target.item_id.startswith(district["doc_id"])
    decision, _ = bench.decide(commune["doc_id"], DecideRequest(
        subject_r=None, subject_p=added.alignment.item_id, action="pair", reviewer=REVIEWER, target=target.item_id))
    assert decision.reference_sha256 == district["sha256"]
    assert bench.view(commune["doc_id"]).find(target.item_id, added.alignment.item_id) is not None
    # An item of the province plan is not on this plan's other side.
    province_item = next(iter(items_of(out, province["doc_id"])))
    response = decide(client, commune["doc_id"], subject_r="", subject_p=added.alignment.item_id,
                      action="pair", target=province_item)
    assert response.status_code in (400, 409)


def test_a_decision_on_the_district_plan_names_the_province_plan(out, docs):
    bench = client_for(out).app.state.workbench
    district, province = docs["district"], docs["province"]
    view = bench.view(district["doc_id"])
    row = view.rows[0]
    decision, _ = bench.decide(district["doc_id"], DecideRequest(
        subject_r=row.key[0], subject_p=row.key[1], action="confirm", reviewer=REVIEWER))
    assert decision.reference_sha256 == province["sha256"]
    # The communes below it are not touched by a decision on the district plan's rows.
    assert all(r.state != "reviewed" for r in bench.view(docs["commune"]["doc_id"]).rows)


def test_tables_without_routing_fall_back_to_the_runs_reference(base, docs):
    """Tables of a run before routing have no documents.reference_doc_id: every plan is read
    against the run's one reference."""
    bench = client_for(base / "out").app.state.workbench
    snap = bench.snapshot()
    doc = dict(snap.documents[docs["uncited"]["doc_id"]])
    for column in ("reference_doc_id", "reference_match", "reference_evidence", "reference_evidence_vi",
                   "reference_flagged"):
        doc.pop(column)
    snap.documents[doc["doc_id"]] = doc          # this app's own snapshot
    assert snap.parent_id(doc["doc_id"]) == snap.reference_id
    assert snap.documents[snap.reference_id]["role"] == "reference"
    view = bench.view(doc["doc_id"])
    assert view.reference.doc_id == snap.reference_id and view.parent is not None and view.parent.match is None
