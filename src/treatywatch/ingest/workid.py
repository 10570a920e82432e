"""Identifiers of laws: works, versions and provision paths.

A law is a *work* (all its texts over time), identified like an Akoma Ntoso
FRBR work but keyed by the ISO 3166-1 alpha-3 code the rest of treatywatch
uses; a *version* is the work's text at a date; a *provision path* names a
node inside one version. Parse and format are symmetric::

    >>> work = WorkId.parse("KEN/Act/2018/5")
    >>> work
    WorkId(country='ken', doctype='act', year=2018, number='5')
    >>> str(work)
    'ken/act/2018/5'
    >>> ref = VersionRef.parse("ken/act/2018/5@2024-03-01")
    >>> str(ref), ref.date.isoformat()
    ('ken/act/2018/5@2024-03-01', '2024-03-01')
    >>> str(VersionRef.parse("ken/act/2018/5"))      # no date: the latest version
    'ken/act/2018/5'
    >>> path = ProvisionPath.parse("sec-37/2/a")
    >>> path.steps, str(path.top), str(path.parent)
    (('sec-37', '2', 'a'), 'sec-37', 'sec-37/2')
    >>> str(ProvisionRef.parse("ken/act/2018/5@2024-03-01#sec-37/2"))
    'ken/act/2018/5@2024-03-01#sec-37/2'

Ids are lower case; :meth:`WorkId.parse` accepts any case and formats back
to the canonical form. :func:`derive_work_id` builds a work id from what a
user gave (``--id``, ``--title``, ``--date``) so every stored law gets one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from treatywatch.errors import TreatywatchError

_WORK_RE = re.compile(
    r"""
    ^\s*
    (?P<country>[A-Za-z]{3})                  # ISO 3166-1 alpha-3 (EUU for the EU)
    /(?P<doctype>[A-Za-z][A-Za-z-]{0,29})     # act, code, decree, ordinance, treaty ...
    /(?P<year>\d{4})                          # year the work was made
    /(?P<number>[A-Za-z0-9][A-Za-z0-9._-]{0,79})  # official number, or a slug of the title
    \s*$
    """,
    re.VERBOSE,
)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A path step: an optional unit prefix ("sec-", "art-", "part-") then the
# number as printed, made safe (no whitespace, no "/", "@" or "#").
_STEP_RE = re.compile(r"^[^\s/@#]+$")
_YEAR_RE = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")
_NUMBER_RE = re.compile(
    r"(?:\bNo\.?|\bNumber|\bn[°º.]|\bNr\.?|\bR\.A\.|\bLey)\s*(?P<num>\d+(?:[-/.]\d+)*)",
    re.IGNORECASE,
)
MAX_SLUG = 60
DEFAULT_DOCTYPE = "act"


class InvalidIdError(TreatywatchError):
    """A document, version or provision id that cannot be read."""

    def __init__(self, kind: str, text: str, example: str) -> None:
        super().__init__(f"not a {kind}: {text!r}", hint=f"expected e.g. {example!r}")
        self.text = text


@dataclass(frozen=True, order=True)
class WorkId:
    """A law as a work: ``country/doctype/year/number`` (e.g. ``ken/act/2018/5``)."""

    country: str
    doctype: str
    year: int
    number: str

    EXAMPLE = "ken/act/2018/5"

    @classmethod
    def parse(cls, text: str) -> WorkId:
        match = _WORK_RE.match(text)
        if not match:
            raise InvalidIdError("document id", text, cls.EXAMPLE)
        return cls(
            country=match["country"].lower(),
            doctype=match["doctype"].lower(),
            year=int(match["year"]),
            number=match["number"].lower(),
        )

    def __str__(self) -> str:
        return f"{self.country}/{self.doctype}/{self.year:04d}/{self.number}"

    def akn_uri(self, country_code: str) -> str:
        """The AKN FRBR work URI; AKN uses the 2-letter code (``/akn/ke/act/2018/5``)."""
        return f"/akn/{country_code.lower()}/{self.doctype}/{self.year:04d}/{self.number}"


@dataclass(frozen=True)
class VersionRef:
    """``DOC`` or ``DOC@YYYY-MM-DD``: a work, and optionally one dated version of it."""

    work: WorkId
    date: dt.date | None = None

    EXAMPLE = "ken/act/2018/5@2024-03-01"

    @classmethod
    def parse(cls, text: str) -> VersionRef:
        doc, sep, date_text = text.strip().partition("@")
        try:
            work = WorkId.parse(doc)
            if not sep:
                return cls(work)
            if not _DATE_RE.match(date_text):
                raise ValueError(date_text)
            return cls(work, dt.date.fromisoformat(date_text))
        except (ValueError, InvalidIdError):
            raise InvalidIdError("document version", text, cls.EXAMPLE) from None

    def __str__(self) -> str:
        return str(self.work) if self.date is None else f"{self.work}@{self.date.isoformat()}"


@dataclass(frozen=True)
class ProvisionPath:
    """A node inside one version: ``sec-37/2/a``, ``art-12bis/1``, ``part-I``."""

    steps: tuple[str, ...]

    EXAMPLE = "sec-37/2/a"

    @classmethod
    def parse(cls, text: str) -> ProvisionPath:
        steps = tuple(text.split("/"))
        if not text or not all(_STEP_RE.match(step) for step in steps):
            raise InvalidIdError("provision path", text, cls.EXAMPLE)
        return cls(steps)

    def __str__(self) -> str:
        return "/".join(self.steps)

    @property
    def top(self) -> ProvisionPath:
        """The top-level provision (section/article) this node belongs to."""
        return ProvisionPath(self.steps[:1])

    @property
    def parent(self) -> ProvisionPath | None:
        return ProvisionPath(self.steps[:-1]) if len(self.steps) > 1 else None


@dataclass(frozen=True)
class ProvisionRef:
    """``DOC@DATE#PATH``: one provision of one version (ids in the search index)."""

    version: VersionRef
    path: ProvisionPath

    EXAMPLE = "ken/act/2018/5@2024-03-01#sec-37/2"

    @classmethod
    def parse(cls, text: str) -> ProvisionRef:
        version, sep, path = text.partition("#")
        try:
            if not sep:
                raise ValueError(text)
            return cls(VersionRef.parse(version), ProvisionPath.parse(path))
        except (ValueError, InvalidIdError):
            raise InvalidIdError("provision reference", text, cls.EXAMPLE) from None

    def __str__(self) -> str:
        return f"{self.version}#{self.path}"


def slugify(text: str, *, limit: int = MAX_SLUG) -> str:
    """Lower-case ASCII words joined by hyphens ("Loi n° 2025-17" → "loi-n-2025-17")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug


def year_in(text: str | None) -> int | None:
    """The first plausible year printed in a title ("Act, 2018" → 2018)."""
    match = _YEAR_RE.search(text or "")
    return int(match.group(1)) if match else None


def number_in(title: str | None) -> str | None:
    """An official number printed in a title ("Act No. 5 of 2018" → "5")."""
    match = _NUMBER_RE.search(title or "")
    if not match:
        return None
    number = re.sub(r"[^0-9a-z._-]", "-", match["num"].lower())
    return number or None


def derive_work_id(
    country: str,
    *,
    given: str | None,
    title: str | None,
    date: dt.date | None,
    doctype: str = DEFAULT_DOCTYPE,
) -> WorkId:
    """The work id for a new law, from what the user gave.

    ``given`` may be a whole work id (``ken/act/2018/5``, whose country must
    match) or just its number part (``5``, ``cmca``). Otherwise the year
    and number come from the title ("Act No. 5 of 2018"), falling back to
    the version date's year and a slug of the title.
    """
    country = country.lower()
    year = year_in(title) or (date.year if date else dt.date.today().year)
    if given and "/" in given:
        work = WorkId.parse(given)
        if work.country != country:
            raise TreatywatchError(
                f"document id {given!r} is for {work.country.upper()}, not {country.upper()}",
                hint="give the same country in --id and --country",
            )
        return work
    if given:
        number = slugify(given)
        if not number:
            raise InvalidIdError("document number", given, "5 or cmca")
        return WorkId(country, doctype, year, number)
    number = number_in(title) or slugify(_without_year(title or ""))
    if not number:
        raise TreatywatchError(
            "cannot make a document id: no --id and no title",
            hint="give --id (e.g. --id 5 or --id ken/act/2018/5) or --title",
        )
    return WorkId(country, doctype, year, number)


def _without_year(title: str) -> str:
    return _YEAR_RE.sub(" ", title)
