"""The reference backend: sentence-transformers on torch (imported only when this backend loads:
torch takes seconds to import)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import CachedEmbedder, ModelError, ModelSpec, model_fingerprint, quiet_offline_environment
from .description import MODULES, read_modules

if TYPE_CHECKING:
    import numpy as np


class SentenceTransformerEmbedder(CachedEmbedder):
    """The reference backend: sentence-transformers on torch."""

    backend = "torch"

    def __init__(self, spec: ModelSpec) -> None:
        super().__init__()
        if (spec.path / MODULES).is_file():  # damage is named as such, not as the KeyError it causes deep in a load
            read_modules(spec)
        quiet_offline_environment()
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise ModelError(f"sentence-transformers is not importable ({exc}); pip install sentence-transformers") from None
        hf_logging.disable_progress_bar()
        try:
            self.model = SentenceTransformer(str(spec.path), device="cpu", local_files_only=True)
        except Exception as exc:  # a broken model directory can fail in many library-specific ways
            raise ModelError(f"cannot load the model at {spec.path}: {_reason(exc)}") from None
        _require_a_vocabulary(self.model.tokenizer, spec)
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


MIN_VOCABULARY = 100
"""Fewer tokens than this is no tokenizer's vocabulary (all-MiniLM-L6-v2 knows 30,522): a model folder
without its tokenizer files loads with one of special tokens alone, reads every word as [UNK] and
gives the same vector to every answer."""


def _require_a_vocabulary(tokenizer: object, spec: ModelSpec) -> None:
    """Raises ModelError when the loaded tokenizer knows fewer than MIN_VOCABULARY tokens."""
    size = len(tokenizer)  # type: ignore[arg-type]
    if size < MIN_VOCABULARY:
        raise ModelError(f"cannot load the model at {spec.path}: its tokenizer knows {size} tokens "
                         "(tokenizer.json or vocab.txt missing or damaged)")


def _reason(exc: Exception) -> str:
    """An exception's first line, after its type when the message alone says nothing (a KeyError's is
    just the missing key: "'path'")."""
    lines = str(exc).splitlines()
    first = lines[0] if lines else ""
    return f"{type(exc).__name__}: {first}" if isinstance(exc, LookupError | TypeError | AttributeError) or not first \
        else first


def _pools_by_mean(model: object) -> bool:
    """Whether sentence embeddings are the normalised mean of the token vectors (all-MiniLM-L6-v2's set-up)."""
    modules = list(model)  # type: ignore[call-overload]
    names = [type(m).__name__ for m in modules]
    if names != ["Transformer", "Pooling", "Normalize"]:
        return False
    config = modules[1].get_config_dict()
    return config.get("pooling_mode", "mean" if config.get("pooling_mode_mean_tokens") else None) == "mean"
