"""Export a stored version in a format other tools read (JSON or Akoma Ntoso)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from treatywatch.errors import TreatywatchError
from treatywatch.ingest.documents import VersionInfo, load_version
from treatywatch.ingest.export_akn import to_akn
from treatywatch.ingest.export_json import to_json
from treatywatch.ingest.model import Segmentation
from treatywatch.store import session_scope

EXPORTERS: dict[str, tuple[str, Callable[[VersionInfo, Segmentation], bytes]]] = {
    "json": (".json", lambda info, tree: to_json(info, tree).encode("utf-8")),
    "akn": (".akn.xml", to_akn),
}


def _exporter(fmt: str) -> tuple[str, Callable[[VersionInfo, Segmentation], bytes]]:
    if fmt not in EXPORTERS:
        raise TreatywatchError(
            f"unknown export format {fmt!r}", hint=f"choose one of: {', '.join(EXPORTERS)}"
        )
    return EXPORTERS[fmt]


def export_version(ref: str, fmt: str, *, url: str | None = None) -> bytes:
    """The bytes of one version (``DOC`` = latest, ``DOC@DATE``) in ``fmt``."""
    _suffix, render = _exporter(fmt)
    with session_scope(url) as session:
        info, tree = load_version(session, ref)
    return render(info, tree)


def export_file_name(info: VersionInfo, fmt: str) -> str:
    """``ken_act_2018_5@2024-03-01.akn.xml``: one flat, readable file name per version."""
    suffix, _render = _exporter(fmt)
    return f"{info.document_id.replace('/', '_')}@{info.date.isoformat()}{suffix}"


def export_to(
    directory: Path, ref: str, formats: tuple[str, ...] = ("json", "akn"), *, url: str | None = None
) -> list[Path]:
    """Write one version in each format into ``directory``; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    with session_scope(url) as session:
        info, tree = load_version(session, ref)
    written = []
    for fmt in formats:
        _suffix, render = _exporter(fmt)
        path = directory / export_file_name(info, fmt)
        path.write_bytes(render(info, tree))
        written.append(path)
    return written
