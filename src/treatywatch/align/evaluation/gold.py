"""Gold alignment files: what an analyst says each provision implements.

A gold file is a CSV (RFC 4180, UTF-8) with one row per provision of one
law; a folder of them is a development set (see ``../shared/gold/README.md``
for the columns and the labelling conventions). Gold files are written by
hand, so they are validated as a whole before anything runs: an evaluation
that silently skipped a misspelt article or an unknown document would
report a score for a set nobody labelled. Every problem found is listed
with its ``file:line`` in one error, so a curator fixes them in one pass.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from treatywatch.catalogue import Catalogue
from treatywatch.errors import TreatywatchError

REQUIRED_COLUMNS = ("document", "provision", "uncc", "budapest", "kind")
KINDS = (
    "definition",
    "offence",
    "penalty",
    "procedural",
    "cooperation",
    "jurisdiction",
    "institutional",
    "preventive",
    "general",
    "other",
)
NONE = "none"
_INSTRUMENT_NAMES = {"uncc": "UNCC", "budapest": "Budapest"}
_LABEL_PREFIX_RE = re.compile(
    r"^(?:(?:section|sec|article|art|artículo|articulo|artikel)\b\.?\s*|§+\s*)", re.IGNORECASE
)


class GoldError(TreatywatchError):
    """Gold files with problems; ``problems`` lists each as ``file:line: what``."""

    def __init__(self, problems: list[str], *, hint: str | None = None) -> None:
        shown = problems[:50]
        more = f"\n  … and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(
            f"gold labels have {len(problems)} {noun}:\n  " + "\n  ".join(shown) + more,
            hint=hint
            or "fix the listed rows (columns and conventions: ../shared/gold/README.md); "
            "article numbers must exist in `treatywatch articles list`",
        )
        self.problems = problems


@dataclass(frozen=True)
class GoldRow:
    """One labelled provision. ``uncc`` is empty when the gold says ``none``."""

    source: str  # "gold/ken.csv:12", where the row starts
    document: str
    provision: str
    title: str
    uncc: tuple[str, ...]  # article ids, most specific first: ("uncc/art-9", "uncc/art-10")
    budapest: tuple[str, ...]
    kind: str
    confidence: str = ""
    note: str = ""
    # the assessment columns (issue 6): yes/no, years (life = 99), prior-judicial/none/mixed
    content_offence: str | None = None
    max_prison_years: str | None = None
    judicial_authorization: str | None = None

    @property
    def is_none(self) -> bool:
        return not self.uncc

    @property
    def label_key(self) -> str:
        return normalise_label(self.provision)


def normalise_label(label: str | None) -> str:
    """A provision label reduced to what identifies it: "Section 3." → "3".

    Gold files copy the law's own label, while ingest may keep or drop the
    unit word ("Section", "Art.", "§") and a trailing dot; comparing the
    bare number keeps a cosmetic difference from turning into a miss.
    """
    text = " ".join((label or "").split()).strip()
    previous = None
    while previous != text:
        previous = text
        text = _LABEL_PREFIX_RE.sub("", text).strip().rstrip(".:").strip()
    return text.casefold()


def gold_files(path: Path) -> list[Path]:
    """The CSV files of a gold path (a file or a folder of them), sorted."""
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
        if not files:
            raise GoldError(
                [f"{path}: the folder holds no .csv gold files"],
                hint="point --gold at a gold CSV or a folder of them",
            )
        return files
    raise GoldError(
        [f"{path}: no such file or folder"], hint="check the --gold path (a CSV or a folder)"
    )


def parse_gold(path: Path) -> tuple[list[GoldRow], list[str]]:
    """Every well-formed row of a gold path, and every problem found on the way."""
    catalogue = Catalogue.load()
    rows: list[GoldRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], str] = {}
    for file in gold_files(path):
        for row in _parse_file(file, catalogue, problems):
            key = (row.document, row.label_key)
            if key in seen:
                problems.append(
                    f"{row.source}: provision {row.provision!r} of {row.document} is labelled "
                    f"twice (first at {seen[key]})"
                )
                continue
            seen[key] = row.source
            rows.append(row)
    return rows, problems


def load_gold(path: Path) -> list[GoldRow]:
    """The rows of a gold path, or one :class:`GoldError` listing every problem."""
    rows, problems = parse_gold(path)
    if problems:
        raise GoldError(problems)
    if not rows:
        raise GoldError([f"{path}: no labelled rows"], hint="add rows below the header line")
    return rows


def _read_text(file: Path, problems: list[str]) -> str | None:
    try:
        raw = file.read_bytes()
    except OSError as exc:
        problems.append(f"{file}: cannot read the file ({exc.strerror or exc})")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(f"{file}:{line}: not UTF-8 text (save the file as UTF-8)")
        return None


def _parse_file(file: Path, catalogue: Catalogue, problems: list[str]) -> Iterable[GoldRow]:
    text = _read_text(file, problems)
    if text is None:
        return
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        problems.append(f"{file}:1: the header is not valid CSV ({exc})")
        return
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(
            f"{file}:1: missing column(s) {', '.join(missing)} "
            f"(required: {', '.join(REQUIRED_COLUMNS)})"
        )
        return
    reader.fieldnames = header
    start = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(f"{file}:{reader.line_num}: not valid CSV ({exc})")
            return
        where = f"{file}:{start}"
        start = reader.line_num + 1
        if None in record:
            problems.append(f"{where}: more fields than the header has columns")
            continue
        values = {k: (v or "").strip() for k, v in record.items()}
        if not any(values.values()):
            continue
        row = _validate(where, values, catalogue, problems)
        if row is not None:
            yield row


def _validate(
    where: str, values: dict[str, str], catalogue: Catalogue, problems: list[str]
) -> GoldRow | None:
    before = len(problems)
    for column in ("document", "provision"):
        if not values[column]:
            problems.append(f"{where}: the {column} column is empty")
    kind = values["kind"].lower()
    if kind not in KINDS:
        problems.append(f"{where}: unknown kind {values['kind']!r} (one of: {', '.join(KINDS)})")
    uncc = _articles(where, "uncc", values["uncc"], catalogue, problems)
    budapest = _articles(where, "budapest", values["budapest"], catalogue, problems)
    if len(problems) > before:
        return None
    return GoldRow(
        source=where,
        document=values["document"],
        provision=values["provision"],
        title=values.get("title", ""),
        uncc=uncc,
        budapest=budapest,
        kind=kind,
        confidence=values.get("confidence", ""),
        note=values.get("note", ""),
        content_offence=values.get("content_offence") or None,
        max_prison_years=values.get("max_prison_years") or None,
        judicial_authorization=values.get("judicial_authorization") or None,
    )


def _articles(
    where: str, instrument: str, cell: str, catalogue: Catalogue, problems: list[str]
) -> tuple[str, ...]:
    name = _INSTRUMENT_NAMES[instrument]
    if not cell:
        problems.append(f"{where}: the {instrument} column is empty (write 'none' for no article)")
        return ()
    if cell.lower() == NONE:
        return ()
    out: list[str] = []
    for part in (p.strip() for p in cell.split(";")):
        if part.lower() == NONE:
            problems.append(f"{where}: {instrument} mixes 'none' with article numbers ({cell!r})")
            continue
        if not part.isdigit():
            problems.append(
                f"{where}: {instrument} value {part!r} is not an article number "
                "(write numbers separated by ';', or 'none')"
            )
            continue
        article_id = f"{instrument}/art-{int(part)}"
        if article_id not in catalogue:
            problems.append(f"{where}: {name} article {int(part)} does not exist")
            continue
        if article_id not in out:
            out.append(article_id)
    return tuple(out)
