"""`genco model info|export` and the --backend option, through click's CliRunner."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from cli_helpers import invoke

from genco_interview.app.model import Exported
from genco_interview.embedding.onnx_backend import MANIFEST

ANSWER = "A generator yields many values to a for loop; a coroutine is awaited and the event loop drives it."




def info(*args: str, env: dict[str, str] | None = None) -> dict:
    result = invoke("model", "info", "--format", "json", *args, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
def test_info_reports_the_onnx_backend_when_the_export_is_valid(export_copy):
    shown = info()
    assert (shown["backend"], shown["backend_requested"]) == ("onnx", "auto")
    assert shown["exports"]["onnx"]["valid"] and shown["exports"]["onnx-int8"]["valid"]
    assert shown["export_dir"] == str(export_copy)
    assert shown["pipeline"]["pooling"] == ["mean"] and shown["pipeline"]["normalize"] is True


@pytest.mark.slow
def test_info_says_why_auto_would_use_torch(export_copy):
    (export_copy / "model.onnx").write_bytes(b"truncated")
    shown = info()
    assert shown["backend"] == "torch"
    assert "corrupt" in shown["reason"] and not shown["exports"]["onnx"]["valid"]


@pytest.mark.slow
def test_info_says_an_int8_variant_never_built_is_not_built(export_copy):
    """An export made without --quantize is fine: its int8 variant reads "not built" and how to build it."""
    manifest = json.loads((export_copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"] = {name: entry for name, entry in manifest["files"].items() if "int8" not in name}
    (export_copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    int8 = info()["exports"]["onnx-int8"]
    assert (int8["valid"], int8["built"], int8["build"]) == (False, False, "genco model export --quantize")
    text = invoke("model", "info")
    assert text.exit_code == 0, text.output
    assert "model-int8.onnx: not built (genco model export --quantize builds it)" in " ".join(text.stdout.split())
    assert "unusable" not in text.stdout


def test_info_without_any_export(tmp_path):
    shown = info(env={"GENCO_HOME": str(tmp_path)})
    assert shown["backend"] == "onnx (built on first use)" and shown["reason"].startswith("no ONNX export")


@pytest.mark.parametrize(("requested", "expected"), [("torch", "torch"), ("onnx", "onnx (built on first use)")])
def test_info_follows_the_backend_option_and_variable(tmp_path, requested, expected):
    home = {"GENCO_HOME": str(tmp_path)}
    assert info("--backend", requested, env=home)["backend"] == expected
    assert info(env={**home, "GENCO_BACKEND": requested})["backend"] == expected


def test_text_info_names_the_model_and_export_state(tmp_path):
    result = invoke("model", "info", env={"GENCO_HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert "all-MiniLM-L6-v2" in result.stdout and "no ONNX export" in result.stdout


def test_text_info_into_a_pipe_keeps_each_path_on_one_line(tmp_path):
    """Piped at rich's assumed 80 columns, the model's path was broken mid-word ("m" / "odel")."""
    path = info(env={"GENCO_HOME": str(tmp_path)})["path"]
    result = invoke("model", "info", env={"GENCO_HOME": str(tmp_path), "COLUMNS": None})
    assert result.exit_code == 0, result.output
    assert path in result.stdout


@pytest.mark.slow
def test_export_does_nothing_when_the_export_is_valid(export_copy):
    before = (export_copy / MANIFEST).read_text()
    result = invoke("model", "export", "--quantize")
    assert result.exit_code == 0, result.output
    assert "and its int8 variant" in result.stdout and "are valid; nothing to do" in result.stdout
    assert (export_copy / MANIFEST).read_text() == before


@pytest.mark.parametrize(("built", "quantized", "expected"), [
    (True, True, "m: ONNX export and its int8 variant written to "),
    (True, False, "m: ONNX export written to "),
    (False, False, "m: the ONNX export in "),
])
def test_the_export_line_says_whether_the_int8_variant_was_built(tmp_path, built, quantized, expected):
    """`model export --quantize` said only "ONNX export written", as if the int8 variant had not been made."""
    line = Exported("m", tmp_path, built=built, quantized=quantized).summary()
    assert line.startswith(expected) and str(tmp_path) in line


def test_export_of_a_model_onnx_cannot_run_is_a_one_line_error(tmp_path):
    model = tmp_path / "plain-hf-model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    result = invoke("model", "export", "--model", str(model))
    assert result.exit_code == 1
    assert result.stderr.startswith("genco model export: plain-hf-model cannot run on ONNX here (no modules.json)")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("modules", ['{"dummy": 1}', "[1]", "null", '[{"type": 5}]'])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_info_on_a_damaged_model_description_is_a_one_line_error(tmp_path, modules, fmt):
    model = tmp_path / "damaged-model"
    model.mkdir()
    (model / "modules.json").write_text(modules)
    result = invoke("model", "info", "--model", str(model), "--format", fmt)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert result.stderr.startswith(f"genco model info: {model / 'modules.json'}: damaged model file: ")
    assert len(result.stderr.splitlines()) == 1 and not result.stdout


@pytest.mark.parametrize("args", [["--backend", "tensorflow"], []], ids=["option", "variable"])
def test_an_unknown_backend_is_a_usage_error(args):
    result = invoke("score", "--answer", ANSWER, *args, env={"GENCO_BACKEND": "tensorflow"})
    assert result.exit_code == 2
    assert "tensorflow" in result.stderr and "Traceback" not in result.output


@pytest.mark.slow
def test_score_on_both_backends_gives_the_same_card(export_copy, embedder, monkeypatch):
    import genco_interview.embedding as embedding

    monkeypatch.setattr(embedding.registry, "SentenceTransformerEmbedder", lambda spec: embedder)
    cards = {}
    for backend in ("onnx", "torch"):
        result = invoke("score", "-d", "detailed", "--answer", ANSWER, "--format", "json", "--backend", backend)
        assert result.exit_code == 0, result.output
        cards[backend] = json.loads(result.stdout)
    assert [c["status"] for c in cards["onnx"]["concepts"]] == [c["status"] for c in cards["torch"]["concepts"]]
    assert abs(cards["onnx"]["score"] - cards["torch"]["score"]) <= 0.5


@pytest.mark.slow
def test_a_removed_export_is_rebuilt_with_one_line_and_the_same_score(export_copy, embedder, monkeypatch):
    import genco_interview.embedding as embedding

    monkeypatch.setattr(embedding.registry, "SentenceTransformerEmbedder", lambda spec: embedder)
    args = ("score", "-d", "quick", "--answer", ANSWER, "--format", "json", "--no-save")  # stderr: the notice alone
    fast = invoke(*args)
    shutil.rmtree(export_copy)
    slow = invoke(*args)
    assert fast.exit_code == slow.exit_code == 0, slow.output
    assert fast.stderr == ""
    assert len(slow.stderr.splitlines()) == 1 and slow.stderr.startswith("genco: no ONNX export")
    assert "building the fast ONNX backend now, once" in slow.stderr
    assert invoke(*args).stderr == ""
    assert abs(json.loads(fast.stdout)["score"] - json.loads(slow.stdout)["score"]) <= 0.5


def _fake_export(folder, model: str | None = None, fingerprint: str | None = None) -> None:
    """A folder holding what an export holds: a graph and a manifest naming its model and fingerprint."""
    folder.mkdir(parents=True)
    (folder / "model.onnx").write_bytes(b"x" * 2048)
    if model is not None:
        (folder / MANIFEST).write_text(json.dumps({"format": 2, "model": model, "model_fingerprint": fingerprint,
                                                   "model_path": "/gone/venv/model"}))


def test_prune_deletes_the_other_exports_of_the_model_and_keeps_this_installs(tmp_path):
    """Exports of other environments piled up (14 of them, 1.3 GB) with no command to clear them. Only
    exports of this model go: not another model's whose name starts alike, not notes in a look-alike
    folder, not this install's own export, not the folder its name links to."""
    from genco_interview.embedding import resolve_model
    from genco_interview.embedding.onnx_backend import export_dir

    home = {"GENCO_HOME": str(tmp_path)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENCO_HOME", str(tmp_path))
        mine = export_dir(resolve_model(None))
    onnx, name = mine.parent, "all-MiniLM-L6-v2"
    other = onnx / f"{name}-00000000000000aa"
    _fake_export(other, name, "00000000000000aa")
    keep = {
        "no manifest": onnx / f"{name}-00000000000000bb",
        "another model": onnx / f"{name}-ft-00000000000000cc",
        "notes": onnx / f"{name}-userstuff",
        "wrong fingerprint": onnx / f"{name}-00000000000000dd",
    }
    _fake_export(keep["no manifest"])
    _fake_export(keep["another model"], f"{name}-ft", "00000000000000cc")
    _fake_export(keep["notes"], name, "userstuff")
    _fake_export(keep["wrong fingerprint"], name, "00000000000000ee")
    shared = onnx / f"{name}-0000000000000fff"  # this install's export is a link to it
    _fake_export(shared, name, "0000000000000fff")
    mine.symlink_to(shared, target_is_directory=True)
    piped = onnx / f"{name}-000000000000abab"  # a named pipe for a manifest: read, it would hang
    piped.mkdir()
    os.mkfifo(piped / MANIFEST)
    keep["pipe"] = piped
    asked = invoke("model", "prune", env=home, input="")
    assert asked.exit_code == 1 and "nothing deleted (use --yes)" in asked.stderr and other.exists()
    declined = invoke("model", "prune", env=home, input="n\n")
    assert declined.exit_code == 0 and "nothing deleted: 1 other ONNX export" in declined.stdout and other.exists()
    pruned = invoke("model", "prune", "--yes", env=home)
    assert pruned.exit_code == 0, pruned.output
    listed, said = pruned.stdout.splitlines()
    assert listed.split() == [other.name, "2", "KB", "built", "from", "/gone/venv/model"]
    assert said == f"deleted 1 other ONNX export of {name} (2 KB); kept {mine.name}"
    assert not other.exists() and shared.exists() and all(folder.exists() for folder in keep.values())
    again = invoke("model", "prune", "--yes", env=home)
    assert again.exit_code == 0 and "no other ONNX export" in again.stdout
