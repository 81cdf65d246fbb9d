"""Coverage down the chain: did a reference's items reach the plans below its children?

When a district plan and its communes' plans sit in one batch, the communes are
checked against the district plan and the district plan against the province's.
Following the pairs of each link from the root reference down gives, for every
root item and every plan below it, whether the item reached the plan, through
which items, and where it was lost (`lineage` table).

An item reaches a plan when some chain of pairs leads to it; it is `modified`
when every such chain has a modified link, else `carried`; `dropped` when no
chain reaches the plan (`lost_at` names the first plan on the path without it).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from plandiff.align import Alignment, Status, alignable
from plandiff.parse import PlanDocument


@dataclass(frozen=True)
class Reach:
    """One root item in one descendant plan."""

    root_doc_id: str
    root_item_id: str
    doc_id: str
    path: tuple[str, ...]           # plans from the root's child down to doc_id
    status: Status                  # carried | modified | dropped
    lost_at: str | None             # the first plan of the path without the item
    item_ids: tuple[str, ...]       # doc_id's items that carry it
    via_item_ids: tuple[str, ...]   # the items of the plans in between

    @property
    def depth(self) -> int:
        return len(self.path)


def chain_of(doc_id: str, parent_of: Mapping[str, str]) -> list[str]:
    """[root, …, doc_id]: the document's ancestors from the top, following `parent_of`
    (plan doc_id -> parent doc_id) until a document that has no parent."""
    chain = [doc_id]
    while chain[-1] in parent_of:
        parent = parent_of[chain[-1]]
        if parent in chain:   # routing never makes a loop; guard against one all the same
            break
        chain.append(parent)
    return chain[::-1]


def _links(alignments: Sequence[Alignment]) -> dict[str, dict[str, list[tuple[str, Status]]]]:
    """For each plan, its parent's items -> [(plan item, carried|modified)]."""
    links: dict[str, dict[str, list[tuple[str, Status]]]] = {}
    for a in alignments:
        if a.reference_item_id and a.item_id and a.status in (Status.CARRIED, Status.MODIFIED):
            links.setdefault(a.doc_id, {}).setdefault(a.reference_item_id, []).append((a.item_id, a.status))
    return links


def lineage(docs: Mapping[str, PlanDocument], parent_of: Mapping[str, str],
            alignments: Sequence[Alignment]) -> list[Reach]:
    """Every root item against every plan below its root, in the order of the
    root's items, then by depth and plan."""
    links = _links(alignments)
    chains = {doc_id: chain_of(doc_id, parent_of) for doc_id in parent_of}
    by_root: dict[str, list[list[str]]] = {}
    for chain in chains.values():
        by_root.setdefault(chain[0], []).append(chain)
    out: list[Reach] = []
    for root_id in sorted(by_root):
        root = docs.get(root_id)
        if root is None:
            continue
        descendants = sorted(by_root[root_id], key=lambda c: (len(c), c[-1]))
        for item in alignable(root):
            for chain in descendants:
                out.append(_follow(item.item_id, chain, links))
    return out


def _follow(root_item: str, chain: list[str], links: Mapping[str, Mapping[str, list[tuple[str, Status]]]]) -> Reach:
    """Carry one root item down one chain of plans."""
    # item -> the best status of any chain of pairs reaching it (carried beats modified)
    reached: dict[str, Status] = {root_item: Status.CARRIED}
    via: list[str] = []
    for depth, doc_id in enumerate(chain[1:], start=1):
        pairs = links.get(doc_id, {})
        nxt: dict[str, Status] = {}
        for item, status in reached.items():
            for child, link in pairs.get(item, ()):
                worst = Status.MODIFIED if Status.MODIFIED in (status, link) else Status.CARRIED
                if nxt.get(child) is not Status.CARRIED:
                    nxt[child] = worst
        if not nxt:
            return Reach(chain[0], root_item, chain[-1], tuple(chain[1:]), Status.DROPPED, doc_id,
                         (), tuple(via))
        if depth < len(chain) - 1:
            via += list(nxt)
        reached = nxt
    status = Status.CARRIED if Status.CARRIED in reached.values() else Status.MODIFIED
    return Reach(chain[0], root_item, chain[-1], tuple(chain[1:]), status, None, tuple(reached),
                 tuple(via))
