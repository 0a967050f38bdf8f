"""Model resolution and the on-disk exemplar cache."""

from __future__ import annotations

import numpy as np
import pytest

from genco_interview.embedding import (
    ModelError,
    cache_dir,
    model_fingerprint,
    resolve_backend,
    resolve_model,
    stored_encode,
)


class CountingEmbedder:
    """Counts encode calls; stored_encode's contract is about when the model is (not) asked."""

    fingerprint = "fake:1"
    dimension = 3

    def __init__(self):
        self.calls = 0

    def encode(self, texts, progress=None):
        self.calls += 1
        return np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)


def test_stored_encode_computes_once_then_reads_from_disk(tmp_path):
    embedder = CountingEmbedder()
    first = stored_encode(embedder, ["a", "bb"], tmp_path)
    second = stored_encode(embedder, ["a", "bb"], tmp_path)
    assert embedder.calls == 1
    np.testing.assert_array_equal(first, second)
    assert len(list(tmp_path.glob("exemplars-*.npy"))) == 1


def test_other_texts_or_model_get_their_own_entry(tmp_path):
    embedder = CountingEmbedder()
    stored_encode(embedder, ["a"], tmp_path)
    stored_encode(embedder, ["b"], tmp_path)
    embedder.fingerprint = "fake:2"
    stored_encode(embedder, ["a"], tmp_path)
    assert embedder.calls == 3


def test_a_cache_entry_that_cannot_be_written_leaves_no_part_behind(tmp_path, monkeypatch):
    """On a full disk each run left a half-written `exemplars-*.npy.<pid>.tmp` beside the cache."""
    import os

    from genco_interview.embedding import cache

    def disk_full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", disk_full)
    vectors = stored_encode(CountingEmbedder(), ["a", "bb"], tmp_path)
    assert vectors.shape == (2, 3) and os.listdir(tmp_path) == []


def test_corrupt_entry_is_recomputed_and_replaced(tmp_path):
    embedder = CountingEmbedder()
    stored_encode(embedder, ["a", "bb"], tmp_path)
    (entry,) = tmp_path.glob("exemplars-*.npy")
    entry.write_bytes(b"not numpy at all")
    vectors = stored_encode(embedder, ["a", "bb"], tmp_path)
    assert embedder.calls == 2
    assert vectors.shape == (2, 3)
    assert np.load(entry).shape == (2, 3)


def test_unwritable_cache_still_returns_embeddings(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    vectors = stored_encode(CountingEmbedder(), ["a"], blocker / "cache")
    assert vectors.shape == (1, 3)


def test_cache_dir_follows_genco_home(monkeypatch, tmp_path):
    monkeypatch.setenv("GENCO_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "cache"


def test_fingerprint_changes_when_a_model_file_changes(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    before = model_fingerprint(tmp_path)
    (tmp_path / "config.json").write_text('{"changed": true}')
    assert model_fingerprint(tmp_path) != before


def test_resolve_model_rejects_a_directory_without_a_model(tmp_path):
    with pytest.raises(ModelError, match="not a local sentence-transformers model directory"):
        resolve_model(str(tmp_path))


def test_resolve_model_defaults_to_the_bundled_package(monkeypatch):
    monkeypatch.delenv("GENCO_MODEL", raising=False)
    spec = resolve_model()
    assert spec.name == "all-MiniLM-L6-v2"
    assert (spec.path / "modules.json").is_file()


@pytest.mark.parametrize(("option", "variable", "expected"), [
    (None, None, "auto"), (None, "torch", "torch"), ("onnx", "torch", "onnx"), (None, " ONNX-int8 ", "onnx-int8"),
], ids=["default", "variable", "option-beats-variable", "variable-normalised"])
def test_resolve_backend_option_beats_variable_beats_auto(monkeypatch, option, variable, expected):
    if variable is None:
        monkeypatch.delenv("GENCO_BACKEND", raising=False)
    else:
        monkeypatch.setenv("GENCO_BACKEND", variable)
    assert resolve_backend(option) == expected


def test_resolve_backend_rejects_an_unknown_name(monkeypatch):
    monkeypatch.setenv("GENCO_BACKEND", "cuda")
    with pytest.raises(ModelError, match="unknown backend 'cuda'.*valid: auto, onnx, onnx-int8, torch"):
        resolve_backend()


def test_entry_with_wrong_values_is_not_trusted(tmp_path):
    """A file of the right shape with other values (bit rot, a hand-made file) must not score answers."""
    embedder = CountingEmbedder()
    right = stored_encode(embedder, ["a", "bb"], tmp_path)
    (entry,) = tmp_path.glob("exemplars-*.npy")
    np.save(entry, np.full((2, 3), 0.5, dtype=np.float32))  # same shape and name, other values
    vectors = stored_encode(embedder, ["a", "bb"], tmp_path)
    assert embedder.calls == 2
    np.testing.assert_array_equal(vectors, right)
    assert [np.load(p).tolist() for p in tmp_path.glob("exemplars-*.npy")] == [right.tolist()]


def test_oversized_entry_is_not_read(tmp_path):
    embedder = CountingEmbedder()
    stored_encode(embedder, ["a"], tmp_path)
    (entry,) = tmp_path.glob("exemplars-*.npy")
    entry.write_bytes(entry.read_bytes() + b"\0" * 50_000)
    stored_encode(embedder, ["a"], tmp_path)
    assert embedder.calls == 2


# --- batch planning ---------------------------------------------------------------------------

def covered(cuts: list[slice]) -> list[int]:
    return [i for cut in cuts for i in range(cut.start, cut.stop)]


def test_batches_cover_every_text_once_in_order_and_respect_the_cap():
    from genco_interview.embedding.batches import plan_batches

    lengths = [5] * 30
    cuts = plan_batches(lengths, max_batch=8, run_cost=19)
    assert covered(cuts) == list(range(30))
    assert max(c.stop - c.start for c in cuts) == 8
    assert len(cuts) == 4  # equal lengths pad nothing: the fewest runs the cap allows


def test_a_much_longer_text_runs_alone_rather_than_padding_short_ones():
    from genco_interview.embedding.batches import plan_batches

    cuts = plan_batches([10, 10, 10, 200], max_batch=8, run_cost=19)
    assert [(c.start, c.stop) for c in cuts] == [(0, 3), (3, 4)]


def test_a_costly_run_gathers_texts_a_cheap_one_keeps_apart():
    from genco_interview.embedding.batches import plan_batches

    lengths = [10, 20, 30, 40]
    assert len(plan_batches(lengths, max_batch=4, run_cost=1000)) == 1
    assert len(plan_batches(lengths, max_batch=4, run_cost=0)) == 4


def test_no_texts_make_no_batches_and_unsorted_lengths_are_refused():
    from genco_interview.embedding.batches import plan_batches

    assert plan_batches([], max_batch=8, run_cost=19) == []
    with pytest.raises(ValueError, match="ascending"):
        plan_batches([3, 1], max_batch=8, run_cost=19)
    with pytest.raises(ValueError, match="at least 1"):
        plan_batches([3], max_batch=0, run_cost=19)


def test_a_loader_holding_notices_keeps_them_off_the_answer_being_typed(monkeypatch, capsys):
    """`practice` loads the model while the learner types: what loading says (the first use builds the
    ONNX export) waits until the answer is in, then shows; a notice after that shows at once."""
    from genco_interview.embedding import registry

    def load(model=None, backend=None, notice=registry._stderr_notice):
        notice("no ONNX export yet; building the fast ONNX backend now")
        return "an embedder"

    monkeypatch.setattr(registry, "load_embedder", load)
    loader = registry.BackgroundLoader(hold_notices=True)
    assert loader.get() == "an embedder" and capsys.readouterr().err == ""
    loader.release_notices()
    assert capsys.readouterr().err == "genco: no ONNX export yet; building the fast ONNX backend now\n"
    loader._notice("a later one")
    assert capsys.readouterr().err == "genco: a later one\n"
    registry.BackgroundLoader().get()  # without hold_notices, as before: at once
    assert capsys.readouterr().err == "genco: no ONNX export yet; building the fast ONNX backend now\n"


def test_a_model_folder_without_its_tokenizer_is_refused(tmp_path) -> None:
    """Without tokenizer.json and vocab.txt the model loads with a vocabulary of special tokens alone:
    every word is [UNK] and every answer the same vector, so scores would mean nothing."""
    import shutil

    from genco_interview.embedding import load_embedder

    model = tmp_path / "no-tokenizer"
    shutil.copytree(resolve_model(None).path, model)
    for name in ("tokenizer.json", "vocab.txt"):
        (model / name).unlink()
    with pytest.raises(ModelError, match=r"its tokenizer knows \d+ tokens \(tokenizer.json or vocab.txt missing"):
        load_embedder(str(model), "torch")
