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

from ..paths import cache_dir
from .base import (
    BACKEND_ENV,
    BACKENDS,
    BUNDLED_NAME,
    INSTALL_HINT,
    MODEL_ENV,
    PACKAGE_HINT,
    CachedEmbedder,
    Embedder,
    ModelError,
    ModelSpec,
    TokenVectors,
    model_fingerprint,
    resolve_backend,
    resolve_model,
)
from .cache import stored_encode
from .registry import BackgroundLoader, describe_backends, load_embedder
from .torch_backend import SentenceTransformerEmbedder

__all__ = [
    "BACKENDS", "BACKEND_ENV", "BUNDLED_NAME", "INSTALL_HINT", "MODEL_ENV", "PACKAGE_HINT", "BackgroundLoader",
    "CachedEmbedder", "Embedder", "ModelError", "ModelSpec", "SentenceTransformerEmbedder", "TokenVectors",
    "cache_dir", "describe_backends", "load_embedder", "model_fingerprint", "resolve_backend", "resolve_model",
    "stored_encode",
]
