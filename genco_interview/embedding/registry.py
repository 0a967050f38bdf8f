"""The one place a backend is chosen: load_embedder (and describe_backends, which decides the
same way without loading), with the ONNX export built on first use, and the background loader."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from ..paths import cache_dir
from ..text.escapes import clean
from .base import CachedEmbedder, ModelError, ModelSpec, model_fingerprint, resolve_backend, resolve_model
from .torch_backend import SentenceTransformerEmbedder


def _stderr_notice(message: str) -> None:
    """One line on stderr, cleaned (text.escapes.clean): it may name a model path the user set."""
    print(f"genco: {clean(message)}", file=sys.stderr, flush=True)


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
        notice(f"{exc}; building it now (once, up to about {FIRST_BUILD_SECONDS} s)")
    from .onnx_export import build_export

    build_export(spec, quantize=variant == "onnx-int8")
    return OnnxEmbedder(spec, variant)


FIRST_BUILD_SECONDS = 45
"""About how long the first build takes at most on a 2-core CPU (loading torch, tracing, verifying): 11 s
on a warm disk, longer while torch's files are read for the first time or another job loads the CPU."""


def _built_on_first_use(spec: ModelSpec, reason: ModelError, notice: Callable[[str], None]) -> CachedEmbedder:
    """Build the ONNX export now; the torch model loaded for it scores instead if the build fails."""
    from .onnx_backend import OnnxEmbedder
    from .onnx_export import build_export

    notice(f"{reason}; building the fast ONNX backend now, once (up to about {FIRST_BUILD_SECONDS} s; "
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
        BUILD_COMMAND,
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
                variants[variant] = {"file": file, "valid": True, "built": True, "problem": None}
            except ExportUnavailable as exc:
                variants[variant] = {"file": file, "valid": False, "built": exc.built, "problem": str(exc),
                                     "build": BUILD_COMMAND[variant]}
                if exc.first_use:
                    first_use.add(variant)
    except ExportUnavailable as exc:
        variants = {variant: {"file": file, "valid": False, "built": exc.built, "problem": str(exc),
                              "build": BUILD_COMMAND[variant]} for variant, file in VARIANT_FILES.items()}
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
    scoring after the answer only embeds the answer. With `hold_notices`, what loading has to say
    (the first use building the ONNX export, a fallback to torch) waits for `release_notices`
    instead of landing in the middle of the answer being typed.
    """

    def __init__(self, model: str | None = None, backend: str | None = None,
                 warm: Callable[[CachedEmbedder], object] | None = None,
                 on_error: Callable[[BaseException], None] | None = None, hold_notices: bool = False) -> None:
        self._model = model
        self._backend = backend
        self._warm = warm
        self._on_error = on_error
        self._result: CachedEmbedder | None = None
        self._error: BaseException | None = None
        self._held: list[str] | None = [] if hold_notices else None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="genco-model-loader", daemon=True)
        self._thread.start()

    def _notice(self, message: str) -> None:
        with self._lock:
            if self._held is not None:
                self._held.append(message)
                return
        _stderr_notice(message)

    def release_notices(self) -> None:
        """Print the notices held so far, and any later one as it comes."""
        with self._lock:
            held, self._held = self._held or [], None
        for message in held:
            _stderr_notice(message)

    def _run(self) -> None:
        try:
            embedder = load_embedder(self._model, self._backend, notice=self._notice)
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
