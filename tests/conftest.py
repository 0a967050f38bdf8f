"""Shared fixtures. The real model loads once per session: quality tests must use it."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXAMPLES = DATA / "examples"


@pytest.fixture(autouse=True)
def exits_stay_in_the_test(monkeypatch):
    """An interrupted practice leaves with os._exit once a model runtime is loaded (cli._exit_now): in the
    test process, where other tests loaded one, it must end the command, not the test run."""
    import sys

    from genco_interview import cli

    def leave(code: int) -> None:
        sys.exit(code)

    monkeypatch.setattr(cli, "_exit_now", leave)


@pytest.fixture(scope="session", autouse=True)
def model_loads_end_before_the_session():
    """A command that failed before it needed its model leaves the background load running (the CLI
    itself leaves with os._exit); the interpreter must not shut down while that thread is inside
    torch or onnxruntime, which aborts it (exit 134) after every test passed."""
    yield
    import threading

    for thread in threading.enumerate():
        if thread.name == "genco-model-loader":
            thread.join(timeout=300)


@pytest.fixture(scope="session", autouse=True)
def isolated_genco_home(tmp_path_factory):
    """The session's GENCO_HOME, never the user's: its cache/ holds what is costly to rebuild and
    safe to share (the ONNX export, exemplar vectors). Session fixtures (onnx_export) run here,
    before any test's own home exists; each test then gets `own_genco_home` below."""
    home = tmp_path_factory.mktemp("genco-session-home")
    (home / "cache").mkdir()
    previous = os.environ.get("GENCO_HOME")
    os.environ["GENCO_HOME"] = str(home)
    yield home
    if previous is None:
        os.environ.pop("GENCO_HOME", None)
    else:
        os.environ["GENCO_HOME"] = previous


@pytest.fixture(autouse=True)
def own_genco_home(isolated_genco_home, tmp_path_factory, monkeypatch):
    """Every test its own GENCO_HOME (history, drafts, recovery file start empty, and nothing a test
    writes there reaches another), whose cache/ is the session's, so the model export and exemplar
    vectors are built once. A test that damages a cache sets a home of its own (export_copy)."""
    home = tmp_path_factory.mktemp("genco-home")
    (home / "cache").symlink_to(isolated_genco_home / "cache", target_is_directory=True)
    monkeypatch.setenv("GENCO_HOME", str(home))
    # and its own temp folder: a draft genco kept there for this machine's user (its home unwritable) would
    # be offered back to every test's practice
    temp = tmp_path_factory.mktemp("tmp")
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return home


@pytest.fixture(scope="session")
def embedder():
    """sentence-transformers on torch: the reference backend every quality claim is measured on."""
    from genco_interview.embedding import load_embedder

    return load_embedder(backend="torch")


@pytest.fixture(scope="session")
def onnx_export(embedder, isolated_genco_home):
    """The bundled model's ONNX export (with its int8 variant), built once per session in the
    temporary GENCO_HOME from the already loaded reference model; returns its directory."""
    from genco_interview.embedding import resolve_model
    from genco_interview.embedding.onnx_export import build_export

    return build_export(resolve_model(), quantize=True, reference=embedder)


@pytest.fixture(scope="session")
def onnx_embedder(onnx_export):
    from genco_interview.embedding import resolve_model
    from genco_interview.embedding.onnx_backend import OnnxEmbedder

    return OnnxEmbedder(resolve_model(), "onnx")


@pytest.fixture(scope="session")
def flagship():
    from genco_interview.rubric import find

    return find("coroutine-vs-generator")


@pytest.fixture(scope="session")
def scorer(flagship, embedder):
    from genco_interview.scoring import Scorer

    return Scorer(flagship, embedder)


@pytest.fixture
def export_copy(onnx_export, tmp_path, monkeypatch):
    """A private copy of the session's ONNX export under a fresh GENCO_HOME, free to damage."""
    import shutil

    from genco_interview.embedding.onnx_backend import VERIFIED

    home = tmp_path / "home"
    copy = home / "cache" / "onnx" / onnx_export.name
    shutil.copytree(onnx_export, copy)
    (copy / VERIFIED).unlink(missing_ok=True)  # a record of the session's files, not of these copies
    monkeypatch.setenv("GENCO_HOME", str(home))
    return copy


@pytest.fixture
def real_model_cli(monkeypatch, embedder):
    """CLI commands reuse the session's model instead of loading their own."""
    import genco_interview.embedding as embedding

    def load(model=None, backend=None, notice=None):
        return embedder

    monkeypatch.setattr(embedding, "load_embedder", load)  # what the commands import
    monkeypatch.setattr(embedding.registry, "load_embedder", load)  # what the background loader calls
    return embedder


@pytest.fixture(scope="session")
def scorer_for(embedder):
    """A real-model scorer per rubric id, built once per session (the question bank has several)."""
    from genco_interview.rubric import find
    from genco_interview.scoring import Scorer

    scorers: dict = {}

    def get(rubric_id: str):
        if rubric_id not in scorers:
            scorers[rubric_id] = Scorer(find(rubric_id), embedder)
        return scorers[rubric_id]

    return get


GRADED_IDS = sorted(path.stem for path in DATA.glob("*.jsonl"))
"""Every rubric with a graded set: data/<rubric id>.jsonl."""


def load_graded(rubric_id: str = "coroutine-vs-generator") -> list[dict]:
    with open(DATA / f"{rubric_id}.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture
def db(tmp_path):
    """A history file of the test's own (the web tests' apps keep attempts there)."""
    return tmp_path / "history.sqlite3"


@pytest.fixture
def client(embedder, db):
    """The web app around the session's model and `db`, through Starlette's TestClient (no network)."""
    from starlette.testclient import TestClient
    from web_helpers import make_app

    return TestClient(make_app(embedder, db), base_url="http://127.0.0.1")


@pytest.fixture
def home(monkeypatch, tmp_path):
    """A private GENCO_HOME (not yet created) whose history waits 0.2 s for a lock, and no user rubrics.
    Modules that need another home define their own `home`, which takes precedence."""
    from genco_interview.progress import database

    path = tmp_path / "home"
    monkeypatch.setenv("GENCO_HOME", str(path))
    monkeypatch.setenv(database.TIMEOUT_ENV, "0.2")
    monkeypatch.delenv("GENCO_RUBRICS", raising=False)
    return path


@pytest.fixture
def filled(home):
    """`home` with a history of a few attempts (history_helpers.progress_attempts); the database's path."""
    from genco_interview.progress import database
    from genco_interview.progress.store import open_history

    from history_helpers import progress_attempts

    with open_history() as store:
        store.add(progress_attempts())
    return home / database.DB_NAME
