"""The laws a gold file talks about, as the provisions alignment reads.

Gold files name documents by their corpus id (``ken-cmca-2018``). An
evaluation should run on exactly what a user would align, so a law is
read from the store when it is there and otherwise ingested from the
corpus folder first — through the normal ingest pipeline, so the
evaluation also exercises reading and segmentation. A treaty (a corpus
document with no country, such as the Budapest Convention) cannot be
stored as a national law; it is analysed in memory instead, with the
same reader and segmenter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from treatywatch.align.model import ProvisionText
from treatywatch.align.provisions import provisions_for_version, provisions_from_segmentation
from treatywatch.errors import TreatywatchError
from treatywatch.ingest.corpus import CorpusDocument, corpus_dir, corpus_documents
from treatywatch.ingest.workid import slugify
from treatywatch.store import session_scope
from treatywatch.store.models import DocumentRow

Progress = Callable[[str, int, int], None]
"""``progress(description, done, total)``: how far a long evaluation is."""


@dataclass(frozen=True)
class GoldDocument:
    """One law's provisions, and where they came from."""

    id: str  # the gold / corpus id
    stored_id: str | None  # the store's work id; None when analysed in memory
    language: str
    provisions: list[ProvisionText]
    origin: str  # "store", "ingested" or "analysed"


def _stored_ids(url: str | None) -> list[str]:
    with session_scope(url) as session:
        return list(session.scalars(select(DocumentRow.id)))


def stored_match(document_id: str, stored: Iterable[str]) -> str | None:
    """The store's work id for a corpus id: ``ken-cmca-2018`` → ``ken/act/2018/ken-cmca-2018``."""
    wanted = {document_id, slugify(document_id)}
    for work_id in stored:
        if work_id == document_id or work_id.rsplit("/", 1)[-1] in wanted:
            return work_id
    return None


def locate(
    ids: Iterable[str], corpus: Path | None, url: str | None
) -> tuple[dict[str, str], dict[str, CorpusDocument], list[str]]:
    """(in the store, in the corpus only, nowhere) for each document id."""
    stored = _stored_ids(url)
    in_corpus = {d.id: d for d in corpus_documents(corpus)} if corpus else {}
    found_stored: dict[str, str] = {}
    found_corpus: dict[str, CorpusDocument] = {}
    missing: list[str] = []
    for document_id in sorted(set(ids)):
        work_id = stored_match(document_id, stored)
        if work_id is not None:
            found_stored[document_id] = work_id
        elif document_id in in_corpus and in_corpus[document_id].preferred is not None:
            found_corpus[document_id] = in_corpus[document_id]
        else:
            missing.append(document_id)
    return found_stored, found_corpus, missing


def resolve_corpus(directory: Path | None) -> Path | None:
    """The corpus folder to ingest from: the one given, else the configured one."""
    if directory is None:
        return corpus_dir()
    if not directory.is_dir():
        raise TreatywatchError(
            f"corpus folder {directory} does not exist",
            hint="give --corpus a folder of document folders named by id "
            "(e.g. ../shared/corpus), or set TREATYWATCH_CORPUS",
        )
    return directory


def load_stored(document_id: str, work_id: str, url: str | None) -> GoldDocument:
    with session_scope(url) as session:
        document = session.get(DocumentRow, work_id)
        if document is None or not document.versions:
            raise TreatywatchError(
                f"document {work_id} has no stored version",
                hint=f"ingest it again: treatywatch ingest FILE --id {work_id}",
            )
        version = document.versions[-1]
        provisions = provisions_for_version(session, version)
        language = (version.language or document.language or "en").split("-")[0]
    return GoldDocument(document_id, work_id, language, provisions, "store")


def ingest_from_corpus(document: CorpusDocument, url: str | None) -> GoldDocument:
    """Ingest a law from its corpus folder (a treaty is analysed in memory)."""
    from treatywatch.ingest.pipeline import IngestRequest, analyse, ingest

    path = document.preferred
    assert path is not None  # locate() only returns documents with a file
    if document.country is None:
        analysis = analyse(path, language=document.language)
        language = analysis.language or document.language or "en"
        provisions = provisions_from_segmentation(analysis.segmentation, language)
        return GoldDocument(document.id, None, language.split("-")[0], provisions, "analysed")
    result = ingest(
        IngestRequest(
            path=path,
            country=document.country,
            title=document.title,
            doc_id=document.work_id or document.id,
            actor="treatywatch eval",
            note=f"ingested for evaluation from the corpus ({document.id})",
        ),
        url=url,
    )
    loaded = load_stored(document.id, result.document_id, url)
    return GoldDocument(loaded.id, loaded.stored_id, loaded.language, loaded.provisions, "ingested")
