"""Stage 3: plan tree x reference tree -> carried / modified / dropped / added.

`align(plan, reference, config)` compares one plan with its reference;
`infer_reference(plans, config)` builds a consensus reference for
`--reference auto`.
"""
from .attributes import attribute_agreement, attribute_changes
from .consensus import INFERRED_PREFIX, infer_reference
from .errors import AlignError
from .matching import PairScores, align, alignable, pair_row, pair_scores
from .model import ATTRIBUTE_FIELDS, AlignConfig, Alignment, Status

__all__ = ["align", "alignable", "attribute_changes", "attribute_agreement", "infer_reference", "AlignConfig",
           "Alignment", "AlignError", "Status", "ATTRIBUTE_FIELDS", "INFERRED_PREFIX",
           "PairScores", "pair_row", "pair_scores"]
