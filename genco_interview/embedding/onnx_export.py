"""Building the ONNX export that onnx_backend.py runs: once per model version, with torch.

The transformer is traced by torch.onnx from the very module sentence-transformers loads, then
checked before it is kept: the export's vectors (pooled and normalised as onnx_backend does it)
must match sentence-transformers' own on probe sentences, including one longer than the model's
truncation length. The files are written to a temporary directory, hashed into the manifest,
and only then moved into place, so a crash or a concurrent build never leaves a half export
that looks valid.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .base import ModelError, ModelSpec, model_fingerprint
from .onnx_backend import (
    MANIFEST,
    MANIFEST_FORMAT,
    VARIANT_FILES,
    WEIGHTS_SUFFIX,
    ExportUnavailable,
    Pipeline,
    export_dir,
    export_manifest,
    file_sha256,
    pool,
    quiet_runtime,
    read_pipeline,
    variant_files,
)
from .torch_backend import SentenceTransformerEmbedder

if TYPE_CHECKING:
    import numpy as np
    import onnx
    import torch

OPSET = 17
PARITY_FLOOR = 0.9999
"""Least cosine between the export's and sentence-transformers' vector of any probe sentence."""
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
PROBES = (
    "A generator yields many values to the for loop that drives it.",
    "A coroutine is awaited; the event loop resumes it when the I/O it waits on is ready.",
    "Both suspend at a yield point and keep their local state.",
    "no",
    "async def makes a coroutine function; calling it runs nothing until something awaits it. " * 12,
)


def build_export(spec: ModelSpec, quantize: bool = False, reference: SentenceTransformerEmbedder | None = None,
                 step: Callable[[str], None] = lambda message: None) -> Path:
    """Exports spec's transformer (and an int8 variant if asked), verifies it, and installs it.

    `reference` reuses a sentence-transformers model already loaded for the same spec (the test
    session has one); otherwise one is loaded, which is why this costs a few seconds.
    """
    pipeline = read_pipeline(spec)
    target = export_dir(spec)
    _require_utf8_name(target.parent)
    target.parent.mkdir(parents=True, exist_ok=True)  # an unwritable cache fails here, before seconds of loading
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        step("loading the model with sentence-transformers")
        reference = reference or SentenceTransformerEmbedder(spec)
        parity = _build(reference, pipeline, work, quantize, step)
        _write_manifest(spec, pipeline, work, parity)
        _install(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    remove_replaced_exports(spec, target)
    return target


def _require_utf8_name(folder: Path) -> None:
    """Raise ModelError when the cache folder's name holds bytes that are not UTF-8 (a GENCO_HOME set
    from raw bytes): torch's exporter takes only paths it can encode, and failed on one with a message of
    its own argument types, after seconds of loading, at every run."""
    try:
        str(folder).encode("utf-8")
    except UnicodeEncodeError:
        raise ModelError(f"cannot build the ONNX export in {ascii(str(folder))[1:-1]}: its name is not "
                         "valid UTF-8; set GENCO_HOME to a folder whose name is") from None


def _build(reference: SentenceTransformerEmbedder, pipeline: Pipeline, work: Path, quantize: bool,
           step: Callable[[str], None]) -> dict[str, float]:
    """Traces, fuses and (if asked) quantizes into `work`, refusing an export that is not faithful.

    Returns each variant's least probe cosine; int8 is kept however low its own is, since it is
    an explicit, measured trade (`genco model info` and the manifest show it)."""
    traced, final = work / "traced.onnx", work / VARIANT_FILES["onnx"]
    try:
        step("tracing the transformer with torch.onnx")
        _trace(reference, traced)
        if quantize:  # from the unfused graph: the quantizer cannot type the fused operators
            step("quantizing to int8")
            _quantize(traced, work / VARIANT_FILES["onnx-int8"])
        step("fusing the graph")
        _fuse(reference, traced, final)
        parity = {backend: min_cosine(reference, work / VARIANT_FILES[backend], pipeline)
                  for backend in (["onnx", "onnx-int8"] if quantize else ["onnx"])}
    except Exception as exc:  # torch.onnx and onnxruntime fail in many library-specific ways
        raise ModelError(f"cannot export {reference.name} to ONNX: {str(exc).splitlines()[0][:200]}") from None
    finally:
        traced.unlink(missing_ok=True)
    if parity["onnx"] < PARITY_FLOOR:
        raise ModelError(f"the ONNX export of {reference.name} does not reproduce sentence-transformers "
                         f"(cosine {parity['onnx']:.5f} < {PARITY_FLOOR}); use --backend torch")
    return parity


def _trace(reference: SentenceTransformerEmbedder, path: Path) -> None:
    """torch.onnx's TorchScript exporter: built into torch, no onnxscript needed; axes are dynamic.

    A copy of the transformer is traced with eager attention: the same arithmetic as the SDPA
    kernel, written as plain matrix products that onnxruntime's optimizer can fuse.
    """
    import torch

    features = _features(reference, PROBES[:2])
    names = [name for name in INPUTS if name in features]
    args = tuple(features[name] for name in names)
    transformer = copy.deepcopy(reference.model[0].auto_model)
    if hasattr(transformer, "set_attn_implementation"):
        transformer.set_attn_implementation("eager")

    class TokenEmbeddings(torch.nn.Module):
        """The transformer alone, returning the last hidden state that Pooling reads."""

        def __init__(self) -> None:
            super().__init__()
            self.auto_model = transformer

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.auto_model(**dict(zip(names, inputs))).last_hidden_state

    axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "token_embeddings"]}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer and deprecation chatter; the parity check is the real test
        torch.onnx.export(TokenEmbeddings().eval(), args, str(path), input_names=names,
                          output_names=["token_embeddings"], dynamic_axes=axes, opset_version=OPSET, dynamo=False)


def _fuse(reference: SentenceTransformerEmbedder, source: Path, target: Path) -> None:
    """onnxruntime's transformer optimizer (fused attention, layer norm, GELU) for BERT-family models.

    Fusion is done once here rather than on every session start: loading drops from 0.4 to 0.2 s.
    Other architectures keep the plain graph; either way the parity check below has the last word.
    """
    config = reference.model[0].auto_model.config
    if config.model_type != "bert":
        import onnx

        _save_with_weights_beside(onnx.load(str(source)), target)
        return
    from onnxruntime.transformers.optimizer import optimize_model

    fused = optimize_model(str(source), model_type="bert", num_heads=config.num_attention_heads,
                           hidden_size=config.hidden_size, opt_level=1)
    _save_with_weights_beside(fused.model, target)


def _features(reference: SentenceTransformerEmbedder, texts: Sequence[str]) -> dict[str, torch.Tensor]:
    """Token ids as sentence-transformers makes them (`preprocess` since v5.2, `tokenize` before)."""
    transformer = reference.model[0]
    prepare = getattr(transformer, "preprocess", None) or transformer.tokenize
    return prepare(list(texts))


def _quantize(source: Path, target: Path) -> None:
    """Dynamic int8 quantization of the weights (activations stay float): a quarter of the size."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # its advice to pre-process is printed through the root logger
    import onnx

    whole = target.with_name(f"whole-{target.name}")
    quantize_dynamic(str(source), str(whole), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul"])
    _save_with_weights_beside(onnx.load(str(whole)), target)
    whole.unlink()


def _save_with_weights_beside(model: onnx.ModelProto, target: Path) -> None:
    """Graph in `target`, every weight in `target.data`: the layout onnx_backend loads fastest."""
    import onnx

    onnx.save_model(model, str(target), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=target.name + WEIGHTS_SUFFIX, size_threshold=0)


def min_cosine(reference: SentenceTransformerEmbedder, path: Path, pipeline: Pipeline) -> float:
    """Least cosine over the probe sentences between an .onnx file run here and sentence-transformers."""
    import numpy as np

    session = quiet_runtime().InferenceSession(str(path), providers=["CPUExecutionProvider"])
    features = _features(reference, PROBES)
    accepted = {i.name for i in session.get_inputs()}
    feeds = {name: features[name].numpy() for name in INPUTS if name in accepted}
    (tokens,) = session.run(["token_embeddings"], feeds)
    exported = pool(tokens, feeds["attention_mask"], pipeline)
    expected = reference.model.encode(list(PROBES), normalize_embeddings=True, convert_to_numpy=True)
    return float(np.min(_cosines(exported, expected)))


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    import numpy as np

    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def _write_manifest(spec: ModelSpec, pipeline: Pipeline, work: Path, parity: dict[str, float]) -> None:
    """Records what the export was built from, and each file's hash and probe cosine."""
    import onnxruntime
    import torch

    entries = {}
    for backend, cosine in parity.items():
        for name in variant_files(backend):
            path = work / name
            entries[name] = {"sha256": file_sha256(path), "bytes": path.stat().st_size, "probe_min_cosine": round(cosine, 6)}
    manifest = {
        "format": MANIFEST_FORMAT,
        "model": spec.name,
        "model_path": str(spec.path),
        "model_fingerprint": model_fingerprint(spec.path),
        "pipeline": pipeline.describe(),
        "opset": OPSET,
        "files": entries,
        "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _install(work: Path, target: Path) -> None:
    """Swaps the finished directory in; a previous export (stale or corrupt) is moved aside, then removed."""
    old = target.with_name(f".{target.name}.old.{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(work, target)
    except OSError as exc:
        raise ExportUnavailable(f"cannot install the ONNX export in {target}: {exc.strerror}", rebuildable=False) from None
    finally:
        shutil.rmtree(old, ignore_errors=True)


ABANDONED_AFTER_S = 24 * 3600
"""A build directory untouched this long was left by a build that was killed (one takes seconds)."""


def remove_replaced_exports(spec: ModelSpec, kept: Path) -> list[Path]:
    """Removes the exports `kept` replaces, so reinstalling never piles up 150 MB copies.

    The export's directory is named by the model's file times, which a reinstall changes; the old
    directory is removed when it is an export of this model (onnx_backend.export_manifest: its name and
    manifest agree) whose manifest names this same model directory or one that no longer exists (a
    deleted virtualenv). An export built for a model elsewhere that still exists is another install's
    and is kept, as is every folder that is no export of this model, unless it is an abandoned build
    directory of one. Best effort: a file that cannot be removed is left. Returns what was removed."""
    removed = []
    try:
        siblings = list(kept.parent.iterdir())
    except OSError:
        return removed
    for sibling in siblings:
        if sibling != kept and _replaced(sibling, spec):
            shutil.rmtree(sibling, ignore_errors=True)
            removed.append(sibling)
    return removed


_BUILD_NAME = re.compile(r"\.(?P<model>.+)-[0-9a-f]{16}\.(?:old\.\d+|[a-z0-9_]+)")
"""A build directory's name (build_export's mkdtemp, _install's aside copy): a dot, the export's name
(the model's and its fingerprint, export_dir), a suffix."""


def _replaced(directory: Path, spec: ModelSpec) -> bool:
    """True for an abandoned build directory of this model, or an export of `spec`'s model path or of a
    vanished one."""
    built = _BUILD_NAME.fullmatch(directory.name)
    if built:
        try:
            return (built["model"] == spec.name and not directory.is_symlink()
                    and time.time() - directory.stat().st_mtime > ABANDONED_AFTER_S)
        except OSError:
            return False
    manifest = export_manifest(directory, spec.name)
    built_from = manifest.get("model_path") if manifest else None
    return isinstance(built_from, str) and (built_from == str(spec.path) or not Path(built_from).exists())
