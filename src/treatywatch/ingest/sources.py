"""Known official sources for real laws, and fetching them safely.

``sources.yaml`` (next to this module) lists where each law is officially
published. :func:`fetch` downloads one with the limits a crawler of
government sites needs: connect/read timeouts and an overall deadline, a
size cap enforced while streaming, a bounded number of redirects, only
http/https, a content-type check against the declared format (confirmed by
sniffing the bytes, since servers mislabel), and the sha256 of what was
stored. A failed download leaves nothing behind: bytes go to a hidden
``.part`` file that is renamed into place only when everything checked out.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

import httpx
import iso3166
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from treatywatch.errors import TreatywatchError
from treatywatch.ingest.readers.detect import describe, sniff
from treatywatch.ingest.readers.files import describe_size, resolve_max_bytes
from treatywatch.suggest import close_matches

DEFAULT_SOURCES_FILE = Path(__file__).with_name("sources.yaml")
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "treatywatch/0.1 (law monitoring; +https://github.com/treatywatch/treatywatch)"

Format = Literal["pdf", "docx", "html", "txt", "md", "akn", "json"]

EXTENSION: dict[str, str] = {
    "pdf": "pdf",
    "docx": "docx",
    "html": "html",
    "txt": "txt",
    "md": "md",
    "akn": "xml",
    "json": "json",
}
_GENERIC_BINARY = {"application/octet-stream", "binary/octet-stream", "application/force-download"}
CONTENT_TYPES: dict[str, frozenset[str]] = {
    "pdf": frozenset({"application/pdf", "application/x-pdf", *_GENERIC_BINARY}),
    "docx": frozenset(
        {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/zip",
            "application/x-zip-compressed",
            *_GENERIC_BINARY,
        }
    ),
    "html": frozenset({"text/html", "application/xhtml+xml"}),
    "txt": frozenset({"text/plain"}),
    "md": frozenset({"text/markdown", "text/x-markdown", "text/plain"}),
    "akn": frozenset({"application/akn+xml", "application/xml", "text/xml"}),
    "json": frozenset({"application/json", "text/json", "text/plain"}),
}


class SourceError(TreatywatchError):
    """The source registry is invalid, or names a source that does not exist."""


class FetchError(TreatywatchError):
    """A download failed; nothing was written."""

    def __init__(self, url: str, problem: str, *, hint: str | None = None) -> None:
        super().__init__(f"{url}: {problem}", hint=hint)
        self.url = url
        self.problem = problem


class Source(BaseModel):
    """One official publication of a law."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,80}$")
    country: str | None = Field(description="ISO 3166-1 alpha-3; null for treaties")
    title: str = Field(min_length=3)
    url: str
    format: Format
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")
    publisher: str | None = None
    licence: str = Field(min_length=3)
    notes: str | None = None
    corpus: str | None = Field(default=None, description="folder in ../shared/corpus, if any")

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.upper()
        if code not in iso3166.countries_by_alpha3:
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-3 country code")
        return code

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        check_url(value)
        return value


class _SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[Source]


@dataclass(frozen=True)
class SourceRegistry:
    sources: tuple[Source, ...]

    def __iter__(self) -> Iterator[Source]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)

    def get(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        suggestions = close_matches(
            source_id,
            [(s.id, s.id) for s in self.sources] + [(s.title, s.id) for s in self.sources],
        )
        hint = f"did you mean {', '.join(suggestions)}?" if suggestions else None
        raise SourceError(
            f"unknown source {source_id!r}",
            hint=hint or "list the known sources with `treatywatch sources list`",
        )

    def for_country(self, country: str) -> list[Source]:
        code = country.upper()
        return [s for s in self.sources if s.country == code]


def load_sources(path: Path | None = None) -> SourceRegistry:
    """The validated registry (the bundled ``sources.yaml`` unless ``path`` is given)."""
    if path is None:
        return _bundled()
    return _load(path)


@cache
def _bundled() -> SourceRegistry:
    return _load(DEFAULT_SOURCES_FILE)


def _load(path: Path) -> SourceRegistry:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the source registry ({exc})") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"{path}: not valid YAML ({exc})") from None
    try:
        parsed = _SourcesFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(_describe_error(raw, err) for err in exc.errors()[:10])
        raise SourceError(
            f"{path}: invalid source registry: {problems}",
            hint="each source needs id, country, title, url, format and licence",
        ) from None
    seen: set[str] = set()
    for source in parsed.sources:
        if source.id in seen:
            raise SourceError(f"{path}: source id {source.id!r} appears twice")
        seen.add(source.id)
    return SourceRegistry(tuple(parsed.sources))


def _describe_error(raw: object, err: ErrorDetails) -> str:
    """ "source 'ken-x' field url: ..." rather than "sources.3.url: ..."."""
    loc = list(err["loc"])
    where = ".".join(str(p) for p in loc)
    if len(loc) >= 2 and loc[0] == "sources" and isinstance(raw, dict):
        entries = raw.get("sources")
        index = loc[1]
        if isinstance(entries, list) and isinstance(index, int) and index < len(entries):
            entry = entries[index]
            name = entry.get("id", index) if isinstance(entry, dict) else index
            where = f"source {name!r} field {'.'.join(str(p) for p in loc[2:]) or '(entry)'}"
    return f"{where}: {err['msg']}"


def check_url(url: str) -> None:
    """Only absolute http(s) URLs: no file://, ftp://, data: or relative paths."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an http(s) URL")


@dataclass(frozen=True)
class FetchResult:
    """What was downloaded, where it is, and the provenance to store with it."""

    path: Path
    sha256: str
    content_type: str | None
    retrieved_at: datetime
    url: str  # after redirects
    size: int
    requested_url: str
    source_id: str | None = None
    format: str | None = None


def fetch(
    source: Source | str,
    dest_dir: Path,
    *,
    client: httpx.Client | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int | None = None,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    deadline: float | None = None,
    filename: str | None = None,
) -> FetchResult:
    """Download ``source`` into ``dest_dir`` and return its provenance.

    ``source`` is a registry entry or a bare http(s) URL (then any of the
    readable formats is accepted). ``timeout`` bounds connecting and each
    read; ``deadline`` (default 10 x timeout) bounds the whole download, so
    a server trickling bytes cannot hold us forever. ``max_bytes`` defaults
    to the ingest file limit (``TREATYWATCH_MAX_FILE_MB``, 50 MB). The file
    is written as ``filename`` or ``<source id>.<ext>``, replacing any
    earlier download atomically. Raises :class:`FetchError`.
    """
    url = source.url if isinstance(source, Source) else source
    fmt: str | None = source.format if isinstance(source, Source) else None
    try:
        check_url(url)
    except ValueError:
        raise FetchError(
            url, "only http and https URLs can be fetched", hint="give an http(s) URL"
        ) from None
    limit = resolve_max_bytes(max_bytes)
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    total = deadline if deadline is not None else timeout * 10
    own_client = client is None
    http = client or httpx.Client(
        follow_redirects=True,
        max_redirects=max_redirects,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT},
    )
    try:
        return _download(source, url, fmt, dest_dir, http, timeout, total, limit, filename)
    finally:
        if own_client:
            http.close()


def _download(
    source: Source | str,
    url: str,
    fmt: str | None,
    dest_dir: Path,
    http: httpx.Client,
    timeout: float,
    total: float,
    limit: int,
    filename: str | None,
) -> FetchResult:
    started = time.monotonic()
    part: Path | None = None
    try:
        with http.stream(
            "GET", url, follow_redirects=True, timeout=httpx.Timeout(timeout)
        ) as response:
            final_url = str(response.url)
            if response.status_code >= 400:
                raise FetchError(
                    url,
                    f"HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                    hint="check the URL in the source registry; the page may have moved",
                )
            if response.status_code >= 300:
                raise FetchError(url, f"HTTP {response.status_code} redirect was not followed")
            content_type = _media_type(response.headers.get("content-type"))
            if fmt is not None and content_type and content_type not in CONTENT_TYPES[fmt]:
                raise FetchError(
                    url,
                    f"wrong content type: expected {fmt.upper()}, the server sent {content_type}",
                    hint="the URL may now serve a landing or error page; update the registry",
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise _too_big(url, int(declared), limit)
            handle, name = tempfile.mkstemp(dir=dest_dir, prefix=".fetch-", suffix=".part")
            part = Path(name)
            digest = hashlib.sha256()
            size = 0
            head = b""
            with os.fdopen(handle, "wb") as out:
                for chunk in response.iter_bytes():  # as received, so the deadline is checked often
                    size += len(chunk)
                    if size > limit:
                        raise _too_big(url, size, limit, streaming=True)
                    if time.monotonic() - started > total:
                        raise FetchError(
                            url,
                            f"download took longer than {total:g} s; aborted",
                            hint="the server is too slow; try again later or raise the deadline",
                        )
                    if len(head) < 8192:
                        head += chunk[: 8192 - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
        if size == 0:
            raise FetchError(url, "the server sent an empty response")
        found = sniff(head)
        fmt = _confirm_format(url, fmt, found, content_type)
        target = dest_dir / (filename or _default_name(source, final_url, fmt))
        os.replace(part, target)
        part = None
        return FetchResult(
            path=target,
            sha256=digest.hexdigest(),
            content_type=content_type,
            retrieved_at=datetime.now(UTC),
            url=final_url,
            size=size,
            requested_url=url,
            source_id=source.id if isinstance(source, Source) else None,
            format=fmt,
        )
    except httpx.TimeoutException:
        raise FetchError(
            url,
            f"timed out (no response within {timeout:g} s)",
            hint="the server may be down or slow; try again later or raise the timeout",
        ) from None
    except httpx.TooManyRedirects:
        raise FetchError(url, "too many redirects (a redirect loop?)") from None
    except httpx.UnsupportedProtocol:
        raise FetchError(url, "redirected to a non-http(s) URL; refused") from None
    except httpx.HTTPError as exc:
        raise FetchError(
            url, f"download failed ({type(exc).__name__}: {exc})", hint="check the network"
        ) from None
    finally:
        if part is not None:
            part.unlink(missing_ok=True)


def _media_type(header: str | None) -> str | None:
    if not header:
        return None
    return header.split(";", 1)[0].strip().lower() or None


def _too_big(url: str, size: int, limit: int, *, streaming: bool = False) -> FetchError:
    what = f"more than {describe_size(limit)}" if streaming else describe_size(size)
    return FetchError(
        url,
        f"download is {what}; the limit is {describe_size(limit)}",
        hint="set TREATYWATCH_MAX_FILE_MB (or pass max_bytes) if the file is genuine",
    )


def _confirm_format(url: str, fmt: str | None, found: str | None, content_type: str | None) -> str:
    """The bytes must be what the registry (or, for a bare URL, the server) says."""
    if fmt is None:
        if found in EXTENSION:
            return found
        if found is None and content_type in ("text/plain", "text/markdown"):
            return "txt"
        if found is None and content_type in ("text/html", "application/xhtml+xml"):
            return "html"
        raise FetchError(url, f"the download is {describe(found)}, which no reader takes")
    compatible = {
        "pdf": found == "pdf",
        "docx": found == "docx",
        "akn": found == "akn",
        "json": found == "json",
        "html": found in ("html", None),
        "txt": found in (None, "json", "html"),
        "md": found in (None, "html"),
    }[fmt]
    if not compatible:
        raise FetchError(
            url,
            f"expected {fmt.upper()} but the content is {describe(found)}",
            hint="the server may have sent an error or login page; open the URL in a browser",
        )
    return fmt


def _default_name(source: Source | str, final_url: str, fmt: str) -> str:
    if isinstance(source, Source):
        return f"{source.id}.{EXTENSION[fmt]}"
    stem = Path(unquote(urlsplit(final_url).path)).name
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in stem).strip(".-")
    if not safe:
        safe = "download"
    if not safe.lower().endswith(f".{EXTENSION[fmt]}"):
        safe = f"{safe}.{EXTENSION[fmt]}"
    return safe[:120]
