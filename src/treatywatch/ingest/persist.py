"""A segmentation as store rows, and back.

The provision tree of one version is stored in the ``provisions`` table:

- containers (part, chapter, title, ...) are rows at depth 0, linked to the
  container they sit in by ``parent_id``;
- top-level provisions (sections/articles) are at depth 1, linked to their
  innermost container; their sub-provisions at depth 2, 3, ... linked to the
  node above them;
- ``ordinal`` is document order over all rows, so one ``ORDER BY ordinal``
  gives the law as printed, containers first.

Reading the rows back (:func:`read_segmentation`) gives the same
:class:`Segmentation` the segmenter produced, which is what exports and
diffs work from: they never need to know how the tree is stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.orm import Session

from treatywatch.ingest.model import Container, ProvisionNode, Segmentation
from treatywatch.store.models import Base

CONTAINER_DEPTH = 0
PROVISIONS = Base.metadata.tables["provisions"]
MAX_PATH = 300
MAX_LABEL = 60
MAX_UNIT = 30
# Control characters other than newline and tab never belong in law text;
# they come from broken encodings or binary junk and upset terminals.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str | None) -> str:
    return _CONTROL_RE.sub("", text or "")


@dataclass(frozen=True)
class FlatNode:
    """One node in document order, as the CLI and exports list it.

    ``container_path`` is the path of the container a top-level provision
    sits in (resolved from whatever name the segmenter gave), else None.
    """

    node: ProvisionNode
    depth: int
    parent_path: str | None
    container_path: str | None = None


def flatten(segmentation: Segmentation) -> Iterator[FlatNode]:
    """Every provision node in document order with its depth (top level = 1)."""

    def walk(node: ProvisionNode, depth: int, parent: str | None) -> Iterator[FlatNode]:
        yield FlatNode(node, depth, parent)
        for child in node.children:
            yield from walk(child, depth + 1, node.path)

    for top in segmentation.provisions:
        yield from walk(top, 1, None)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _names(container: Container) -> set[str]:
    names = {container.path, container.heading or "", container.label or ""}
    if container.label:
        names.add(f"{container.unit} {container.label}")
    return {_key(n) for n in names if n}


def assign_containers(segmentation: Segmentation) -> list[Container | None]:
    """The container of each top-level provision, in order.

    The segmenter records the container's path in
    ``details["container_path"]``; otherwise (pre-segmented sources, older
    trees) the provision names it by path or printed heading ("Part III").
    Headings can repeat (Budapest has a "Section 1" in two
    chapters), so the match is searched from the previous provision's
    container onwards, then backwards: the nearest container in document
    order wins.
    """
    names = [_names(c) for c in segmentation.containers]
    index = {c.path: i for i, c in enumerate(segmentation.containers)}
    pointer = 0
    out: list[Container | None] = []
    for provision in segmentation.provisions:
        found: int | None = index.get(str(provision.details.get("container_path")))
        if found is None and provision.container:
            key = _key(provision.container)
            forward = range(pointer, len(names))
            backward = range(pointer - 1, -1, -1)
            found = next((i for i in (*forward, *backward) if key in names[i]), None)
        if found is not None:
            pointer = found
        out.append(segmentation.containers[found] if found is not None else None)
    return out


def document_order(segmentation: Segmentation) -> list[Container | FlatNode]:
    """Containers and provisions merged in printed order.

    Containers are listed in order too, so a container is placed just
    before the first provision it holds; empty containers keep their place
    between their neighbours.
    """
    position = {c.path: i for i, c in enumerate(segmentation.containers)}
    owners = iter(assign_containers(segmentation))
    emitted = 0
    out: list[Container | FlatNode] = []
    for flat in flatten(segmentation):
        if flat.depth == 1:
            container = next(owners)
            if container is not None:
                flat = FlatNode(flat.node, flat.depth, flat.parent_path, container.path)
                until = position[container.path] + 1
                while emitted < until:
                    out.append(segmentation.containers[emitted])
                    emitted += 1
        out.append(flat)
    out.extend(segmentation.containers[emitted:])
    return out


def make_paths_unique(segmentation: Segmentation) -> list[str]:
    """Rename repeated paths (``sec-5`` twice → ``sec-5_2``), returning warnings.

    A scrape can print a section twice; the store needs unique paths within
    a version, and renaming (rather than dropping) keeps the text visible
    for review. Descendants follow their renamed ancestor.
    """
    warnings: list[str] = []
    seen = {c.path for c in segmentation.containers}

    def visit(node: ProvisionNode, old_prefix: str, new_prefix: str) -> None:
        path = node.path
        if old_prefix != new_prefix and path.startswith(old_prefix):
            path = new_prefix + path[len(old_prefix) :]
        if not path:
            path = "node"
        if path in seen:
            n = 2
            while f"{path}_{n}" in seen:
                n += 1
            warnings.append(f"provision path {path!r} appears more than once; stored as {path}_{n}")
            renamed = f"{path}_{n}"
        else:
            renamed = path
        seen.add(renamed)
        original = node.path
        node.path = renamed
        for child in node.children:
            visit(child, original, renamed)

    for top in segmentation.provisions:
        visit(top, top.path, top.path)
    return warnings


_NOT_PLAIN = object()
_SCALARS = (str, bool, int, float)


def _plain(value: Any) -> Any:
    """``value`` as JSON would give it back, or _NOT_PLAIN when only a JSON round
    trip can say (non-string keys, objects turned into strings by ``default``)."""
    if value is None or type(value) in _SCALARS:
        return value
    if type(value) is dict:
        out: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                return _NOT_PLAIN
            plain = _plain(item)
            if plain is _NOT_PLAIN:
                return _NOT_PLAIN
            out[key] = plain
        return out
    if type(value) in (list, tuple):
        items = []
        for item in value:
            plain = _plain(item)
            if plain is _NOT_PLAIN:
                return _NOT_PLAIN
            items.append(plain)
        return items
    return _NOT_PLAIN


def _json_safe(details: dict[str, Any]) -> dict[str, Any]:
    # Details are almost always plain JSON already: copying them directly gives the
    # same result as the encode/decode round trip at a fraction of the cost.
    plain = _plain(details)
    if plain is not _NOT_PLAIN:
        copied: dict[str, Any] = plain
        return copied
    safe: dict[str, Any] = json.loads(json.dumps(details, default=str))
    return safe


def _clip(value: str | None, limit: int) -> str | None:
    return value if value is None or len(value) <= limit else value[: limit - 1] + "…"


def write_provisions(session: Session, version_id: int, segmentation: Segmentation) -> int:
    """Insert the tree's rows for one version (in the caller's transaction)."""
    return insert_provisions(session, version_id, segmentation)[0]


def insert_provisions(
    session: Session, version_id: int, segmentation: Segmentation, *, unique: bool = False
) -> tuple[int, list[dict[str, Any]] | None]:
    """Insert the tree's rows for one version; return their count and the rows as
    stored (with ``id`` and ``parent_id``, in document order), so the search index
    can be built without reading them back. The rows are ``None`` when two nodes
    share a stored path and only a read-back can tell their ids apart.

    On SQLite the ids are chosen up front (the store gives a new row the
    largest id plus one, and the transaction that wrote the version row
    holds the write lock, so they are the ids it would have given), and one
    INSERT stores every row with its parent. (Called outside such a
    transaction, a concurrent writer can only make the INSERT fail on its
    primary key, never store a wrong link.) Elsewhere three statements do, whatever the size of
    the law: one multi-row INSERT of every node, one SELECT of the ids the
    store gave them, and one batched UPDATE linking each node to its parent.
    (``INSERT ... RETURNING`` per tree level would need ordered RETURNING,
    which SQLite only offers a row at a time.)

    ``unique`` says the caller has run :func:`make_paths_unique` already.
    """
    if not unique:
        segmentation.warnings.extend(make_paths_unique(segmentation))
    entries = _entries(version_id, segmentation)
    connection = session.connection()  # Core: no ORM bookkeeping for rows we never reload
    if connection.dialect.name == "sqlite":
        return len(entries), _insert_with_ids(connection, entries)
    return _insert_then_link(connection, version_id, entries)


# (row, parent path, path as the segmenter gave it), in document order
_Entry = tuple[dict[str, Any], str | None, str]


def _entries(version_id: int, segmentation: Segmentation) -> list[_Entry]:
    entries: list[_Entry] = []
    for ordinal, item in enumerate(document_order(segmentation)):
        if isinstance(item, Container):
            row: dict[str, Any] = {
                "path": item.path,
                "depth": CONTAINER_DEPTH,
                "unit": item.unit,
                "label": item.label,
                "heading": item.heading,
                "container": None,
                "kind": "container",
                "text": "",
                "details": {},
            }
            parent_path = item.parent_path
        else:
            node = item.node
            row = {
                "path": node.path,
                "depth": item.depth,
                "unit": node.unit,
                "label": node.label,
                "heading": node.heading,
                "container": node.container,
                "kind": node.kind,
                "text": clean_text(node.text),
                "details": node.details,  # made JSON-safe by whichever insert stores it
            }
            parent_path = item.container_path if item.depth == 1 else item.parent_path
        original_path = str(row["path"])
        row.update(
            version_id=version_id,
            ordinal=ordinal,
            parent_id=None,
            path=_clip(row["path"], MAX_PATH),
            unit=_clip(row["unit"], MAX_UNIT),
            label=_clip(row["label"], MAX_LABEL),
            heading=clean_text(row["heading"]) or None,
        )
        entries.append((row, parent_path, original_path))
    return entries


def _insert_with_ids(connection: Connection, entries: list[_Entry]) -> list[dict[str, Any]]:
    """SQLite: the rows with their ids and parents in one executemany at the driver.

    Handing the driver plain lists skips SQLAlchemy's per-row parameter
    handling (the rows are known to be complete); each value still goes
    through its column type's processor, so the stored values are the ones
    the Core INSERT stores. A node's details are encoded as they are, not
    through :func:`_json_safe`'s copy: every enrichment writes plain JSON
    (string keys; strings, numbers, lists, dicts), for which the two give
    the same text, and details the encoder refuses still go through the copy.
    """
    table = PROVISIONS
    last = connection.exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar()
    id_of = {path: (last or 0) + 1 + index for index, (_row, _parent, path) in enumerate(entries)}
    rows: list[dict[str, Any]] = []
    for row, parent, path in entries:
        row["id"] = id_of[path]
        row["parent_id"] = id_of[parent] if parent and parent in id_of else None
        rows.append(row)
    if not rows:
        return rows
    columns = [column for column in table.columns if column.name in rows[0]]
    names = [column.name for column in columns]
    dialect = connection.dialect
    processors = [
        (position, process)
        for position, column in enumerate(columns)
        if (process := column.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    take = itemgetter(*names)
    values = []
    for row in rows:
        value = list(take(row))
        for position, process in processors:
            try:
                value[position] = process(value[position])
            except (TypeError, ValueError):  # details the JSON encoder refuses
                value[position] = process(_json_safe(value[position]))
        values.append(tuple(value))
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        values,
    )
    return rows


def _insert_then_link(
    connection: Connection, version_id: int, entries: list[_Entry]
) -> tuple[int, list[dict[str, Any]] | None]:
    table = PROVISIONS
    connection.execute(
        insert(table),
        [{**row, "details": _json_safe(row["details"])} for row, _parent, _path in entries],
    )
    stored = connection.execute(
        select(table.c.path, table.c.id).where(table.c.version_id == version_id)
    ).all()
    id_by_stored_path: dict[str, int] = {r.path: r.id for r in stored}
    id_of = {path: id_by_stored_path[str(row["path"])] for row, _parent, path in entries}
    links = [
        {"row_id": id_of[path], "parent": id_of[parent]}
        for _row, parent, path in entries
        if parent and parent in id_of
    ]
    if links:
        connection.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(parent_id=bindparam("parent")),
            links,
        )
    if len(stored) != len(entries) or len(id_by_stored_path) != len(entries):
        return len(id_of), None
    rows: list[dict[str, Any]] = []
    for row, parent, path in entries:
        row["id"] = id_of[path]
        row["parent_id"] = id_of[parent] if parent and parent in id_of else None
        rows.append(row)
    return len(id_of), rows


def read_segmentation(session: Session, version_id: int) -> Segmentation:
    """The stored tree of one version, as the segmenter's record type."""
    table = PROVISIONS
    rows = session.execute(
        select(table).where(table.c.version_id == version_id).order_by(table.c.ordinal)
    ).all()
    by_id = {row.id: row for row in rows}
    nodes: dict[int, ProvisionNode] = {}
    containers: list[Container] = []
    provisions: list[ProvisionNode] = []
    for row in rows:
        if row.depth == CONTAINER_DEPTH:
            parent = by_id.get(row.parent_id) if row.parent_id else None
            containers.append(
                Container(
                    unit=row.unit,
                    label=row.label,
                    heading=row.heading,
                    path=row.path,
                    parent_path=parent.path if parent is not None else None,
                )
            )
            continue
        node = ProvisionNode(
            unit=row.unit,
            label=row.label,
            heading=row.heading,
            text=row.text,
            path=row.path,
            kind=row.kind,
            container=row.container,
            details=dict(row.details or {}),
        )
        nodes[row.id] = node
        parent_node = nodes.get(row.parent_id) if row.parent_id else None
        if row.depth == 1 or parent_node is None:
            provisions.append(node)
        else:
            parent_node.children.append(node)
    return Segmentation(provisions=provisions, containers=containers)


def provision_records(segmentation: Segmentation) -> list[dict[str, Any]]:
    """The ``provisions`` list of ``treatywatch ingest --json``: every node, in order."""
    return [
        {
            "path": flat.node.path,
            "label": flat.node.label,
            "heading": flat.node.heading,
            "kind": flat.node.kind,
            "depth": flat.depth,
        }
        for flat in flatten(segmentation)
    ]


def container_records(segmentation: Segmentation) -> list[dict[str, Any]]:
    return [
        {
            "path": c.path,
            "unit": c.unit,
            "label": c.label,
            "heading": c.heading,
            "parent": c.parent_path,
        }
        for c in segmentation.containers
    ]
