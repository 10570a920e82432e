"""The one error type users see.

Every failure a user can cause (bad file, unknown id, unreachable store)
becomes a :class:`TreatywatchError` with a message that names the thing and a
hint that says what to do next. The CLI prints these without a traceback and
exits non-zero; anything else is a bug.
"""

from __future__ import annotations


class TreatywatchError(Exception):
    """A user-facing error: ``message`` says what is wrong, ``hint`` what to do."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def to_dict(self) -> dict[str, str | None]:
        return {"error": type(self).__name__, "message": self.message, "hint": self.hint}

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\nhint: {self.hint}"


class UnknownNameError(TreatywatchError):
    """Something the user named does not exist; the hint offers close matches.

    Subclasses fix ``kind`` (what was looked up) and ``fallback_hint`` (what to
    do when nothing is close), so every "unknown X" reads the same way.
    """

    kind = "name"
    fallback_hint = "check the spelling"

    def __init__(self, text: str, suggestions: list[str]) -> None:
        hint = f"did you mean: {', '.join(suggestions)}?" if suggestions else self.fallback_hint
        super().__init__(f"unknown {self.kind} {text!r}", hint=hint)
        self.text = text
        self.suggestions = suggestions
