"""The built wheel, installed in a fresh virtual environment and run from another directory.

The editable install reads rubrics from the checkout, so it cannot show what a plain
`pip install .` ships. Installing all dependencies again would cost minutes of CI time (torch
alone is most of a gigabyte); the fresh environment borrows the test environment's third-party
packages through a .pth line instead, while genco itself and its rubrics come from the wheel only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "good-detailed.txt"

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _built_wheel(out: Path) -> Path:
    """The wheel of genco, built without setuptools' warnings: "Package would be ignored" for each folder of
    data files alarmed a new user's first `pip install`."""
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--verbose", "-w", out, ROOT, cwd=out)
    assert built.returncode == 0, built.stderr
    assert "would be ignored" not in built.stdout + built.stderr
    (wheel,) = out.glob("genco_interview-*.whl")
    return wheel


def _fresh_environment(target: Path) -> Path:
    """A new venv that sees this environment's third-party packages, but not genco itself."""
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=target).stdout.strip()
    (Path(site) / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `genco` script of a fresh environment holding only the wheel's copy of genco."""
    work = tmp_path_factory.mktemp("wheel")
    wheel = _built_wheel(work)
    python = _fresh_environment(work / "env")
    installed = _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
                     "--ignore-installed", wheel, cwd=work)
    assert installed.returncode == 0, installed.stderr
    return work / "env" / "bin" / "genco"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GENCO_", "PYTHON"))}
    return {**env, "GENCO_HOME": str(home), "NO_COLOR": "1"}


def test_the_wheel_holds_genco_and_is_what_runs(installed: Path, tmp_path: Path) -> None:
    where = _run(installed.parent / "python", "-c", "import genco_interview; print(genco_interview.__file__)",
                 cwd=tmp_path, env=_env(tmp_path))
    assert Path(where.stdout.strip()).is_relative_to(installed.parent.parent), where.stdout + where.stderr


def test_rubric_list_from_another_directory(installed: Path, tmp_path: Path) -> None:
    listed = _run(installed, "rubric", "list", "--json", cwd=tmp_path, env=_env(tmp_path))
    assert listed.returncode == 0, listed.stderr
    ids = [r["id"] for r in json.loads(listed.stdout)]
    assert "coroutine-vs-generator" in ids and len(ids) >= 7


def test_the_rubric_guide_comes_with_the_wheel(installed: Path, tmp_path: Path) -> None:
    guide = _run(installed, "rubric", "guide", cwd=tmp_path, env=_env(tmp_path))
    assert guide.returncode == 0, guide.stderr
    assert guide.stdout == (ROOT / "docs" / "rubrics.md").read_text(encoding="utf-8")


def test_score_from_another_directory(installed: Path, tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    scored = _run(installed, "score", "-d", "detailed", "--answer-file", answer, "--format", "json", "--no-save",
                  cwd=tmp_path, env=_env(tmp_path / "home"))
    assert scored.returncode == 0, scored.stderr
    card = json.loads(scored.stdout)
    assert card["question"] == "coroutine-vs-generator" and card["score"] > 50
    assert "building the fast ONNX backend now, once" in scored.stderr
    again = _run(installed, "score", "-d", "detailed", "--answer-file", answer, "--format", "json", "--no-save",
                 cwd=tmp_path, env=_env(tmp_path / "home"))
    assert again.returncode == 0 and again.stderr == "", again.stderr
    shown = json.loads(_run(installed, "model", "info", "--format", "json", cwd=tmp_path,
                            env=_env(tmp_path / "home")).stdout)
    assert shown["backend"] == "onnx"
    assert abs(json.loads(again.stdout)["score"] - card["score"]) <= 0.5


def test_a_page_carries_its_stylesheet_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    """The pages' CSS is package data: a wheel that left it out would fail here, not in a user's browser."""
    shown = _run(installed, "rubric", "show", "--format", "html", cwd=tmp_path, env=_env(tmp_path))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("<!DOCTYPE html>") and "@media print" in shown.stdout
