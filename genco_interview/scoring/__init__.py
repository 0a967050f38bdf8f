"""Scoring an answer against a rubric: signals, concept rules, their combination, and the scorer.

similarity.py  cosine, lexical overlap and token alignment as small pure functions
rules.py       which sentence earns which concept: negation, role swaps, misconceptions
signals.py     the separate pieces of evidence per concept and per answer
combination.py weights fitted across questions that turn signals into credit, score and confidence
scorer.py      binds a rubric to an embedder and runs the above
"""

from .rules import (
    BankMatch,
    ExemplarBank,
    ExemplarSet,
    UnitEvidence,
    exemplar_parity,
    negation_parity,
    role_words,
    rubric_text_groups,
    score_evidence,
    swap_roles,
    truncation_notes,
)
from .scorer import ScoredAnswer, Scorer, combine
from .similarity import alignment_score, content_token_mask, fused_similarity, token_recall

__all__ = [
    "BankMatch", "ExemplarBank",
    "ExemplarSet", "ScoredAnswer", "Scorer", "UnitEvidence", "alignment_score",
    "combine", "content_token_mask", "exemplar_parity", "fused_similarity", "negation_parity", "role_words",
    "rubric_text_groups", "score_evidence", "swap_roles", "token_recall", "truncation_notes",
]
