"""The fast ONNX export of the model (`genco model export`) and the stale exports `genco model clean`
removes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass
if TYPE_CHECKING:
    pass



@dataclass
class Exported:
    """What `export_model` did: the model's name, the export's folder, whether it was built now
    (False: a valid export was already there), and whether it holds the int8 variant too."""

    model: str
    directory: Path
    built: bool
    quantized: bool = False

    def summary(self) -> str:
        """One line for the user: what was written, or that nothing needed doing."""
        what = "ONNX export and its int8 variant" if self.quantized else "ONNX export"
        if self.built:
            return f"{self.model}: {what} written to {self.directory}"
        return f"{self.model}: the {what} in {self.directory} {'are' if self.quantized else 'is'} valid; nothing to do (--force rebuilds)"



def export_model(model: str | None = None, quantize: bool = False, force: bool = False,
                 progress: Callable[[str], None] = lambda _: None) -> Exported:
    """Build the model's ONNX export (and its int8 variant with `quantize`), verified against
    sentence-transformers, unless a valid one exists (or `force`); `progress(text)` hears each
    stage of a build. Raises ModelError, also for a cache folder that cannot be written."""
    from ..embedding import ModelError, resolve_model
    from ..embedding.onnx_backend import ExportUnavailable, check_export
    from ..embedding.onnx_export import build_export
    from ..paths import cache_dir

    spec = resolve_model(model)
    try:
        try:
            found = [check_export(spec, variant).directory for variant in (["onnx", "onnx-int8"] if quantize else ["onnx"])]
        except ExportUnavailable as exc:
            if not exc.rebuildable:
                raise
            found = []
        if found and not force:
            return Exported(spec.name, found[0], built=False, quantized=quantize)
        progress(f"Exporting {spec.name} to ONNX…")
        target = build_export(spec, quantize=quantize, step=lambda text: progress(f"Exporting: {text}…"))
    except OSError as exc:
        raise ModelError(f"cannot write the ONNX export in {exc.filename or cache_dir()} ({exc.strerror or exc}); "
                         "make the cache folder writable or set GENCO_HOME") from None
    return Exported(spec.name, target, built=True, quantized=quantize)



@dataclass(frozen=True)
class StaleExport:
    """An ONNX export this install does not use: its folder, its size in bytes, and the model folder it
    was built from (its manifest's `model_path`, "" when it names none)."""

    folder: Path
    size: int
    built_from: str



@dataclass(frozen=True)
class StaleExports:
    """What `stale_exports` found: the export folder this install uses for the model, and the other
    exports of the same model in the cache."""

    model: str
    kept: Path
    stale: list[StaleExport]

    @property
    def size(self) -> int:
        """Bytes the stale exports take."""
        return sum(export.size for export in self.stale)



def stale_exports(model: str | None = None) -> StaleExports:
    """The ONNX exports of `model` (the bundled one by default) in the cache folder that this install
    does not use: each environment builds its own, named by a fingerprint of its model files, and a
    build removes only those it replaces or whose environment is gone (onnx_export.remove_replaced_exports).
    A folder counts only when it is an export of that model (onnx_backend.export_manifest); this install's
    own export, and the folder its name links to, never do. A folder that cannot be read is passed over.
    Raises ModelError for a model that cannot be found."""
    from ..embedding import resolve_model
    from ..embedding.onnx_backend import export_dir, export_manifest

    spec = resolve_model(model)
    kept = export_dir(spec)
    try:
        ours, folders = kept.resolve(), sorted(kept.parent.iterdir())
    except OSError:
        return StaleExports(spec.name, kept, [])
    stale = []
    for folder in folders:
        manifest = export_manifest(folder, spec.name)  # None for this install's own when it is a link
        try:
            if manifest is not None and folder.resolve() != ours:
                size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
                built_from = manifest.get("model_path")
                stale.append(StaleExport(folder, size, built_from if isinstance(built_from, str) else ""))
        except OSError:
            continue
    return StaleExports(spec.name, kept, stale)



def remove_exports(found: StaleExports) -> None:
    """Delete the stale export folders `found` lists. Raises ModelError naming a folder that cannot be
    deleted, and how much the ones before it freed."""
    import shutil

    from ..embedding import ModelError

    freed = 0
    for export in found.stale:
        try:
            shutil.rmtree(export.folder)
        except OSError as exc:
            raise ModelError(f"cannot delete {export.folder} ({exc.strerror or exc}); {freed // 2**20} MB freed "
                             "before it") from None
        freed += export.size

