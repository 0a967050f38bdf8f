"""What `genco rubric validate` reports of a rubric file: its schema problems and its meaning checks'
findings, as plain data. Kept apart from the checks themselves (lint.py, which reads a rubric with the
scorer and loads numpy) so that `validate --schema-only` stays light."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..rubric import Rubric

SAME_ID = "same-id-as-another-file"
"""Not a meaning check: two files validated together that define one question id (only one of them is used)."""


@dataclass(frozen=True)
class Finding:
    """One meaning problem: which check, where, the entries involved, how close, and what to do."""

    check: str
    path: str
    entries: tuple[str, ...]
    similarity: float
    message: str
    suggestion: str

    def to_dict(self) -> dict[str, object]:
        return {"check": self.check, "path": self.path, "entries": list(self.entries),
                "similarity": round(self.similarity, 3), "message": self.message, "suggestion": self.suggestion}


@dataclass
class RubricCheck:
    """One rubric file's validation: the rubric read (None with the schema `error`) and the
    meaning checks' findings (empty until `check_meaning` ran, or when it found nothing)."""

    path: str
    rubric: Rubric | None = None
    problems: tuple[str, ...] = ()
    """Every schema problem found in the file, in line order (empty when it was read)."""
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False
    """The file could not be read at all (no such file, a directory): the command's one-line error."""
    replaces_shipped: bool = False
    """A user's file whose id is a shipped question's: on the rubric search path it replaces that question
    in every command (attempts of it are then reported under this rubric's title); said, not warned of,
    since a copy of a shipped rubric (to calibrate it, say) is meant to."""

    @property
    def error(self) -> str | None:
        """The file's first schema problem: what other commands say of it."""
        return self.problems[0] if self.problems else None

    @property
    def name_note(self) -> str | None:
        """What its file's name means for a rubric read from a file, else None: the rubric search path reads
        only a folder's `*.yaml` files (not hidden ones), so one named otherwise (`.yml`, `.YAML`, `.bak`)
        validates but is never loaded; and every command asks for a question by its id, so `genco score
        other-name` of other-name.yaml holding `id: my-question` is an unknown question. Said, not warned of."""
        path = Path(self.path)
        if self.rubric is None or not path.is_file():
            return None
        if path.suffix != ".yaml" or path.name.startswith("."):
            return f"the rubric search path reads only *.yaml files: name it {self.rubric.id}.yaml to use it"
        if path.stem != self.rubric.id:
            return f"commands ask for it as {self.rubric.id!r}, its id, not by its file's name"
        return None

    def to_dict(self) -> dict[str, object]:
        """{"path", "valid": False, "error", "problems": [...]} or {"path", "valid": True, "id", "replaces_shipped",
        "name_note" (None, or what its file's name means), "findings": [...]}."""
        if self.rubric is None:
            return {"path": self.path, "valid": False, "error": self.error, "problems": list(self.problems)}
        return {"path": self.path, "valid": True, "id": self.rubric.id, "replaces_shipped": self.replaces_shipped,
                "name_note": self.name_note, "findings": [f.to_dict() for f in self.findings]}
