"""People's names as a transcript's labels and an interviewer's --candidate give them, compared.

A transcript shortens names ("Ada:", "Lovelace:", "A. Lovelace:"), drops accents, adds or drops a title,
and a history keeps each candidate under the name first given: these rules say when two names are one
person's, when one says more of the person than another, and the one form names are compared in. The
titles and their long forms are lexicon.yaml's `speakers.titles` and `speakers.title_forms`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from .lexicon import lookalikes, title_forms, words


def same_person(label: str, candidate: str) -> bool:
    """Whether a label's name and the candidate's name are one person's, as a transcript shortens names
    (case aside): in full, by first name or surname alone either way round ("Ada:" or "Lovelace:" for
    "Ada Lovelace", "Ada Lovelace:" for "Lovelace"), initials aside ("A. Lovelace" is "Lovelace" and
    "Ada Lovelace"), but never a different first initial ("B. Lovelace" is not "Ada Lovelace") and
    never an initial alone ("A.:" names nobody), nor two different titles ("Mr. Lovelace" is not "Mrs.
    Lovelace")."""
    folded = [_folded(text) for text in (label, candidate)]
    if _titles_differ(*folded):
        return False
    said, named = (_untitled(words_of) for words_of in folded)
    full_said, full_named = _without_initials(said), _without_initials(named)
    if not full_said or not full_named:
        return False
    if len(said) > 1 and len(named) > 1 and said[0][0] != named[0][0]:
        return False
    if len(said) == len(named):  # word by word: an initial is of the word in its place
        if any(_initial_of_another(a, b) for a, b in zip(said, named)):
            return False  # "Wei Z." is not "Wei Chen"
        if all(a == b or _is_initial(a) or _is_initial(b) for a, b in zip(said, named)):
            return True  # each word the other's or its initial: "Mary A. Lee" is "Mary Ann Lee"
    return (full_said == full_named or (len(full_said) == 1 and full_said[0] in (full_named[0], full_named[-1]))
            or (len(full_named) == 1 and full_named[0] in (full_said[0], full_said[-1])))


def shortens(short: str, full: str) -> bool:
    """Whether the name `short` is `full` with a title aside ("Dr. Ada Lovelace" of "Ada Lovelace") or a shorter
    form of it (same_person, in fewer words or initials for words): "Bob" of "Bob Martinez", "Lovelace" of "A.
    Lovelace", "B. Martinez" of "Bob Martinez", but not "Bob Smith" of "Bob", nor "Alan Lovelace" of "A. Lovelace"."""
    if _titles_differ(_folded(short), _folded(full)):  # "Mrs. Chen" is not "Mr. Chen"
        return False
    said, named = _name_words(short), _name_words(full)
    fewer = len(said) < len(named) or len(_without_initials(said)) < len(_without_initials(named))
    return said == named or (fewer and same_person(full, short))


def same_but_for_title(one: str, other: str) -> bool:
    """Whether two names are one but for a title one of them has ("Dr. Chen" and "Chen"; "Prof Chen" and
    "Professor Chen"): that one first, before any other name they shorten ("Wei Chen")."""
    return shortens(one, other) and shortens(other, one)


def lengthens(full: str, short: str) -> bool:
    """Whether the name `full` says more of the person than `short` does, which shortens it (shortens): "Dana
    Whitfield" of "Dana", but not "Dr. Dana" of "Dana" (a title alone names nobody new)."""
    return shortens(short, full) and not shortens(full, short)


def says_more(label: str, candidate: str) -> bool:
    """Whether a label names the candidate more fully (lengthens) or with a title they were given without
    ("Mrs. Jones:" for "Jones"): a title tells Mrs. Jones from the Mr. Jones graded before."""
    folded, given = _folded(label), _folded(candidate)
    titled = bool(folded) and folded[0] in _titles() and not (given and given[0] in _titles())
    return lengthens(label, candidate) or (titled and _untitled(folded) == _untitled(given))


def _name_words(name: str) -> list[str]:
    """A name's words as names are compared: lower case, without accents ("Zoe\u0308", "Zoë" and "Zoe"
    are one), every look-alike letter Latin (a transcript reads "Алексей:" half folded among English
    lines, a name typed alone not at all), without a title (lexicon.yaml `speakers.titles`: "Dr. Ada Lovelace" is Ada
    Lovelace)."""
    return _untitled(_folded(name))


def folded_name(name: str) -> str:
    """A name in the one form names are compared in (_folded, words joined by one space): "Dr Chen" and "dr.
    chen" are one name, as "Zoe" and "Zoë" are."""
    return " ".join(_folded(name))


def _folded(name: str) -> list[str]:
    """A name's words in one form (_name_words), in reading order (_in_reading_order), a title kept without
    its dot and in its short form ("Mrs. Lovelace": "mrs", "lovelace"; "Professor Chen": "prof", "chen")."""
    ordered = _in_reading_order(unicodedata.normalize("NFC", name))
    folded = unaccented(ordered.translate(lookalikes())).lower().split()
    forms = title_forms()
    return [forms.get(word.rstrip("."), word.rstrip(".")) if word.rstrip(".") in _titles() else word for word in folded]


def _in_reading_order(name: str) -> str:
    """A name written surname first, as a register or an applicant tracker lists people ("Lovelace, Ada"),
    in reading order ("Ada Lovelace"): graded as "Lovelace, Ada" after "Ada Lovelace", a candidate was
    another person. Not a name whose comma comes before a suffix ("Smith, Jr.": lexicon.yaml
    `speakers.name_suffixes`), nor one with more than one comma."""
    surname, comma, given = (part.strip() for part in name.partition(","))
    if not comma or not surname or not given or "," in given or given.rstrip(".").lower() in _suffixes():
        return name
    return f"{given} {surname}"


@lru_cache(maxsize=1)
def _suffixes() -> frozenset[str]:
    return words("speakers", "name_suffixes")


def unaccented(text: str) -> str:
    """`text` without its accents: a name typed without them ("Zoe", "Jose") is the one a transcript
    spells with them ("Zoë:", "José:"), since a keyboard or a caption export often drops them."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _titles_differ(one: list[str], other: list[str]) -> bool:
    """Whether two folded names (_folded) open with two different titles ("mr", "mrs"): two people."""
    return len({words_of[0] for words_of in (one, other) if words_of and words_of[0] in _titles()}) > 1


def _is_initial(word: str) -> bool:
    """Whether a folded name word is an initial ("a." or "a"; a number is none: "speaker 2")."""
    return len(word.rstrip(".")) == 1 and not word.isdigit()


def _initial_of_another(one: str, other: str) -> bool:
    """Whether one of two name words in the same place is an initial that the other does not begin with
    ("z." beside "chen"): the names are two people's."""
    return (_is_initial(one) or _is_initial(other)) and one[0] != other[0]


def _untitled(folded: list[str]) -> list[str]:
    """Folded name words (_folded) without their titles."""
    return [word for word in folded if word not in _titles()]


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return words("speakers", "titles")


def _without_initials(words: list[str]) -> list[str]:
    """A name's words without its initials ("a. lovelace" is "lovelace", "ada b. lovelace" "ada lovelace");
    a number is no initial ("speaker 2")."""
    return [word for word in words if not _is_initial(word)]
