"""The fast embedding backend: an ONNX export of the model run by onnxruntime, tokenised by tokenizers.

Importing sentence-transformers costs seconds (torch, transformers, scikit-learn) before one
sentence is embedded; onnxruntime, tokenizers and numpy load in a fifth of a second. So nothing
in this module imports torch, transformers or sentence-transformers: the export is built once by
onnx_export.py (which does need torch) and this module only checks and runs it.

The export covers the transformer alone. Pooling, normalisation, truncation length and lower
casing are read from the model's own sentence-transformers files (modules.json,
1_Pooling/config.json, sentence_bert_config.json, tokenizer.json) and applied here in numpy, so
they follow whatever the model says rather than what all-MiniLM-L6-v2 happens to use.

An export lives in the cache directory under the model's fingerprint, beside a manifest that
records what it was built from and the SHA-256 of each file. Anything that does not match (a
missing file, another model, a changed configuration, a truncated or edited .onnx) makes the
export unusable: it is reported with the reason and rebuilt, never run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import json_kind
from ..interrupts import held
from ..paths import cache_dir
from .base import CachedEmbedder, ModelError, ModelSpec, model_fingerprint, quiet_offline_environment
from .batches import plan_batches
from .description import MODULES, damaged, positive_int, read_modules, read_object

if TYPE_CHECKING:
    from types import ModuleType

    import numpy as np

MANIFEST = "manifest.json"
VERIFIED = "verified.json"
"""Which files have hashed right, and the identity (inode, size, change times) they had then."""
MANIFEST_FORMAT = 2
VARIANT_FILES = {"onnx": "model.onnx", "onnx-int8": "model-int8.onnx"}
"""Backend name -> graph file in the export directory; onnx-int8 is the optional quantized variant."""
BUILD_COMMAND = {"onnx": "genco model export", "onnx-int8": "genco model export --quantize"}
"""Backend name -> the command that builds its graph."""
WEIGHTS_SUFFIX = ".data"
"""Each graph keeps its weights beside it in `<graph>.data` (ONNX external data): onnxruntime
then starts a session in 0.05 s instead of 0.15 s, since it no longer parses 90 MB of protobuf."""
POOLING_MODES = ("cls", "max", "mean", "mean_sqrt_len_tokens")
LEGACY_POOLING_KEYS = {  # sentence-transformers' older boolean keys, in the order it concatenates them
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens": "weightedmean",
    "pooling_mode_lasttoken": "lasttoken",
}


class ExportUnavailable(ModelError):
    """The ONNX backend cannot run; `rebuildable` says whether `genco model export` would fix it.

    `first_use` marks an export that was never built for this model and genco version (none yet,
    or a stale one after an upgrade): building it then is routine, not a repair. `built` is False
    when the files were simply never made (no export, or no int8 variant in it): nothing is wrong.
    """

    def __init__(self, message: str, rebuildable: bool, first_use: bool = False, built: bool = True) -> None:
        super().__init__(message)
        self.rebuildable = rebuildable
        self.first_use = first_use
        self.built = built


@dataclass(frozen=True)
class Pipeline:
    """What sentence-transformers does around the transformer, as the model's files declare it."""

    transformer_dir: str
    """Folder (relative to the model) holding tokenizer.json and sentence_bert_config.json."""
    pooling: tuple[str, ...]
    normalize: bool
    max_seq_length: int
    do_lower_case: bool
    dimension: int

    def describe(self) -> dict[str, Any]:
        """JSON-ready form, as recorded in the manifest and shown by `genco model info`."""
        return {**asdict(self), "pooling": list(self.pooling)}


def _unsupported(spec: ModelSpec, why: str) -> ExportUnavailable:
    return ExportUnavailable(f"{spec.name} cannot run on ONNX here ({why})", rebuildable=False)


def _pooling_modes(config: dict[str, Any], path: Path) -> tuple[str, ...]:
    """sentence-transformers' `pooling_mode` (string or list), or its legacy booleans; mean by default.
    A `pooling_mode` that is neither (in the config at `path`) is damage, not a mode."""
    declared = config.get("pooling_mode")
    if declared is not None:
        if isinstance(declared, list) and declared and all(isinstance(mode, str) for mode in declared):
            return tuple(declared)
        if not isinstance(declared, str):
            raise damaged(path, f"'pooling_mode' must be a mode or a list of modes, not {json_kind(declared)}")
        return (declared,)
    active = tuple(mode for key, mode in LEGACY_POOLING_KEYS.items() if config.get(key))
    return active or ("mean",)


def _optional_object(path: Path) -> dict[str, Any]:
    """A config a model may leave out: its object, or an empty one when the file is not there."""
    return read_object(path) if path.is_file() else {}


def read_pipeline(spec: ModelSpec) -> Pipeline:
    """Transformer -> Pooling -> optional Normalize, from modules.json; anything else stays on torch.

    A model file that is not what sentence-transformers writes raises ModelError naming it
    (description.py): torch cannot load such a model either, so there is nothing to fall back to."""
    modules_file = spec.path / MODULES
    if not modules_file.is_file():
        raise _unsupported(spec, "no modules.json")
    modules = read_modules(spec)
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise _unsupported(spec, f"modules {' -> '.join(kinds)}; supported: Transformer -> Pooling [-> Normalize]")
    transformer_dir = spec.path / modules[0]["path"]
    if not (transformer_dir / "tokenizer.json").is_file():
        raise _unsupported(spec, "no tokenizer.json")
    pooling_file = spec.path / modules[1]["path"] / "config.json"
    pooling_config = read_object(pooling_file)
    pooling = _pooling_modes(pooling_config, pooling_file)
    if not set(pooling) <= set(POOLING_MODES):
        raise _unsupported(spec, f"pooling {'+'.join(pooling)}; supported: {', '.join(POOLING_MODES)}")
    bert_config_file = transformer_dir / "sentence_bert_config.json"
    bert_config = _optional_object(bert_config_file)
    model_config_file = transformer_dir / "config.json"
    lengths = [n for n in (positive_int(bert_config, "max_seq_length", bert_config_file),
                           positive_int(_optional_object(model_config_file), "max_position_embeddings",
                                        model_config_file)) if n]
    if not lengths:
        raise _unsupported(spec, "no max_seq_length in sentence_bert_config.json")
    width = positive_int(pooling_config, "embedding_dimension", pooling_file) \
        or positive_int(pooling_config, "word_embedding_dimension", pooling_file)
    if not width:
        raise _unsupported(spec, "no embedding dimension in the pooling config")
    return Pipeline(
        transformer_dir=str(transformer_dir.relative_to(spec.path)),
        pooling=pooling,
        normalize=kinds[-1] == "Normalize",
        max_seq_length=min(lengths),
        do_lower_case=bool(bert_config.get("do_lower_case", False)),
        dimension=width * len(pooling),
    )


def pool(tokens: np.ndarray, mask: np.ndarray, pipeline: Pipeline) -> np.ndarray:
    """Sentence vectors from token vectors, as sentence-transformers' Pooling (+ Normalize) computes them."""
    import numpy as np

    weights = mask[..., None].astype(np.float32)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    parts = []
    for mode in pipeline.pooling:
        if mode == "cls":
            parts.append(tokens[np.arange(len(tokens)), mask.argmax(axis=1)])
        elif mode == "max":
            parts.append(np.where(weights > 0, tokens, -np.inf).max(axis=1))
        else:
            summed = (tokens * weights).sum(axis=1)
            parts.append(summed / (counts if mode == "mean" else np.sqrt(counts)))
    vectors = np.concatenate(parts, axis=1).astype(np.float32)
    if pipeline.normalize:
        vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    return vectors


def export_dir(spec: ModelSpec) -> Path:
    """One directory per model version: the fingerprint changes whenever a model file does."""
    return cache_dir() / "onnx" / f"{spec.name}-{model_fingerprint(spec.path)}"


EXPORT_NAME = re.compile(r"(?P<model>.+)-(?P<fingerprint>[0-9a-f]{16})")
"""An export folder's name (export_dir): the model's name and the fingerprint of its files."""
MANIFEST_LIMIT = 1 << 20
"""Bytes a manifest may take: one is about 1 KB, and a named pipe or /dev/zero in its place must not hang."""


def export_manifest(folder: Path, model: str) -> dict[str, Any] | None:
    """The manifest of an export genco built for the model named `model`: `folder` is a real folder named
    `<model>-<fingerprint>` (export_dir) holding a regular manifest file of at most MANIFEST_LIMIT bytes
    that names the same model and fingerprint. None for anything else, which no cleanup may delete:
    another model whose name starts alike ("all" against "all-MiniLM-L6-v2"), notes in a look-alike
    folder, a symlink, a named pipe where the manifest should be."""
    named = EXPORT_NAME.fullmatch(folder.name)
    if not named or named["model"] != model:
        return None
    manifest_path = folder / MANIFEST
    try:
        if folder.is_symlink() or manifest_path.is_symlink() or not manifest_path.is_file():
            return None
        if manifest_path.stat().st_size > MANIFEST_LIMIT:
            return None
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("model") != model:
        return None
    return manifest if manifest.get("model_fingerprint") == named["fingerprint"] else None


def variant_files(backend: str) -> tuple[str, str]:
    """The graph and its weights file for one variant, as named in the manifest."""
    graph = VARIANT_FILES[backend]
    return graph, graph + WEIGHTS_SUFFIX


def file_sha256(path: Path) -> str:
    """Streamed, so a 90 MB export is never held twice in memory (onnxruntime reads it itself)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _identity(path: Path) -> list[int]:
    """What any write, copy or replacement of a file changes: its inode, size, and modification
    and status-change times (the latter cannot be set back by a program)."""
    status = path.stat()
    return [status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]


def already_verified(directory: Path, name: str, sha256: str) -> bool:
    """True when this very file, unchanged since, already hashed to `sha256` (so a one-shot run
    skips hashing 90 MB: 0.05 s of its start-up)."""
    try:
        record = json.loads((directory / VERIFIED).read_text(encoding="utf-8")).get(name)
        return record == {"sha256": sha256, "identity": _identity(directory / name)}
    except (OSError, ValueError, AttributeError):
        return False


def remember_verified(directory: Path, name: str, sha256: str) -> None:
    """Records a file that just hashed right; best effort (a read-only cache only costs the hash).

    A file changed less than a second ago is not recorded: file times tick coarsely, and a write
    landing in the same tick as the check would keep the recorded times."""
    try:
        identity = _identity(directory / name)
        if time.time_ns() - identity[3] < 1_000_000_000:
            return
        try:
            records = json.loads((directory / VERIFIED).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            records = {}
        records = {**(records if isinstance(records, dict) else {}), name: {"sha256": sha256, "identity": identity}}
        partial = directory / f".{VERIFIED}.{os.getpid()}"
        partial.write_text(json.dumps(records), encoding="utf-8")
        os.replace(partial, directory / VERIFIED)
    except OSError:
        return


def quiet_runtime() -> ModuleType:
    """onnxruntime, imported with its telemetry off (base.quiet_offline_environment) and its process-wide
    log set to errors only: its warnings are not the user's concern, and would break the promise of
    one plain line on stderr."""
    quiet_offline_environment()
    import onnxruntime

    onnxruntime.set_default_logger_severity(3)
    return onnxruntime


def onnxruntime_missing() -> str | None:
    """Why onnxruntime or tokenizers cannot be used, without importing them (model info stays instant)."""
    for module, package in (("onnxruntime", "onnxruntime"), ("tokenizers", "tokenizers")):
        try:
            found = importlib.util.find_spec(module)
        except ValueError:  # a module set to None in sys.modules (how tests simulate an uninstall)
            found = None
        if found is None:
            return f"{package} is not installed (pip install {package})"
    return None


@dataclass(frozen=True)
class ExportCheck:
    """One variant of a model's export whose manifest matches this model and whose files (graph,
    weights) have the recorded sizes; `sha256` is what each file must hash to."""

    directory: Path
    file: Path
    manifest: dict[str, Any]
    sha256: dict[str, str]

    def verify(self, digests: dict[str, str] | None = None) -> None:
        """Raises unless each file hashes to the manifest's SHA-256: the files whose digests are
        given, or all of them (hashed now)."""
        found = digests or {name: file_sha256(self.directory / name) for name in self.sha256}
        for name, digest in found.items():
            if digest != self.sha256[name]:
                raise _corrupt(self.directory, name)


def _corrupt(directory: Path, name: str) -> ExportUnavailable:
    return ExportUnavailable(f"the ONNX export in {directory} is corrupt ({name} does not match its manifest)",
                             rebuildable=True)


def check_export(spec: ModelSpec, backend: str = "onnx", pipeline: Pipeline | None = None,
                 hashed: bool = True) -> ExportCheck:
    """The export if it is complete and built from this very model and configuration, else why not.

    The files are hashed here (0.1 s for 90 MB): a truncated or edited export would otherwise
    run and return plausible but wrong vectors. `hashed=False` leaves the hash to the caller:
    OnnxEmbedder hashes the graph, and the weights unless `verified.json` shows this very file
    (same inode, size and change times) hashed right before.
    """
    pipeline = pipeline or read_pipeline(spec)
    directory = export_dir(spec)
    manifest_file = directory / MANIFEST
    if not manifest_file.is_file():
        raise ExportUnavailable(f"no ONNX export of {spec.name} yet", rebuildable=True, first_use=True, built=False)
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        entries = {name: manifest["files"].get(name) for name in variant_files(backend)}
        matches = (manifest["format"] == MANIFEST_FORMAT and manifest["model_fingerprint"] == model_fingerprint(spec.path)
                   and manifest["pipeline"] == pipeline.describe())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise ExportUnavailable(f"the ONNX export in {directory} is corrupt (unreadable manifest)", rebuildable=True) from None
    if not matches:
        raise ExportUnavailable(f"the ONNX export in {directory} is stale (built from another model, "
                                "configuration or genco version)", rebuildable=True, first_use=True)
    if None in entries.values():
        raise ExportUnavailable(f"the {backend} variant of the ONNX export of {spec.name} is not built "
                                f"({BUILD_COMMAND[backend]} builds it)", rebuildable=True, built=False)
    for name, entry in entries.items():
        try:
            sized = (directory / name).stat().st_size == entry.get("bytes")
        except OSError:
            sized = False
        if not sized:
            raise _corrupt(directory, name)
    found = ExportCheck(directory=directory, file=directory / VARIANT_FILES[backend], manifest=manifest,
                        sha256={name: str(entry.get("sha256")) for name, entry in entries.items()})
    if hashed:
        found.verify()
    return found


def _load_tokenizer(tokenizer_class: Any, path: Path) -> Any:
    """The model's tokenizer.json, loaded; one that tokenizers cannot read is a damaged model file."""
    try:
        return tokenizer_class.from_file(str(path))
    except Exception as exc:  # tokenizers raises a bare Exception with serde's message
        raise damaged(path, f"tokenizers cannot read it ({str(exc).splitlines()[0][:120]})") from None


class TokenizedBatch(list):
    """A batch of texts (a list of them) with the tokenizer's encodings of each, in the same order."""

    def __init__(self, texts: list[str], encodings: list[Any]) -> None:
        super().__init__(texts)
        self.encodings = encodings


class OnnxEmbedder(CachedEmbedder):
    """Embeds with onnxruntime and tokenizers only; same vectors as sentence-transformers (cosine >= 0.9999)."""

    max_batch = 8
    run_cost = 19
    """Batches are planned by the texts' lengths in tokens (batches.plan_batches): a run of the
    model costs about 3.1 ms plus 0.16 ms per padded token slot on two cores, so a run is worth
    19 slots; past 8 texts a batch gets slower per slot than the model says. Against fixed
    batches of 4 texts sorted by characters, embedding takes 7 % less time for a median example
    answer's 11 texts, 13 % for 26, 14 % for a long answer's 83 and about 20 % in bulk
    (docs/performance.md)."""

    def __init__(self, spec: ModelSpec, backend: str = "onnx") -> None:
        super().__init__()
        missing = onnxruntime_missing()
        if missing:
            raise ExportUnavailable(missing, rebuildable=False)
        pipeline = read_pipeline(spec)
        export = check_export(spec, backend, pipeline, hashed=False)
        graph, weights = variant_files(backend)
        export.verify({graph: file_sha256(export.file)})  # small, and a damaged graph must not reach onnxruntime
        weights_sha256 = export.sha256[weights]
        with ThreadPoolExecutor(max_workers=1) as hasher:  # hashing releases the GIL: it overlaps the imports
            digest: Future[str] | None = None
            if not already_verified(export.directory, weights, weights_sha256):
                digest = hasher.submit(file_sha256, export.directory / weights)
            with held():  # an interrupt inside numpy's C import would print its traceback: it waits until here
                onnxruntime = quiet_runtime()
                from tokenizers import Tokenizer

            options = onnxruntime.SessionOptions()
            options.log_severity_level = 3  # warnings about the CPU's instruction set are not the user's concern
            # Every graph rewrite onnxruntime knows: measured on a median answer's texts, the same vectors bit
            # for bit, about 10 % less time per score and no slower start (docs/performance.md).
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
            # Worker threads sleep between operators instead of spinning: a batch of 4 short texts runs
            # hundreds of tiny operators, and spinning threads on a busy 2-core machine take the cores
            # the next operator needs (a median answer's texts: 0.70 s instead of 1.13 s, load average 7;
            # the same vectors bit for bit, docs/performance.md).
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            try:
                self._session = onnxruntime.InferenceSession(str(export.file), options,
                                                             providers=["CPUExecutionProvider"])
            except Exception as exc:  # onnxruntime raises its own exception types for unloadable graphs
                raise ExportUnavailable(f"onnxruntime cannot load the export in {export.directory} "
                                        f"({str(exc).splitlines()[0][:120]})", rebuildable=True) from None
            if digest is not None:
                export.verify({weights: digest.result()})  # before a single vector is computed from it
                remember_verified(export.directory, weights, weights_sha256)
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = _load_tokenizer(Tokenizer, spec.path / pipeline.transformer_dir / "tokenizer.json")
        padding = self._tokenizer.padding or {}
        self._pad_id, self._pad_type_id = padding.get("pad_id", 0), padding.get("pad_type_id", 0)
        self._tokenizer.no_padding()  # _feeds pads each batch to its own longest text
        self._tokenizer.enable_truncation(max_length=pipeline.max_seq_length)
        self.pipeline = pipeline
        self.export = export.directory
        self.name = spec.name
        self.backend = backend
        self.fingerprint = f"{spec.name}:{model_fingerprint(spec.path)}:{backend}:{weights_sha256[:12]}"  # rebuilt int8 differs
        self.dimension = pipeline.dimension
        self.mean_pooled = pipeline.pooling == ("mean",) and pipeline.normalize

    def _batches(self, texts: list[str]) -> list[list[str]]:
        """Texts sorted by their length in tokens, in the batches plan_batches finds cheapest; each
        batch carries its texts' encodings (TokenizedBatch), so no text is tokenized twice."""
        encoded = self._tokenizer.encode_batch(self._model_texts(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        cuts = plan_batches([len(encoded[i]) for i in order], self.max_batch, self.run_cost)
        return [TokenizedBatch([texts[i] for i in order[cut]], [encoded[i] for i in order[cut]]) for cut in cuts]

    def _model_texts(self, texts: list[str]) -> list[str]:
        """The texts as the tokenizer must see them (lower-cased for an uncased model)."""
        return [t.lower() for t in texts] if self.pipeline.do_lower_case else texts

    def _run(self, batch: list[str]) -> tuple[list[Any], np.ndarray, np.ndarray]:
        """Tokenise a batch and run the transformer: encodings, token vectors, attention mask."""
        import numpy as np

        encoded = batch.encodings if isinstance(batch, TokenizedBatch) else self._tokenizer.encode_batch(
            self._model_texts(batch))
        width = max(len(e) for e in encoded)  # each batch pads to its own longest text, on the right
        feeds = {name: np.full((len(encoded), width), fill, dtype=np.int64) for name, fill in
                 (("input_ids", self._pad_id), ("attention_mask", 0), ("token_type_ids", self._pad_type_id))}
        for row, e in enumerate(encoded):
            feeds["input_ids"][row, : len(e)] = e.ids
            feeds["attention_mask"][row, : len(e)] = 1
            feeds["token_type_ids"][row, : len(e)] = e.type_ids
        (tokens,) = self._session.run(["token_embeddings"], {k: v for k, v in feeds.items() if k in self._inputs})
        return encoded, tokens, feeds["attention_mask"]

    def _embed_batch(self, batch: list[str]) -> np.ndarray:
        _, tokens, mask = self._run(batch)
        return pool(tokens, mask, self.pipeline)

    def _token_batch(self, batch: list[str]) -> list[tuple[tuple[str, ...], np.ndarray]]:
        encoded, tokens, mask = self._run(batch)
        return [(tuple(e.tokens[: int(m.sum())]), t[: int(m.sum())]) for e, t, m in zip(encoded, tokens, mask)]
