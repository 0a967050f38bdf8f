"""The test suite's own isolation: each test has a GENCO_HOME of its own, and shares only the cache."""

from __future__ import annotations

import os
from pathlib import Path

from genco_interview.answers import save_draft
from genco_interview.paths import cache_dir, drafts_dir


def test_each_test_has_its_own_home_and_the_sessions_cache(isolated_genco_home: Path, own_genco_home: Path) -> None:
    assert os.environ["GENCO_HOME"] == str(own_genco_home) != str(isolated_genco_home)
    assert cache_dir().resolve() == (isolated_genco_home / "cache").resolve()


def test_a_draft_written_by_one_test(own_genco_home: Path) -> None:
    assert save_draft("kept by this test only").is_relative_to(own_genco_home)


def test_is_not_seen_by_the_next() -> None:
    assert list(drafts_dir().iterdir()) == []
