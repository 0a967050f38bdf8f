"""Shared fixtures. The real model loads once per session: quality tests must use it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXAMPLES = DATA / "examples"


@pytest.fixture(scope="session", autouse=True)
def isolated_genco_home(tmp_path_factory):
    """Drafts and the exemplar cache go to a temporary GENCO_HOME, never the user's."""
    home = tmp_path_factory.mktemp("genco-home")
    previous = os.environ.get("GENCO_HOME")
    os.environ["GENCO_HOME"] = str(home)
    yield home
    if previous is None:
        os.environ.pop("GENCO_HOME", None)
    else:
        os.environ["GENCO_HOME"] = previous


@pytest.fixture(scope="session")
def embedder():
    from genco_interview.embedding import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def flagship():
    from genco_interview.rubric import find

    return find("coroutine-vs-generator")


@pytest.fixture(scope="session")
def scorer(flagship, embedder):
    from genco_interview.scoring import Scorer

    return Scorer(flagship, embedder)


@pytest.fixture
def real_model_cli(monkeypatch, embedder):
    """CLI commands reuse the session's model instead of loading their own."""
    import genco_interview.embedding as embedding

    monkeypatch.setattr(embedding, "load_embedder", lambda model=None: embedder)
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
