"""The language model's units: how clean text is cut into tokens and each
token mapped to the unit the trigram model counts (shared by the trainer and
the restorer; no heavy imports)."""
from __future__ import annotations

import re
from functools import lru_cache

from plandiff.ingest.textnorm import fold, normalize_tone

__all__ = ["BOS", "EOS", "UNK", "NUM", "PUNCT", "SPECIALS", "PUNCT_KEEP", "LM_TOKEN", "SENTENCE_PUNCT",
           "lm_unit", "syl_key", "fold_key"]

BOS, EOS, UNK, NUM, PUNCT = "<s>", "</s>", "<unk>", "<num>", "<p>"
SPECIALS = (BOS, EOS, UNK, NUM, PUNCT)
# Punctuation that keeps its own LM token; anything else becomes <p>.
PUNCT_KEEP = set(",.;:()-/\"“”'")

# LM tokenisation of clean text: words (letters only), numbers, single punctuation.
LM_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*|[^\w\s]")

# A capitalised word right after one of these starts a sentence (or an item):
# its capital says nothing about the word, so the capitalisation prior is
# neither counted there (trainer) nor applied there (restorer).
SENTENCE_PUNCT = frozenset(".:;!?-+()\"“”'…*•")


def lm_unit(tok: str) -> str:
    """Map one LM_TOKEN match (already lower-cased) to its LM unit."""
    c = tok[0]
    if c.isdigit():
        return NUM
    if c.isalpha():
        return syl_key(tok)
    return tok if tok in PUNCT_KEEP else PUNCT


@lru_cache(maxsize=200_000)
def syl_key(word: str) -> str:
    """Canonical form of a (lower-case) syllable: NFC, old-style tone placement."""
    return normalize_tone(word)


@lru_cache(maxsize=200_000)
def fold_key(word: str) -> str:
    """The folded form (no marks, lower case) candidates are looked up by."""
    return fold(word)
