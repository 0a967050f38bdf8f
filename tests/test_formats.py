"""The view registry: every registered view exists, and each command offers exactly its formats."""

from __future__ import annotations

import pytest
from cli_helpers import invoke

from genco_interview.views.formats import WRITERS, formats, get_writer


@pytest.mark.parametrize(("subject", "fmt"), [(s, f) for s, views in WRITERS.items() for f in views])
def test_every_registered_view_exists(subject: str, fmt: str) -> None:
    assert callable(get_writer(subject, fmt))


def test_every_subject_is_shown_on_a_terminal_first() -> None:
    assert all(formats(subject)[0] == "text" for subject in WRITERS)


@pytest.mark.parametrize(("argv", "subject"), [
    (["score"], "card"), (["grade"], "grade"), (["rubric", "show"], "sheet"),
    (["history"], "history"), (["report"], "report"), (["next"], "next"),
])
def test_each_command_offers_the_registered_formats(argv: list[str], subject: str) -> None:
    shown = " ".join(invoke(*argv, "--help").stdout.split())
    assert f"[{'|'.join(formats(subject))}]" in shown


def test_an_unknown_format_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        get_writer("card", "yaml")
