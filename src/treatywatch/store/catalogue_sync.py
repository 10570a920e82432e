"""Copy the validated catalogue into the store, idempotently.

Articles and criteria are upserted by id (alignments and findings point at
them, so they are never deleted and re-created); crosswalk links and the
search index are replaced whole. A fingerprint of the catalogue files in
``store_meta`` makes a repeated ``init`` with unchanged data a no-op.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from treatywatch.catalogue import Article, Catalogue
from treatywatch.store.models import (
    ArticleRow,
    CriterionRow,
    CrosswalkLinkRow,
    InstrumentRow,
    MetaRow,
)
from treatywatch.store.search_index import IndexEntry, replace_entries

FINGERPRINT_KEY = "catalogue_fingerprint"


@dataclass(frozen=True)
class SyncReport:
    changed: bool
    instruments: int
    articles: int
    crosswalk_links: int
    criteria: int
    fingerprint: str


def fingerprint(catalogue: Catalogue) -> str:
    digest = hashlib.sha256()
    for path in sorted(catalogue.source_dir.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def sync_catalogue(session: Session, catalogue: Catalogue, *, force: bool = False) -> SyncReport:
    mark = fingerprint(catalogue)
    stored = session.get(MetaRow, FINGERPRINT_KEY)
    changed = force or stored is None or stored.value != mark
    if changed:
        _write(session, catalogue)
        session.merge(MetaRow(key=FINGERPRINT_KEY, value=mark))
    articles = sum(len(i.articles) for i in catalogue.instruments.values())
    return SyncReport(
        changed=changed,
        instruments=len(catalogue.instruments),
        articles=articles,
        crosswalk_links=len(catalogue.crosswalk),
        criteria=len(catalogue.criteria),
        fingerprint=mark,
    )


def _write(session: Session, catalogue: Catalogue) -> None:
    for inst in catalogue.instruments.values():
        info = inst.info
        session.merge(
            InstrumentRow(
                id=info.id,
                short_title=info.short_title,
                title=info.title,
                body=info.body,
                adopted=info.adopted,
                opened_for_signature=info.opened_for_signature,
                in_force=info.in_force,
                article_count=info.article_count,
                info=info.model_dump(mode="json"),
            )
        )
        for article in inst.articles:
            chapter = inst.chapter(article.chapter)
            session.merge(_article_row(article, chapter.title))
    session.flush()
    session.execute(delete(CrosswalkLinkRow))
    current = {str(article.id) for article in catalogue}
    orphans = [aid for aid in session.scalars(select(ArticleRow.id)) if aid not in current]
    if orphans:
        # An article dropped from the data is a correction of the catalogue. If
        # alignments still point at it, the foreign key stops the sync and the
        # whole transaction rolls back, which is what a curator needs to see.
        session.execute(delete(ArticleRow).where(ArticleRow.id.in_(orphans)))
    session.add_all(
        CrosswalkLinkRow(
            uncc_article_id=str(link.uncc) if link.uncc else None,
            budapest_article_id=str(link.budapest) if link.budapest else None,
            relation=link.relation.value,
            note=link.note,
        )
        for link in catalogue.crosswalk
    )
    for criterion in catalogue.criteria:
        session.merge(
            CriterionRow(
                id=criterion.id,
                number=criterion.number,
                name=criterion.name,
                question=criterion.question,
                definition=criterion.model_dump(mode="json"),
            )
        )
    replace_entries(session, "article", (_index_entry(a) for a in catalogue))
    session.flush()


def _article_row(article: Article, chapter_title: str) -> ArticleRow:
    return ArticleRow(
        id=str(article.id),
        instrument_id=article.instrument,
        number=article.number,
        title=article.title,
        chapter=article.chapter,
        chapter_title=chapter_title,
        section=article.section,
        category=article.category.value,
        obligation=article.obligation.value,
        obligation_note=article.obligation_note,
        summary=article.summary,
        obligations=[o.model_dump(mode="json") for o in article.obligations],
        keywords=article.keywords,
        aliases=article.aliases,
        safeguards=[str(s) for s in article.safeguards],
        criteria=article.criteria,
    )


def _index_entry(article: Article) -> IndexEntry:
    return IndexEntry(
        entity_type="article",
        entity_id=str(article.id),
        scope=article.instrument,
        title=article.title,
        keywords=" ; ".join(article.all_keywords),
        body=" ".join([article.summary, *(o.summary for o in article.obligations)]),
    )
