"""Catalogue and store: load/validate, init, and full-text search."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

from benchmarks.harness import Comparison, measure
from treatywatch.catalogue import Catalogue
from treatywatch.catalogue.loader import DEFAULT_DATA_DIR
from treatywatch.store import init_store, session_scope
from treatywatch.store.db import dispose_engines
from treatywatch.store.search_index import search

QUERIES = [
    "real-time traffic data",
    "interception",
    "illegal access",
    "dual criminality",
    "acces frauduleux",
]


def run() -> list[Comparison]:
    results = []
    files = sorted(DEFAULT_DATA_DIR.glob("*.yaml"))
    results.append(
        Comparison(
            "catalogue",
            "load + validate all YAML",
            measure("Catalogue.load", lambda: Catalogue.load(DEFAULT_DATA_DIR)),
            measure(
                "pure-Python yaml.safe_load", lambda: [yaml.safe_load(f.read_text()) for f in files]
            ),
            "libyaml + validation vs naive parse",
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        first = measure("init (fresh store)", lambda: _fresh_init(tmp), repeat=3)
        init_store(url)
        again = measure("init (unchanged)", lambda: init_store(url))
        results.append(
            Comparison("store", "init re-run vs fresh init", again, first, "idempotent no-op")
        )

        catalogue = Catalogue.load()

        def fts() -> None:
            with session_scope(url) as s:
                for q in QUERIES:
                    search(s, q)

        def scan() -> None:
            for q in QUERIES:
                words = q.lower().split()
                hits = [a for a in catalogue if all(w in _text(a).lower() for w in words)]
                hits.sort(key=lambda a: -sum(_text(a).lower().count(w) for w in words))

        results.append(
            Comparison(
                "search",
                f"{len(QUERIES)} ranked queries",
                measure("FTS5 + rerank", fts),
                measure("Python substring scan", scan),
                "scan finds no accent-folded or ranked matches",
            )
        )
        dispose_engines()
    return results


def _fresh_init(tmp: str) -> None:
    path = Path(tmp) / "fresh.db"
    dispose_engines()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    init_store(f"sqlite:///{path}")


def _text(article: object) -> str:
    from treatywatch.catalogue import Article

    assert isinstance(article, Article)
    return " ".join([article.title, article.summary, *article.all_keywords])
