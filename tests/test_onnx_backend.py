"""The ONNX backend: pipeline from the model's files, pooling, export checks, parity with torch, fallback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from genco_interview import embedding
from genco_interview.embedding import ModelError, ModelSpec, load_embedder, onnx_backend, resolve_model
from genco_interview.embedding.onnx_backend import (
    MANIFEST,
    VERIFIED,
    ExportUnavailable,
    OnnxEmbedder,
    Pipeline,
    _pooling_modes,
    check_export,
    pool,
    read_pipeline,
)

from conftest import DATA, EXAMPLES, ROOT

BENCHMARK_SENTENCES = ROOT / "tests" / "fixtures" / "benchmark-sentences.jsonl"
HEAVY_MODULES = ("torch", "transformers", "sentence_transformers", "sklearn")
ANSWER = "A generator yields many values to a for loop; a coroutine is awaited and the event loop drives it."


# --- the pipeline, read from the model's files --------------------------------------------------

@pytest.mark.parametrize(("config", "modes"), [
    ({"pooling_mode_mean_tokens": True}, ("mean",)),
    ({"pooling_mode_cls_token": True, "pooling_mode_max_tokens": True}, ("cls", "max")),
    ({"pooling_mode": "max"}, ("max",)),
    ({"pooling_mode": ["cls", "mean"], "pooling_mode_max_tokens": True}, ("cls", "mean")),
    ({}, ("mean",)),
], ids=["legacy-mean", "legacy-two", "new-string", "new-list-wins", "default"])
def test_pooling_modes_follow_the_config(config, modes):
    assert _pooling_modes(config, Path("1_Pooling/config.json")) == modes


def test_the_bundled_models_pipeline_comes_from_its_files():
    assert read_pipeline(resolve_model()) == Pipeline(
        transformer_dir=".", pooling=("mean",), normalize=True, max_seq_length=256, do_lower_case=False, dimension=384)


def write_model(root: Path, modules: list[str], pooling: dict, tokenizer: bool = True) -> ModelSpec:
    """A model directory with just the sentence-transformers files read_pipeline looks at."""
    paths = {"Transformer": "", "Pooling": "1_Pooling", "Normalize": "2_Normalize", "Dense": "2_Dense"}
    (root / "1_Pooling").mkdir(parents=True)
    (root / "modules.json").write_text(json.dumps(
        [{"idx": i, "name": str(i), "path": paths[m], "type": f"sentence_transformers.models.{m}"}
         for i, m in enumerate(modules)]))
    (root / "1_Pooling" / "config.json").write_text(json.dumps({"word_embedding_dimension": 8, **pooling}))
    (root / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 128, "do_lower_case": True}))
    if tokenizer:
        (root / "tokenizer.json").write_text("{}")
    return ModelSpec(path=root, name="fake")


def test_a_pipeline_with_two_poolings_and_lower_casing(tmp_path):
    spec = write_model(tmp_path, ["Transformer", "Pooling"], {"pooling_mode": ["cls", "mean_sqrt_len_tokens"]})
    assert read_pipeline(spec) == Pipeline(transformer_dir=".", pooling=("cls", "mean_sqrt_len_tokens"),
                                           normalize=False, max_seq_length=128, do_lower_case=True, dimension=16)


@pytest.mark.parametrize(("modules", "pooling", "tokenizer", "why"), [
    (["Transformer", "Pooling", "Dense", "Normalize"], {}, True, "modules Transformer -> Pooling -> Dense"),
    (["Transformer", "Pooling"], {"pooling_mode": "weightedmean"}, True, "pooling weightedmean"),
    (["Transformer", "Pooling"], {}, False, "no tokenizer.json"),
], ids=["dense-layer", "weighted-mean", "no-tokenizer"])
def test_pipelines_onnx_cannot_reproduce_stay_on_torch(tmp_path, modules, pooling, tokenizer, why):
    spec = write_model(tmp_path, modules, pooling, tokenizer)
    with pytest.raises(ExportUnavailable, match=why) as caught:
        read_pipeline(spec)
    assert not caught.value.rebuildable


DAMAGED_MODULES = {"object": ('{"dummy": 1}', "expected a list of modules, found an object"),
                   "number-in-list": ("[1]", "module 1 must be an object, not 1"),
                   "null": ("null", "expected a list of modules, found null"),
                   "empty": ("[]", "the list of modules is empty"),
                   "type-a-number": ('[{"type": 5}]', "module 1's 'type' must be a string, not 5"),
                   "no-path": ('[{"type": "sentence_transformers.models.Transformer"}]', "module 1 has no 'path'"),
                   "path-outside": ('[{"type": "Transformer", "path": "../elsewhere"}]', "module 1's path '../elsewhere' leaves the model folder"),
                   "not-json": ("[{", "not JSON")}


@pytest.mark.parametrize(("text", "why"), DAMAGED_MODULES.values(), ids=DAMAGED_MODULES.keys())
@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_a_damaged_modules_json_is_a_model_error_naming_the_file(tmp_path, text, why, backend):
    """Not a traceback, and not "ONNX cannot run it" either: torch cannot load it any more than ONNX can."""
    spec = write_model(tmp_path, ["Transformer", "Pooling"], {})
    (tmp_path / "modules.json").write_text(text)
    with pytest.raises(ModelError, match="damaged model file") as caught:
        read_pipeline(spec) if backend == "onnx" else embedding.SentenceTransformerEmbedder(spec)
    assert not isinstance(caught.value, ExportUnavailable)
    assert str(caught.value).startswith(f"{tmp_path / 'modules.json'}: damaged model file: {why}")


@pytest.mark.parametrize(("file", "text", "why"), [
    ("1_Pooling/config.json", "[]", "expected an object, found a list"),
    ("1_Pooling/config.json", '{"pooling_mode": 5, "word_embedding_dimension": 8}',
     "'pooling_mode' must be a mode or a list of modes, not 5"),
    ("1_Pooling/config.json", '{"pooling_mode": [], "word_embedding_dimension": 8}', "not a list"),
    ("1_Pooling/config.json", '{"word_embedding_dimension": "8"}', "'word_embedding_dimension' must be a whole number"),
    ("sentence_bert_config.json", '{"max_seq_length": "128"}', "'max_seq_length' must be a whole number above 0"),
    ("sentence_bert_config.json", "null", "expected an object, found null"),
    ("config.json", '{"max_position_embeddings": -1}', "'max_position_embeddings' must be a whole number above 0"),
    ("config.json", "\xff", "not JSON"),
], ids=["pooling-list", "pooling-mode-number", "pooling-mode-empty", "width-text", "length-text", "bert-null",
        "negative-positions", "not-utf8"])
def test_a_damaged_config_is_a_model_error_naming_the_file(tmp_path, file, text, why):
    spec = write_model(tmp_path, ["Transformer", "Pooling"], {})
    (tmp_path / file).write_bytes(text.encode("latin-1"))
    with pytest.raises(ModelError) as caught:
        read_pipeline(spec)
    assert not isinstance(caught.value, ExportUnavailable)
    assert str(caught.value).startswith(f"{tmp_path / file}: damaged model file: ")
    assert why in str(caught.value)


def test_a_tokenizer_json_tokenizers_cannot_read_is_a_damaged_model_file(tmp_path):
    from tokenizers import Tokenizer

    path = tmp_path / "tokenizer.json"
    path.write_text('{"model": 5}')
    with pytest.raises(ModelError, match=f"^{path}: damaged model file: tokenizers cannot read it"):
        onnx_backend._load_tokenizer(Tokenizer, path)


def pipeline(*modes: str, normalize: bool = False) -> Pipeline:
    return Pipeline(".", modes, normalize, 16, False, 2 * len(modes))


TOKENS = np.array([[[1.0, 2.0], [3.0, 4.0], [100.0, -100.0]]], dtype=np.float32)
MASK = np.array([[1, 1, 0]])  # the third token is padding and must not count


@pytest.mark.parametrize(("modes", "expected"), [
    (("mean",), [2.0, 3.0]),
    (("max",), [3.0, 4.0]),
    (("cls",), [1.0, 2.0]),
    (("mean_sqrt_len_tokens",), [4.0 / np.sqrt(2), 6.0 / np.sqrt(2)]),
    (("cls", "mean"), [1.0, 2.0, 2.0, 3.0]),
])
def test_pooling_ignores_padding_and_concatenates_in_order(modes, expected):
    np.testing.assert_allclose(pool(TOKENS, MASK, pipeline(*modes)), [expected], rtol=1e-6)


def test_normalize_makes_unit_rows():
    vectors = pool(TOKENS, MASK, pipeline("mean", normalize=True))
    np.testing.assert_allclose(vectors, [[2.0 / np.sqrt(13), 3.0 / np.sqrt(13)]], rtol=1e-6)


# --- the export: checked on every load, never used when damaged --------------------------------

def flip_a_byte(path: Path) -> None:
    """Same size, same name, different weights: only the hash can tell."""
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))


def rewrite_manifest(directory: Path, **changes) -> None:
    manifest = json.loads((directory / MANIFEST).read_text())
    (directory / MANIFEST).write_text(json.dumps({**manifest, **changes}))


DAMAGE = {
    "removed": (lambda d: shutil.rmtree(d), "no ONNX export"),
    "truncated": (lambda d: (d / "model.onnx").write_bytes((d / "model.onnx").read_bytes()[:1000]), "corrupt"),
    "byte-flipped": (lambda d: flip_a_byte(d / "model.onnx"), "corrupt"),
    "weights-truncated": (lambda d: (d / "model.onnx.data").write_bytes(b"\0" * 1000), "corrupt"),
    "weights-byte-flipped": (lambda d: flip_a_byte(d / "model.onnx.data"), "corrupt"),
    "weights-removed": (lambda d: (d / "model.onnx.data").unlink(), "corrupt"),
    "manifest-garbage": (lambda d: (d / MANIFEST).write_text("{not json"), "corrupt"),
    "other-model": (lambda d: rewrite_manifest(d, model_fingerprint="0" * 16), "stale"),
    "other-pooling": (lambda d: rewrite_manifest(d, pipeline={**json.loads((d / MANIFEST).read_text())["pipeline"],
                                                              "pooling": ["cls"]}), "stale"),
}


@pytest.mark.slow
def test_a_fresh_export_passes_its_check(export_copy):
    found = check_export(resolve_model(), "onnx")
    assert found.file == export_copy / "model.onnx"
    assert found.manifest["files"]["model.onnx"]["probe_min_cosine"] >= 0.9999


@pytest.mark.slow
@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_export_is_detected_and_not_used(export_copy, damage):
    apply, verdict = DAMAGE[damage]
    apply(export_copy)
    with pytest.raises(ExportUnavailable, match=verdict) as caught:
        OnnxEmbedder(resolve_model(), "onnx")
    assert caught.value.rebuildable


@pytest.fixture
def a_minute_later(monkeypatch):
    """The clock a minute on, so the export copied just now counts as settled and gets remembered."""
    real = onnx_backend.time.time_ns
    monkeypatch.setattr(onnx_backend.time, "time_ns", lambda: real() + 60_000_000_000)


@pytest.mark.slow
def test_weights_that_hashed_right_are_not_hashed_again_until_they_change(export_copy, a_minute_later, monkeypatch):
    hashed: list[str] = []
    real = onnx_backend.file_sha256
    monkeypatch.setattr(onnx_backend, "file_sha256", lambda path: hashed.append(path.name) or real(path))
    OnnxEmbedder(resolve_model(), "onnx")
    assert hashed == ["model.onnx", "model.onnx.data"] and (export_copy / VERIFIED).is_file()
    hashed.clear()
    OnnxEmbedder(resolve_model(), "onnx")
    assert hashed == ["model.onnx"]
    flip_a_byte(export_copy / "model.onnx.data")
    with pytest.raises(ExportUnavailable, match="corrupt"):
        OnnxEmbedder(resolve_model(), "onnx")


@pytest.mark.slow
def test_weights_changed_within_the_last_second_are_not_remembered(export_copy, monkeypatch):
    """The clock is pinned half a second after the copy's last change: on a busy machine, loading
    the export can itself take longer than the second the rule is about."""
    changed = max(path.stat().st_ctime_ns for path in export_copy.iterdir())
    monkeypatch.setattr(onnx_backend.time, "time_ns", lambda: changed + 500_000_000)
    OnnxEmbedder(resolve_model(), "onnx")
    assert not (export_copy / VERIFIED).exists()


@pytest.fixture
def torch_is_the_session_model(monkeypatch, embedder):
    """Falling back to torch reuses the session's loaded reference model instead of loading another."""
    monkeypatch.setattr(embedding.registry, "SentenceTransformerEmbedder", lambda spec: embedder)
    return embedder


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["byte-flipped", "weights-byte-flipped"])
def test_auto_falls_back_to_torch_with_one_line_of_notice(export_copy, torch_is_the_session_model, damage):
    DAMAGE[damage][0](export_copy)
    notices: list[str] = []
    assert load_embedder(backend="auto", notice=notices.append) is torch_is_the_session_model
    assert len(notices) == 1 and "torch" in notices[0] and "genco model export" in notices[0]


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["removed", "other-model"])
def test_auto_builds_a_missing_or_stale_export_on_first_use(export_copy, torch_is_the_session_model, damage):
    """After a plain install (no export yet) or an upgrade (a stale one), the first score builds it,
    and removes the export a reinstall of the same model package left under its former file times."""
    DAMAGE[damage][0](export_copy)
    left_by_reinstall = fake_export(export_copy.parent, f"{resolve_model().name}-0000000000000000",
                                    str(resolve_model().path))
    notices: list[str] = []
    built = load_embedder(backend="auto", notice=notices.append)
    assert isinstance(built, OnnxEmbedder) and built.backend == "onnx"
    assert len(notices) == 1 and DAMAGE[damage][1] in notices[0], notices
    assert "building the fast ONNX backend now, once (up to about" in notices[0]
    assert not left_by_reinstall.exists()
    notices.clear()
    assert isinstance(load_embedder(backend="auto", notice=notices.append), OnnxEmbedder) and notices == []


@pytest.mark.slow
def test_a_failed_first_build_scores_on_torch(export_copy, torch_is_the_session_model, monkeypatch):
    import genco_interview.embedding.onnx_export as onnx_export

    def read_only(spec, reference=None, **options):
        raise ModelError("cannot install the ONNX export: Read-only file system")

    monkeypatch.setattr(onnx_export, "build_export", read_only)
    DAMAGE["removed"][0](export_copy)
    notices: list[str] = []
    assert load_embedder(backend="auto", notice=notices.append) is torch_is_the_session_model
    assert len(notices) == 2 and "Read-only file system" in notices[1] and "torch" in notices[1]


@pytest.mark.slow
def test_auto_without_onnxruntime_falls_back_to_torch(export_copy, torch_is_the_session_model, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    notices: list[str] = []
    assert load_embedder(notice=notices.append) is torch_is_the_session_model
    assert len(notices) == 1 and "onnxruntime is not installed" in notices[0]


@pytest.mark.slow
def test_auto_uses_a_valid_export_silently(export_copy):
    notices: list[str] = []
    chosen = load_embedder(notice=notices.append)
    assert isinstance(chosen, OnnxEmbedder) and chosen.backend == "onnx"
    assert notices == []


@pytest.mark.slow
def test_explicit_onnx_rebuilds_a_corrupt_export(export_copy, embedder, monkeypatch):
    import genco_interview.embedding.onnx_export as onnx_export

    monkeypatch.setattr(onnx_export, "SentenceTransformerEmbedder", lambda spec: embedder)
    flip_a_byte(export_copy / "model.onnx")
    notices: list[str] = []
    rebuilt = load_embedder(backend="onnx", notice=notices.append)
    assert isinstance(rebuilt, OnnxEmbedder)
    assert len(notices) == 1 and "building it now" in notices[0]
    check_export(resolve_model(), "onnx")  # valid again


# --- parity with sentence-transformers (the reference) -----------------------------------------

def parity_sentences() -> list[str]:
    """Every rubric text, every scored part of every answer in data/, and 500 benchmark answers."""
    from genco_interview.rubric import discover
    from genco_interview.scoring import rubric_text_groups
    from genco_interview.text.segment import segment

    texts = [t for rubric in discover() for group in rubric_text_groups(rubric) for t in group]
    answers = [json.loads(line)["answer"] for path in sorted(DATA.glob("*.jsonl"))
               for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    answers += [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    texts += [u.text for answer in answers for u in segment(answer).units]
    texts += [json.loads(line)["text"] for line in BENCHMARK_SENTENCES.read_text(encoding="utf-8").splitlines()]
    return list(dict.fromkeys(texts))


@pytest.mark.slow
def test_onnx_and_torch_embeddings_agree_on_every_sentence(embedder, onnx_embedder):
    texts = parity_sentences()
    assert len(texts) >= 1000
    cosines = (embedder.encode(texts) * onnx_embedder.encode(texts)).sum(axis=1)
    worst = int(np.argmin(cosines))
    assert cosines[worst] >= 0.9999, f"cosine {cosines[worst]:.6f} for {texts[worst][:80]!r}"


def graded_answers() -> dict[str, list[dict]]:
    """data/*.jsonl grouped by question (a row may name its question; else the file does)."""
    groups: dict[str, list[dict]] = {}
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                groups.setdefault(row.get("question", path.stem), []).append(row)
    return groups


@pytest.mark.slow
@pytest.mark.parametrize("question", sorted(graded_answers()))
def test_every_graded_answer_scores_the_same_on_both_backends(embedder, onnx_embedder, question):
    from genco_interview.rubric import find
    from genco_interview.scoring import Scorer

    rubric = find(question)
    reference, fast = Scorer(rubric, embedder), Scorer(rubric, onnx_embedder)
    for row in graded_answers()[question]:
        depth = row.get("depth", rubric.depth_names[0])
        want, got = reference.score(row["answer"], depth), fast.score(row["answer"], depth)
        assert [(c.id, c.status) for c in got.concepts] == [(c.id, c.status) for c in want.concepts], row["id"]
        assert [m.id for m in got.misconceptions] == [m.id for m in want.misconceptions], row["id"]
        assert abs(got.score - want.score) <= 0.5, (row["id"], got.score, want.score)


@pytest.mark.slow
def test_the_int8_variant_is_close_to_the_reference_but_keyed_apart(embedder, onnx_export, onnx_embedder):
    quantized = OnnxEmbedder(resolve_model(), "onnx-int8")
    texts = parity_sentences()[:300]
    cosines = (embedder.encode(texts) * quantized.encode(texts)).sum(axis=1)
    assert cosines.mean() >= 0.98 and cosines.min() < 0.9999  # close, and measurably not exact
    assert len({embedder.fingerprint, onnx_embedder.fingerprint, quantized.fingerprint}) == 3


# --- the real command line, in fresh processes -------------------------------------------------

def genco_process(code_prefix: str, *args: str, importtime: bool = False) -> subprocess.CompletedProcess:
    """`genco ARGS` in a new interpreter, after `code_prefix` ran (how a missing package is simulated)."""
    code = f"{code_prefix}\nimport sys\nsys.argv = ['genco', *{list(args)!r}]\nfrom genco_interview.cli import main\nmain()"
    env = {k: v for k, v in os.environ.items() if k not in ("GENCO_BACKEND", "GENCO_MODEL")}
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run([sys.executable, *flags, "-c", code], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)


def imported_modules(importtime_stderr: str) -> set[str]:
    return {line.split("|")[-1].strip().split(".")[0] for line in importtime_stderr.splitlines()
            if line.startswith("import time:")}


SCORE_ARGS = ("score", "-d", "quick", "--answer", ANSWER, "--format", "json")


@pytest.mark.slow
def test_a_one_shot_score_on_onnx_imports_no_torch(onnx_export):
    """Nor rich: JSON output draws nothing on a terminal, and rich is about 30 ms of start-up."""
    done = genco_process("", *SCORE_ARGS, importtime=True)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = imported_modules(done.stderr)
    assert "onnxruntime" in modules and "genco_interview" in modules
    assert not modules & {*HEAVY_MODULES, "rich"}, modules & {*HEAVY_MODULES, "rich"}
    assert "genco:" not in done.stderr  # a valid export: no notice


@pytest.mark.slow
def test_a_one_shot_score_sends_nothing_and_leaves_nothing_in_the_users_home(onnx_export, tmp_path):
    """onnxruntime 1.29+ uploads telemetry from Linux by default, keeps a device id and an event
    cache under ~/.cache/Microsoft, and warns in colour on stderr when it cannot write them: genco
    turns it off, so a home that cannot be written (HOME=/proc) gets no line and a writable one no file."""
    for home in (tmp_path, Path("/proc")):
        prefix = f"import os\nos.environ.pop('ORT_DISABLE_TELEMETRY', None)\nos.environ['HOME'] = {str(home)!r}"
        done = genco_process(prefix, *SCORE_ARGS, "--no-save")
        assert done.returncode == 0 and done.stderr == "", done.stderr[-2000:]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_without_onnxruntime_a_real_run_falls_back_and_scores_the_same(onnx_export):
    fast = genco_process("", *SCORE_ARGS, "--no-save")  # stderr: the notice alone
    fallback = genco_process("import sys; sys.modules['onnxruntime'] = None", *SCORE_ARGS, "--no-save")
    assert fast.returncode == fallback.returncode == 0, fallback.stderr[-2000:]
    notices = [line for line in fallback.stderr.splitlines() if line.strip()]
    assert len(notices) == 1 and notices[0].startswith("genco: onnxruntime is not installed"), notices
    want, got = json.loads(fast.stdout), json.loads(fallback.stdout)
    assert [c["status"] for c in got["concepts"]] == [c["status"] for c in want["concepts"]]
    assert abs(got["score"] - want["score"]) <= 0.5


# --- a rebuild removes what it replaces -------------------------------------------------------

def fake_export(parent: Path, name: str, model_path: str | None) -> Path:
    """A folder with an export's manifest when `model_path` is given: the model and fingerprint its
    name gives (`<model>-<fingerprint>`), and the model folder it was built from."""
    directory = parent / name
    directory.mkdir(parents=True)
    if model_path is not None:
        model, _, fingerprint = name.rpartition("-")
        (directory / MANIFEST).write_text(json.dumps({"model": model, "model_fingerprint": fingerprint,
                                                      "model_path": model_path}))
    return directory


def test_a_rebuild_removes_the_exports_it_replaces_and_keeps_other_installs(tmp_path):
    """Only exports of this model go (their folder's name and manifest agree): a first version globbed
    `*<name>-*` and removed another model's export whose name ends alike, and any dot-folder a day old."""
    from genco_interview.embedding.onnx_export import ABANDONED_AFTER_S, remove_replaced_exports

    model, other_install = tmp_path / "venv" / "model", tmp_path / "other-venv" / "model"
    model.mkdir(parents=True)
    other_install.mkdir(parents=True)
    spec, onnx = ModelSpec(path=model, name="mini"), tmp_path / "cache" / "onnx"

    def export(fingerprint: str, built_from: str | None, name: str = "mini") -> Path:
        return fake_export(onnx, f"{name}-{fingerprint}", built_from)

    kept = export("000000000000000a", str(model))
    reinstalled = export("000000000000000b", str(model))
    vanished = export("000000000000000c", str(tmp_path / "deleted-venv" / "model"))
    elsewhere = export("000000000000000d", str(other_install))
    unreadable = export("000000000000000e", None)
    another_model = export("000000000000000f", str(tmp_path / "deleted-venv" / "model"), name="tiny-mini")
    look_alike = fake_export(onnx, "mini-notes", str(tmp_path / "gone"))
    abandoned = fake_export(onnx, ".mini-000000000000000b.x1y2", None)
    in_progress = fake_export(onnx, ".mini-000000000000000a.z3w4", None)
    someone_elses = fake_export(onnx, ".backup-mini-keep", None)
    long_ago = abandoned.stat().st_mtime - ABANDONED_AFTER_S - 60
    for old in (abandoned, someone_elses):
        os.utime(old, (long_ago, long_ago))

    removed = remove_replaced_exports(spec, kept)

    assert sorted(removed) == sorted([reinstalled, vanished, abandoned])
    assert [path for path in (reinstalled, vanished, abandoned) if path.exists()] == []
    assert all(path.is_dir() for path in (kept, elsewhere, unreadable, another_model, look_alike, in_progress,
                                          someone_elses))


def test_a_cache_folder_whose_name_is_not_utf8_is_refused_before_any_loading(tmp_path, monkeypatch):
    """A GENCO_HOME set from raw bytes (read as surrogates): torch's exporter failed on the path with its
    own argument types, after seconds of loading, at every run; the build now says why, first."""
    from genco_interview.embedding.onnx_export import build_export

    monkeypatch.setenv("GENCO_HOME", str(tmp_path) + "/h\udcffome")
    spec = write_model(tmp_path / "model", ["Transformer", "Pooling"], {})
    with pytest.raises(ModelError, match=r"h\\udcffome.*not valid UTF-8; set GENCO_HOME"):
        build_export(spec)
