"""The scan of the rubric search path kept on disk: reused while nothing it was read from changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from genco_interview.paths import cache_dir
from genco_interview.rubric import RUBRICS_ENV, bank, scan_cache

from conftest import ROOT

SHIPPED = ROOT / "rubrics" / "coroutine-vs-generator.yaml"


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A GENCO_HOME of the test's own (the session's cache is shared), no scan in this process yet."""
    monkeypatch.setenv("GENCO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(bank, "_last", None)
    return cache_dir()


@pytest.fixture
def user_rubric(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's copy of a shipped rubric under a new id, its calibration in a folder of its own (not the
    calibration/ folder the scan reads)."""
    folder = tmp_path / "mine"
    calibrations = folder / "cal"
    folder.mkdir()
    calibrations.mkdir()
    text = SHIPPED.read_text(encoding="utf-8").replace("id: coroutine-vs-generator", "id: my-question", 1)
    calibration = (ROOT / "rubrics" / "calibration" / "coroutine-vs-generator.yaml").read_text(encoding="utf-8")
    (calibrations / "mine.yaml").write_text(calibration.replace("coroutine-vs-generator", "my-question"), encoding="utf-8")
    text = text.replace("calibration: calibration/coroutine-vs-generator.yaml", "calibration: cal/mine.yaml")
    path = folder / "my-question.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv(RUBRICS_ENV, str(folder))
    return path


def _next_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process starts with: no scan in memory."""
    monkeypatch.setattr(bank, "_last", None)


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path):
        raise AssertionError(f"parsed {path} again")

    monkeypatch.setattr(bank, "load_rubric", refuse)


def test_the_next_command_reads_the_kept_scan_instead_of_parsing(own_cache, user_rubric, monkeypatch):
    first = bank.find("my-question")
    assert (own_cache / scan_cache.CACHE_FILE).is_file()
    _next_command(monkeypatch)
    _no_parsing(monkeypatch)
    assert bank.find("my-question") == first
    assert bank.find("coroutine-vs-generator").id == "coroutine-vs-generator"


def test_an_edited_rubric_is_read_again(own_cache, user_rubric, monkeypatch):
    bank.find("my-question")
    _next_command(monkeypatch)
    user_rubric.write_text(user_rubric.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1),
                           encoding="utf-8")
    assert bank.find("my-question").title.startswith("Edited ")


def test_a_calibration_outside_the_scanned_calibration_folder_is_followed(own_cache, user_rubric, monkeypatch):
    before = bank.find("my-question").calibration
    _next_command(monkeypatch)
    calibration = user_rubric.parent / "cal" / "mine.yaml"
    calibration.write_text(calibration.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    stamp = calibration.stat().st_mtime_ns
    os.utime(calibration, ns=(stamp + 10**9, stamp + 10**9))
    _no_parsing(monkeypatch)
    with pytest.raises(AssertionError, match="parsed"):
        bank.find("my-question")
    assert before is not None


def test_a_scan_with_a_broken_rubric_is_not_kept(own_cache, user_rubric, monkeypatch):
    shutil.copy(user_rubric, user_rubric.with_name("broken.yaml"))
    user_rubric.with_name("broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    bank.find("coroutine-vs-generator")
    assert not (own_cache / scan_cache.CACHE_FILE).exists()


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05N."])
def test_a_damaged_copy_is_read_as_none_and_replaced(own_cache, user_rubric, monkeypatch, damage):
    own_cache.mkdir(parents=True, exist_ok=True)
    (own_cache / scan_cache.CACHE_FILE).write_bytes(damage)
    assert bank.find("my-question").id == "my-question"
    _next_command(monkeypatch)
    _no_parsing(monkeypatch)
    assert bank.find("my-question").id == "my-question"


@pytest.mark.parametrize("how", ["others may write it", "a link"])
def test_a_kept_scan_that_is_not_the_users_own_file_is_never_unpickled(own_cache, user_rubric, monkeypatch, tmp_path, how):
    """A pickle runs code when read: in a cache folder somewhere shared, another user could leave one."""
    bank.find("my-question")
    kept = own_cache / scan_cache.CACHE_FILE
    if how == "a link":
        elsewhere = tmp_path / "elsewhere.pickle"
        kept.rename(elsewhere)
        kept.symlink_to(elsewhere)
    else:
        kept.chmod(0o666)
    _next_command(monkeypatch)
    monkeypatch.setattr(scan_cache.pickle, "load", lambda handle: pytest.fail("another's pickle was read"))
    assert bank.find("my-question").id == "my-question"


def test_a_cache_folder_that_cannot_be_written_costs_only_time(tmp_path, user_rubric, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "cache").write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("GENCO_HOME", str(home))
    monkeypatch.setattr(bank, "_last", None)
    assert bank.find("my-question").id == "my-question"


def test_the_key_changes_with_the_working_folder_and_the_search_path(own_cache, tmp_path, monkeypatch):
    key = scan_cache.scan_key(("state",))
    assert scan_cache.scan_key(("other state",)) != key
    monkeypatch.chdir(tmp_path)
    assert scan_cache.scan_key(("state",)) != key
