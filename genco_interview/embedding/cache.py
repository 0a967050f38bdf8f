"""Vectors of a rubric's exemplars kept on disk between runs, verified by digest before use."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .base import Embedder

if TYPE_CHECKING:
    import numpy as np


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
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:  # a full disk, say: the cache is only a saving, but no half-written file stays behind
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
