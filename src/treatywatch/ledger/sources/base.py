"""What every status-source reader returns, and the errors it raises.

Readers only read: they turn one file into :class:`SourceFact` records
(plus facts about the instrument as a whole) and note what they could not
read. Matching names to States, checking dates and writing to the store is
the importer's job, so every format gets the same checks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from treatywatch.errors import TreatywatchError
from treatywatch.ledger import instruments
from treatywatch.ledger.events import InstrumentFact, SourceFact
from treatywatch.ledger.instruments import LedgerInstrument


class LedgerImportError(TreatywatchError):
    """A status file cannot be imported at all; nothing was written."""

    def __init__(self, path: Path | str, problem: str, *, hint: str | None = None) -> None:
        super().__init__(f"{path}: {problem}", hint=hint)
        self.path = str(path)
        self.problem = problem


@dataclass(frozen=True)
class Skip:
    row: str
    reason: str
    suggestions: tuple[str, ...] = ()

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"row": self.row, "reason": self.reason}
        if self.suggestions:
            out["suggestions"] = list(self.suggestions)
        return out


@dataclass
class SourceBatch:
    """One file read into facts."""

    path: Path
    format: str
    sha256: str
    source_key: str
    instrument: LedgerInstrument | None = None
    facts: list[SourceFact] = field(default_factory=list)
    instrument_facts: list[InstrumentFact] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_url: str | None = None
    retrieved: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    is_rollcall: bool = False


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LedgerImportError(path, "no such file", hint="check the path") from None
    except IsADirectoryError:
        raise LedgerImportError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise LedgerImportError(path, f"cannot read: {exc.strerror}") from None


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), else Latin-1 with a clear record of the fallback."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def resolve_untc_instrument(
    path: Path,
    number: str | None,
    expected: str | None,
    *,
    found_in: str,
    unknown: str,
    unknown_hint: str,
) -> tuple[LedgerInstrument, str]:
    """The instrument a UNTC status table is for, and its MTDSG number.

    ``number`` is what the file itself says (from a link or its name);
    ``expected`` is what the user passed with ``--instrument``. When both are
    given they must agree, because importing a table under the wrong treaty
    would silently corrupt the ledger.
    """
    if number:
        instrument = instruments.for_mtdsg(number)
        if expected and expected != instrument.id:
            raise LedgerImportError(
                path,
                f"{found_in} {number} ({instrument.id}), not {expected!r}",
                hint=f"drop --instrument or pass --instrument {instrument.id}",
            )
        return instrument, number
    if expected:
        instrument = instruments.get(expected)
        return instrument, instrument.untc_mtdsg or instrument.id
    raise LedgerImportError(path, unknown, hint=unknown_hint)
