"""What a report or comparison is about: one law, one country, or all of them.

A country is judged on the latest version of each of its stored laws (the
law in force as far as the store knows); a document reference names one
version (``DOC@DATE``) or, without a date, the latest. A document id
always contains "/" (``ken/act/2018/5``), a country code never does, which
is how one argument serves both.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from treatywatch.errors import TreatywatchError
from treatywatch.ingest.documents import find_version
from treatywatch.ledger.jurisdictions import lookup
from treatywatch.store.models import DocumentRow, DocumentVersionRow, JurisdictionRow

COUNTRY, DOCUMENT, GLOBAL = "country", "document", "global"


class NoLawsError(TreatywatchError):
    """A country (or the whole store) has no stored law to report on."""


@dataclass(frozen=True)
class Target:
    """The subject of a report and the law versions it rests on."""

    scope: str  # COUNTRY, DOCUMENT or GLOBAL
    key: str  # KEN, a document id, or "global"
    name: str
    version_ids: tuple[int, ...]


def latest_versions(session: Session, code: str) -> list[DocumentVersionRow]:
    """The newest stored version of each law of ``code``, ordered by document id."""
    documents = session.scalars(
        select(DocumentRow).where(DocumentRow.jurisdiction_code == code).order_by(DocumentRow.id)
    ).all()
    return [d.versions[-1] for d in documents if d.versions]


def country_name(session: Session, code: str) -> str:
    row = session.get(JurisdictionRow, code)
    return row.name if row is not None else code


def resolve(session: Session, text: str) -> Target:
    """Turn ``KEN`` or ``DOC[@DATE]`` into a :class:`Target`, or raise a typed error."""
    ref = text.strip()
    if "/" in ref:
        version = find_version(session, ref)
        return Target(DOCUMENT, version.document_id, version.document.title, (version.id,))
    code = lookup(ref).code
    versions = latest_versions(session, code)
    if not versions:
        raise NoLawsError(
            f"no stored laws for {code}",
            hint=f"ingest one with `treatywatch ingest FILE --country {code}`",
        )
    return Target(COUNTRY, code, country_name(session, code), tuple(v.id for v in versions))


def countries_with_laws(session: Session) -> list[str]:
    """Codes of every jurisdiction with at least one stored law version, sorted."""
    codes = session.scalars(
        select(DocumentRow.jurisdiction_code)
        .join(DocumentVersionRow, DocumentVersionRow.document_id == DocumentRow.id)
        .distinct()
    ).all()
    return sorted(codes)


def resolve_countries(session: Session, codes: list[str] | None) -> list[str]:
    """The countries a comparison covers: those named (validated), else all with laws."""
    if not codes:
        found = countries_with_laws(session)
        if not found:
            raise NoLawsError(
                "the store holds no laws yet",
                hint="ingest one with `treatywatch ingest FILE --country CODE`",
            )
        return found
    out: list[str] = []
    for text in codes:
        code = lookup(text).code
        if not latest_versions(session, code):
            raise NoLawsError(
                f"no stored laws for {code}",
                hint=f"ingest one with `treatywatch ingest FILE --country {code}`, "
                "or leave it out of --countries",
            )
        if code not in out:
            out.append(code)
    return out
