"""``treatywatch sources fetch``: download a law from its official source, then ingest it.

The download itself (timeouts, size cap, content-type check, sha256) is
:func:`treatywatch.ingest.sources.fetch`; this module chooses the sources,
keeps downloads under the data directory, and hands each file to the
ingest pipeline with the provenance of the download (final URL, retrieval
time), so the stored version says where it really came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from treatywatch.config import settings
from treatywatch.errors import TreatywatchError
from treatywatch.ingest.pipeline import IngestRequest, IngestResult, ingest
from treatywatch.ingest.sources import Source, SourceRegistry, fetch, load_sources


@dataclass(frozen=True)
class FetchedLaw:
    source_id: str
    url: str
    size: int
    sha256: str
    path: Path
    result: IngestResult

    def record(self) -> dict[str, Any]:
        return {
            "source": self.source_id,
            "url": self.url,
            "size": self.size,
            "file": str(self.path),
            **self.result.record(),
        }


def source_records(
    *, country: str | None = None, registry: SourceRegistry | None = None
) -> list[dict[str, Any]]:
    sources = registry or load_sources()
    chosen = sources.for_country(country) if country else list(sources)
    return [
        {
            "id": s.id,
            "country": s.country,
            "title": s.title,
            "format": s.format,
            "language": s.language,
            "url": s.url,
            "publisher": s.publisher,
            "licence": s.licence,
        }
        for s in chosen
    ]


def choose_sources(
    registry: SourceRegistry, source_id: str | None, country: str | None
) -> list[Source]:
    if source_id:
        return [registry.get(source_id)]
    if not country:
        raise TreatywatchError("say which source to fetch", hint="give a source id or --country")
    found = registry.for_country(country)
    if not found:
        raise TreatywatchError(
            f"no known source for country {country.upper()!r}",
            hint="list the known sources with `treatywatch sources list`",
        )
    return found


def downloads_dir() -> Path:
    return settings().data_dir / "downloads"


def fetch_and_ingest(
    source_id: str | None,
    *,
    country: str | None = None,
    registry: SourceRegistry | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    client: httpx.Client | None = None,
    url: str | None = None,
) -> list[FetchedLaw]:
    """Fetch and ingest one source, or every source of ``country``.

    A treaty (a source with no country) is refused before downloading:
    documents in the store belong to a jurisdiction.
    """
    sources = choose_sources(registry or load_sources(), source_id, country)
    for source in sources:
        if source.country is None:
            raise TreatywatchError(
                f"source {source.id!r} is an international instrument, not a national law",
                hint="treaties are in the catalogue (`treatywatch articles list`); "
                "fetch a national law instead",
            )
    results = []
    for source in sources:
        options: dict[str, Any] = {"max_bytes": max_bytes, "client": client}
        if timeout is not None:
            options["timeout"] = timeout
        download = fetch(source, downloads_dir(), **options)
        request = IngestRequest(
            path=download.path,
            country=source.country or "",
            title=source.title,
            source_url=download.url,
            format=download.format,
            max_bytes=max_bytes,
            retrieved=download.retrieved_at.isoformat(timespec="seconds"),
            actor="treatywatch sources fetch",
            note=f"fetched from source {source.id} ({source.licence})",
        )
        results.append(
            FetchedLaw(
                source.id,
                download.url,
                download.size,
                download.sha256,
                download.path,
                ingest(request, url=url),
            )
        )
    return results
