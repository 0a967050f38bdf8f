"""Names of the drafts the browser keeps while an answer is typed (genco.js stores each under
"genco-draft:" + its name in localStorage).

One function builds every name, because two pages must agree on it: the page with the answer box
keeps the draft, and the page the submission lands on clears it. A name that differed by one
character would keep a sent answer's draft forever, or clear the wrong one.
"""

from __future__ import annotations

INTERVIEWER = "interviewer"
"""First part of the drafts of the interviewer's grading form, so a candidate's transcript and the
interviewer's own practice answer to the same question never share a draft."""
INTERVIEW = "interview"


def draft_name(*parts: str) -> str:
    """The draft's name from what identifies the answer box: ("q", "quick") -> "q:quick"."""
    return ":".join(parts)
