"""A model folder's own description of itself, read with the shape sentence-transformers gives it.

modules.json, the pooling config, sentence_bert_config.json and config.json are JSON written by
sentence-transformers and transformers; a hand edit or a torn copy can leave any JSON value in
them. Both backends need them, so a file that is not what it must be is a ModelError naming the
file and what is wrong with it (never an AttributeError from deep inside a read, nor a fallback
from one backend to the other that then fails the same way with a less helpful message).
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import json_kind
from .base import ModelError, ModelSpec

MODULES = "modules.json"


def damaged(path: Path, what: str) -> ModelError:
    """The one-line error for a model file that cannot be used as it is."""
    return ModelError(f"{path}: damaged model file: {what}; restore the model's files, or pass --model with another")


def read_json(path: Path) -> Any:
    """The JSON in a model file; unreadable or not JSON is a damaged file."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise damaged(path, f"cannot be read ({exc.strerror or exc.__class__.__name__})") from None
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise damaged(path, "not JSON") from None


def read_object(path: Path) -> dict[str, Any]:
    """A model file that must hold one JSON object (a config)."""
    value = read_json(path)
    if not isinstance(value, dict):
        raise damaged(path, f"expected an object, found {json_kind(value)}")
    return value


def read_modules(spec: ModelSpec) -> list[dict[str, Any]]:
    """modules.json: a list of modules, each an object whose "type" names its class and whose "path"
    is its folder inside the model (sentence-transformers refuses an absolute path or one with ..)."""
    path = spec.path / MODULES
    modules = read_json(path)
    if not isinstance(modules, list) or not modules:
        raise damaged(path, "the list of modules is empty" if modules == []
                      else f"expected a list of modules, found {json_kind(modules)}")
    for number, module in enumerate(modules, start=1):
        if not isinstance(module, dict):
            raise damaged(path, f"module {number} must be an object, not {json_kind(module)}")
        for key in ("type", "path"):
            if key not in module:
                raise damaged(path, f"module {number} has no {key!r}")
            if not isinstance(module[key], str):
                raise damaged(path, f"module {number}'s {key!r} must be a string, not {json_kind(module[key])}")
        folder = PurePosixPath(module["path"].replace("\\", "/"))
        if folder.is_absolute() or ".." in folder.parts:
            raise damaged(path, f"module {number}'s path {module['path']!r} leaves the model folder")
    return modules


def positive_int(config: dict[str, Any], key: str, path: Path) -> int | None:
    """An optional whole number above 0 in a config (a length, a width); anything else is damage."""
    value = config.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise damaged(path, f"{key!r} must be a whole number above 0, not {json_kind(value)}")
    return value
