"""People's names compared: a transcript's label and the candidate's name, a shorter name and a fuller one."""

from __future__ import annotations

import pytest

from genco_interview.text.names import same_person, shortens


@pytest.mark.parametrize(("label", "candidate", "same"), [
    ("Ada Lovelace", "ada lovelace", True), ("Ada", "Ada Lovelace", True), ("Lovelace", "Ada Lovelace", True),
    ("Ada Lovelace", "Lovelace", True), ("Ada Lovelace", "A. Lovelace", True), ("A. Lovelace", "Ada Lovelace", True),
    ("Ada B. Lovelace", "Ada Lovelace", True),
    ("Dr. Ada Lovelace", "Ada Lovelace", True), ("Prof Lovelace", "A. Lovelace", True), ("Dr.", "Ada", False),
    ("Dr. Grace Hopper", "Dr. Ada Lovelace", False),
    ("Mr. Lovelace", "Mrs. Lovelace", False), ("Mrs Lovelace", "Mrs. Lovelace", True), ("Mr. Lovelace", "Lovelace", True),
    ("B. Lovelace", "Ada Lovelace", False),  # another first initial: another person
    ("Grace Lovelace", "Ada Lovelace", False), ("Ada Hopper", "Ada Lovelace", False),
    ("A.", "Ada Lovelace", False), ("Ada", "A.", False), ("Ada", "", False),  # an initial alone names nobody
    ("Zo\u00eb Martin", "Zoe Martin", True), ("Jos\u00e9", "Jose Garcia", True),  # accents dropped in typing
    ("Zo\u00eb Martin", "Zoe Marten", False),
    ("Wei Z.", "Wei Chen", False), ("W. Chen", "Wei Chen", True),  # an initial is of the word in its place
    ("Mary A. Lee", "Mary Ann Lee", True), ("Mary B. Lee", "Mary Ann Lee", False),  # a middle initial too
    ("Lovelace, Ada", "Ada Lovelace", True), ("Ada", "Lovelace, Ada", True), ("Hopper, Grace", "Ada Lovelace", False),
    ("Lovelace, A.", "Ada Lovelace", True),  # surname first, as a register lists people
    ("Smith, Jr.", "Jr. Smith", False),  # a suffix after the comma, no given name
])
def test_a_label_names_the_candidate_in_any_shortened_form(label: str, candidate: str, same: bool) -> None:
    """As documented: in full, by first name or surname, initials aside, whichever side is the shorter."""
    assert same_person(label, candidate) is same


@pytest.mark.parametrize(("short", "full", "shorter"), [
    ("Bob", "Bob Martinez", True), ("Dr. Bob Martinez", "Bob Martinez", True), ("Bob Smith", "Bob", False),
    ("Mrs. Chen", "Mr. Chen", False), ("Ms. Lee", "Mr. Lee", False),  # another title: another person
    ("Wei Z.", "Wei Chen", False),
    ("Professor Chen", "Prof. Chen", True), ("Prof. Chen", "Professor Chen", True),  # one title, two forms
    ("Mary A. Lee", "Mary Ann Lee", True),
])
def test_a_name_shortens_another_only_as_one_persons_name(short: str, full: str, shorter: bool) -> None:
    """"Mrs. Chen" replaced Mr. Chen's grade of a transcript, and "Wei Z." Wei Chen's: titles were dropped before
    comparing, and only a first initial was checked."""
    assert shortens(short, full) is shorter
