"""Web load test: page latency under concurrent readers and writers, on SQLite and PostgreSQL.

Issue 8's target: on loopback, with 50 concurrent readers fetching
article, provision and country pages while 4 writers review alignments
through the API (bearer tokens), p95 < 50 ms per page type, 0 errors and 0
lost writes, on a store holding 100 countries × 300 provisions.

Two load models are run, because "50 concurrent readers" means two things:

- **people reading** (the target rows): each of the 50 readers loads a
  page, reads it for 0.5–1.5 s (uniform, mean 1 s) and loads the next —
  the virtual-user model of load tools such as Locust or JMeter;
- **closed loop** (capacity, reported beside them): the same 50 readers
  with no pause at all, every reader always waiting on the server. This
  measures throughput; its latency is bounded below by Little's law
  (50 readers ÷ requests per second), whatever the pages cost.

In both, the 4 writers review for the whole run, one review a second
each (back to back if the server is slower), so every page type is read
while its data keeps changing and cached pages keep being invalidated.

How it is measured:

- a synthetic store is generated straight into the tables with
  SQLAlchemy Core (one multi-row INSERT per table per country), so building
  30,000 provisions takes seconds, not the hours the real pipeline would;
- a real ``uvicorn`` serves it from a subprocess (several workers: SQLite
  in WAL mode lets readers run beside the one writer and the busy timeout
  queues writers; PostgreSQL takes concurrent writers natively);
- the load is ``httpx.AsyncClient`` tasks in one event loop, bounded by a
  request count *and* a time limit so a slow server cannot hang ``make
  bench``; latency is wall time from send to last body byte, so it includes
  the client's own scheduling on this shared 2-core machine (it is an upper
  bound on what the server needs);
- the baseline is ``/health`` fetched by the same readers in the same run,
  so "page vs. health" separates page cost from the machine's noise;
- every acknowledged review (2xx) is then looked up in the store: the
  alignment must carry the writer's decision and reviewer, and the audit
  log must hold that writer's row for it. Anything missing is a lost write.

The synthetic data: the countries reuse the ledger's State codes because
the country pages resolve a code through the ledger (which only knows real
codes and four sample codes), but every law in this store is invented by
this file, is titled "SYNTHETIC BENCHMARK LAW", says so in its first
provision, and lives in a temporary store deleted after the run. None of
it is the law of any State.

Run alone with ``python -m benchmarks.bench_web`` (options:
``--countries``, ``--provisions``, ``--reads``, ``--backend``); PostgreSQL
runs when ``TREATYWATCH_BENCH_POSTGRES_URL`` (or
``TREATYWATCH_TEST_POSTGRES_URL``) names a *scratch* database — its
public schema is dropped and rebuilt.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, insert, select, text

from benchmarks.harness import Comparison, Measurement
from treatywatch.ledger.jurisdictions import ensure_jurisdiction, known_jurisdictions
from treatywatch.store import init_store, session_scope
from treatywatch.store.db import dispose_engines
from treatywatch.store.models import (
    AlignmentRow,
    AlignmentRunRow,
    ArticleRow,
    AuditLogRow,
    Base,
    CriterionRow,
    DocumentRow,
    DocumentVersionRow,
)

SUITE = "web"
COUNTRIES = 100
PROVISIONS = 300
READERS = 50
WRITERS = 4
READS = 4000
WRITES_PER_WRITER = 5000
"""Upper bound on one writer's reviews; in practice the run's end stops them."""
WRITER_PAUSE_S = 1.0
TIME_LIMIT_S = 120.0
THINK_S = 1.0
"""Mean pause between one reader's requests (uniform over 0.5×–1.5×): people
reading pages. 0 is the closed loop (see the module docstring)."""
CLOSED_LOOP_READS = 3000
UNLOADED_SAMPLES = 20
TARGET_P95_MS = 50.0
VERSION_DATE = dt.date(2025, 1, 1)
PAGE_MIX = {"article": 3, "provision": 3, "country": 3, "health": 1}
"""Relative share of each page type in the readers' requests (health: the baseline)."""
REVIEW_PATH = "/api/v1/alignments/{id}/{action}"
"""The API route writers use to accept or reject an alignment (bearer token)."""
WRITER_PASSWORD = "bench-writer-password-7c1d"

PROVISIONS_T = Base.metadata.tables["provisions"]
ALIGNMENTS_T = Base.metadata.tables["alignments"]
FINDINGS_T = Base.metadata.tables["findings"]

# Sentence bank for synthetic provisions: cybercrime-law phrasing so the pages
# (evidence highlighting, headings) look like the real thing.
HEADINGS = (
    ("Illegal access", "accesses a computer system without right", "uncc/art-7"),
    ("Illegal interception", "intercepts computer data by technical means", "uncc/art-8"),
    ("Interference with data", "damages, deletes or alters computer data", "uncc/art-9"),
    ("Interference with systems", "seriously hinders the functioning of a system", "uncc/art-10"),
    ("Misuse of devices", "produces or sells a device designed for an offence", "uncc/art-11"),
    (
        "Computer-related forgery",
        "inputs computer data resulting in inauthentic data",
        "uncc/art-12",
    ),
    ("Computer-related fraud", "causes a loss of property by altering data", "uncc/art-13"),
    ("Expedited preservation", "orders the preservation of stored computer data", "uncc/art-25"),
    ("Production order", "orders a person to submit specified computer data", "uncc/art-27"),
    ("Search and seizure", "searches a computer system and seizes computer data", "uncc/art-28"),
    ("Real-time collection", "collects traffic data in real time", "uncc/art-29"),
    (
        "Interception of content",
        "intercepts content data of specified communications",
        "uncc/art-30",
    ),
)
FILLER = (
    "The penalty is imprisonment for a term not exceeding {n} years or a fine.",
    "An authorised officer acts under a warrant issued by a judge.",
    "The order states the grounds and the period for which it applies.",
    "The measure is subject to conditions and safeguards provided by law.",
    "A person aggrieved may apply to the court for review of the order.",
)


@dataclass(frozen=True)
class SyntheticStore:
    url: str
    countries: list[str]
    provision_refs: list[str]  # site paths of provision pages
    articles: list[str]
    review_ids: list[list[int]]  # disjoint alignment ids per writer


def _provision_text(rng: random.Random, n: int, country: str) -> tuple[str, str, str, str]:
    heading, act, article = HEADINGS[n % len(HEADINGS)]
    body = f"A person who intentionally {act} commits an offence. " + " ".join(
        rng.choice(FILLER).format(n=rng.randint(1, 10)) for _ in range(rng.randint(2, 4))
    )
    if n == 1:
        body = (
            "SYNTHETIC BENCHMARK TEXT written by treatywatch's load test; "
            f"not the law of any State (store key {country}). " + body
        )
    return heading, body, act, article


def _evidence(heading: str, body: str, act: str) -> dict[str, Any]:
    full = f"{heading}\n{body}"
    start = full.index(act)
    return {
        "signals": [
            {
                "method": "lexical",
                "strength": 0.8,
                "terms": [act],
                "catalogue_terms": [act],
                "spans": [{"start": start, "end": start + len(act), "text": act}],
                "note": "synthetic benchmark evidence",
            }
        ],
        "shortlist": [],
    }


def generate_store(
    url: str, *, countries: int = COUNTRIES, provisions: int = PROVISIONS, seed: int = 8
) -> SyntheticStore:
    """Build the synthetic store: ``countries`` laws of ``provisions`` sections each,
    two suggested alignments per section and one finding per criterion per law."""
    init_store(url)
    rng = random.Random(seed)
    codes = [j.code for j in known_jurisdictions(["member"])][:countries]
    refs: list[str] = []
    with session_scope(url) as session:
        article_ids = list(
            session.scalars(select(ArticleRow.id).where(ArticleRow.instrument_id == "uncc"))
        )
        criteria = list(session.scalars(select(CriterionRow.id)))
        for code in codes:
            ensure_jurisdiction(session, code)
        session.flush()
        connection = session.connection()
        for index, code in enumerate(codes, 1):
            doc_id = f"{code.lower()}/act/2025/synthetic-benchmark-{index:03d}"
            session.add(
                DocumentRow(
                    id=doc_id,
                    jurisdiction_code=code,
                    title=f"SYNTHETIC BENCHMARK LAW {index:03d} (fictional load-test data)",
                    language="en",
                )
            )
            version = DocumentVersionRow(
                document_id=doc_id,
                version_date=VERSION_DATE,
                language="en",
                sha256=hashlib.sha256(doc_id.encode()).hexdigest(),
                source_format="txt",
                details={"synthetic": True},
            )
            session.add(version)
            session.flush()
            rows: list[dict[str, Any]] = []
            links: list[tuple[str, str, str, str, str]] = []
            for n in range(1, provisions + 1):
                heading, body, act, article = _provision_text(rng, n, code)
                rows.append(
                    {
                        "version_id": version.id,
                        "parent_id": None,
                        "path": f"sec-{n}",
                        "ordinal": n,
                        "depth": 1,
                        "unit": "section",
                        "label": str(n),
                        "heading": heading,
                        "container": None,
                        "kind": "provision",
                        "text": body,
                        "details": {},
                    }
                )
                links.append((f"sec-{n}", heading, body, act, article))
            connection.execute(insert(PROVISIONS_T), rows)
            ids: dict[str, int] = dict(
                connection.execute(
                    select(PROVISIONS_T.c.path, PROVISIONS_T.c.id).where(
                        PROVISIONS_T.c.version_id == version.id
                    )
                ).all()
            )
            alignments = []
            for path, heading, body, act, article in links:
                other = rng.choice([a for a in article_ids if a != article])
                for rank, (target, score) in enumerate(
                    ((article, rng.uniform(0.6, 0.95)), (other, rng.uniform(0.2, 0.5))), 1
                ):
                    alignments.append(
                        {
                            "provision_id": ids[path],
                            "article_id": target,
                            "rank": rank,
                            "score": round(score, 4),
                            "methods": ["lexical"],
                            "evidence": _evidence(heading, body, act) if rank == 1 else {},
                            "status": "suggested",
                            "engine_version": "synthetic-bench",
                        }
                    )
            connection.execute(insert(ALIGNMENTS_T), alignments)
            session.add(
                AlignmentRunRow(
                    version_id=version.id,
                    engine_version="synthetic-bench",
                    methods=["lexical"],
                    provision_count=provisions,
                    suggested=len(alignments),
                )
            )
            connection.execute(
                insert(FINDINGS_T),
                [
                    {
                        "version_id": version.id,
                        "criterion_id": criterion,
                        "provision_id": ids[f"sec-{1 + (i % provisions)}"],
                        "status": rng.choice(("meets", "partly", "fails")),
                        "severity": rng.choice(("low", "medium", "high")),
                        "explanation": "Synthetic benchmark finding.",
                        "evidence": [],
                        "detector": "synthetic-bench",
                        "review_status": "suggested",
                    }
                    for i, criterion in enumerate(criteria)
                ],
            )
            refs.extend(
                f"/documents/{doc_id}@{VERSION_DATE.isoformat()}/provisions/sec-{n}"
                for n in range(1, provisions + 1)
            )
        pending = list(
            session.scalars(
                select(AlignmentRow.id).where(AlignmentRow.status == "suggested").limit(20000)
            )
        )
    rng.shuffle(pending)
    per_writer = [pending[i::WRITERS] for i in range(WRITERS)]
    return SyntheticStore(url, codes, refs, article_ids, per_writer)


def add_writers(url: str) -> list[tuple[str, str]]:
    """Analyst accounts for the writers, created through the app's account functions."""
    from treatywatch.web.auth.users import add_user, issue_token

    out = []
    with session_scope(url) as session:
        for n in range(1, WRITERS + 1):
            name = f"bench-writer-{n}"
            add_user(session, name, role="analyst", password=WRITER_PASSWORD, actor="bench")
            out.append((name, issue_token(session, name, actor="bench")))
    return out


# --- the server -------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(
    url: str, data_dir: Path, workers: int, *, stock: bool = False
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """uvicorn over ``url`` in a subprocess; yields (base URL, process).

    By default through :mod:`benchmarks.web_serve`, which keeps TCP_NODELAY on
    with several workers; ``stock`` runs plain ``uvicorn --workers N`` to show
    what that bug costs.
    """
    port = _free_port()
    env = dict(os.environ)
    env.update(
        TREATYWATCH_DATABASE_URL=url,
        TREATYWATCH_DATA_DIR=str(data_dir),
        TREATYWATCH_SECRET_KEY="bench-secret-key-not-for-production",
        TREATYWATCH_ANONYMOUS_READ="1",
    )
    if stock:
        command = [
            *(sys.executable, "-m", "uvicorn", "--factory", "treatywatch.web.app:create_app"),
            *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
            *("--no-access-log", "--log-level", "warning"),
        ]
    else:
        command = [sys.executable, "-m", "benchmarks.web_serve", str(port), str(workers)]
    log = (data_dir / "uvicorn.log").open("wb")
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).parents[1]
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "bench server did not start: " + (data_dir / "uvicorn.log").read_text()[-2000:]
                )
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        _wait_until_ready(base, workers, deadline)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_ready(base: str, workers: int, deadline: float) -> None:
    """Wait for every worker to build its start-up pages, as a load balancer would
    (``/health/ready`` answers 503 until then). Each probe opens a new connection,
    so the kernel hands probes to all workers; ten ready answers in a row per
    worker is taken as all of them ready."""
    streak = 0
    while streak < 10 * workers:
        if time.monotonic() > deadline:
            raise RuntimeError("bench server workers did not become ready")
        ready = httpx.get(base + "/health/ready", timeout=5).status_code == 200
        streak = streak + 1 if ready else 0
        if not ready:
            time.sleep(0.2)


def _rss_mb(pid: int) -> float:
    """Resident memory of the server and its worker processes (Linux /proc)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        status = Path(f"/proc/{p}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


# --- the load ------------------------------------------------------------------------


@dataclass
class LoadResult:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    acknowledged: list[tuple[str, int, str]] = field(default_factory=list)  # writer, id, status
    seconds: float = 0.0
    peak_rss_mb: float = 0.0


def _page_url(store: SyntheticStore, kind: str, rng: random.Random) -> str:
    if kind == "article":
        article = rng.choice(store.articles)
        return "/articles/" + article
    if kind == "provision":
        return rng.choice(store.provision_refs)
    if kind == "country":
        return "/countries/" + rng.choice(store.countries)
    return "/health"


async def _load(
    base: str,
    store: SyntheticStore,
    writers: list[tuple[str, str]],
    *,
    reads: int,
    writes_per_writer: int,
    time_limit: float,
    server_pid: int,
    think: float = THINK_S,
) -> LoadResult:
    result = LoadResult()
    kinds = [k for k, weight in PAGE_MIX.items() for _ in range(weight)]
    deadline = time.monotonic() + time_limit
    issued = 0
    # Idle pooled connections expire on the client before uvicorn's 5 s keep-alive
    # timeout closes them; otherwise a reused, just-closed connection is a
    # ReadError that says nothing about the app.
    limits = httpx.Limits(
        max_connections=READERS + WRITERS,
        max_keepalive_connections=READERS + WRITERS,
        keepalive_expiry=2.0,
    )

    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits) as client:

        async def reader(n: int) -> None:
            nonlocal issued
            rng = random.Random(1000 + n)
            if think:
                # People do not all arrive in the same millisecond: each reader starts
                # somewhere within the first pause, as a load tool's ramp-up would.
                await asyncio.sleep(rng.uniform(0, think))
            while issued < reads and time.monotonic() < deadline:
                issued += 1
                kind = rng.choice(kinds)
                url = _page_url(store, kind, rng)
                start = time.perf_counter()
                try:
                    response = await client.get(url)
                    elapsed = time.perf_counter() - start
                    if response.status_code != 200:
                        result.errors.append(f"GET {url}: {response.status_code}")
                        continue
                    result.latencies[kind].append(elapsed)
                except httpx.HTTPError as exc:
                    result.errors.append(f"GET {url}: {type(exc).__name__}")
                if think:
                    await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))

        async def writer(n: int) -> None:
            name, token = writers[n]
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            for i, alignment_id in enumerate(store.review_ids[n][:writes_per_writer]):
                if time.monotonic() >= deadline or issued >= reads:
                    return  # writers keep on for as long as the readers read
                if i:
                    await asyncio.sleep(WRITER_PAUSE_S)
                action = "accept" if i % 2 == 0 else "reject"
                url = REVIEW_PATH.format(id=alignment_id, action=action)
                start = time.perf_counter()
                try:
                    response = await client.post(url, headers=headers, json={})
                    elapsed = time.perf_counter() - start
                except httpx.HTTPError as exc:
                    result.errors.append(f"POST {url}: {type(exc).__name__}")
                    continue
                if 200 <= response.status_code < 300:
                    status = "accepted" if action == "accept" else "rejected"
                    result.acknowledged.append((name, alignment_id, status))
                    result.latencies["review (write)"].append(elapsed)
                else:
                    result.errors.append(
                        f"POST {url}: {response.status_code} {response.text[:200]}"
                    )

        async def sample_memory() -> None:
            while time.monotonic() < deadline and (issued < reads):
                result.peak_rss_mb = max(result.peak_rss_mb, _rss_mb(server_pid))
                await asyncio.sleep(0.5)

        started = time.perf_counter()
        await asyncio.gather(
            *(reader(n) for n in range(READERS)),
            *(writer(n) for n in range(len(writers))),
            sample_memory(),
        )
        result.seconds = time.perf_counter() - started
    return result


def lost_writes(url: str, acknowledged: list[tuple[str, int, str]]) -> list[str]:
    """Acknowledged reviews missing from the alignments table or the audit log."""
    lost = []
    with session_scope(url) as session:
        ids = [a for _w, a, _s in acknowledged]
        stored = {
            row.id: (row.status, row.reviewer)
            for row in session.scalars(select(AlignmentRow).where(AlignmentRow.id.in_(ids)))
        }
        audited = {
            (row.actor, row.entity_id)
            for row in session.scalars(
                select(AuditLogRow).where(AuditLogRow.actor.like("bench-writer-%"))
            )
        }
    for writer, alignment_id, status in acknowledged:
        if stored.get(alignment_id) != (status, writer):
            lost.append(f"alignment {alignment_id}: store has {stored.get(alignment_id)}")
        if (writer, str(alignment_id)) not in audited:
            lost.append(f"alignment {alignment_id}: no audit row by {writer}")
    return lost


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


@dataclass(frozen=True)
class BackendReport:
    backend: str
    workers: int
    result: LoadResult
    lost: list[str]
    store_seconds: float
    unloaded: dict[str, float]  # median ms of sequential requests before the load
    think: float

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for kind, values in sorted(self.result.latencies.items()):
            out.append(
                {
                    "backend": self.backend,
                    "page": kind,
                    "n": len(values),
                    "p50_ms": _percentile(values, 50) * 1000,
                    "p95_ms": _percentile(values, 95) * 1000,
                    "p99_ms": _percentile(values, 99) * 1000,
                }
            )
        return out


def run_backend(
    backend: str,
    url: str,
    data_dir: Path,
    *,
    countries: int,
    provisions: int,
    reads: int,
    writes_per_writer: int,
    workers: int,
    think: float = THINK_S,
    stock: bool = False,
) -> BackendReport:
    started = time.perf_counter()
    store = generate_store(url, countries=countries, provisions=provisions)
    writers = add_writers(url)
    store_seconds = time.perf_counter() - started
    dispose_engines()
    with serve(url, data_dir, workers, stock=stock) as (base, process):
        # warm-up: templates compiled, catalogue loaded, connections opened in each worker
        with httpx.Client(base_url=base, timeout=30) as client:
            for kind in ("article", "provision", "country", "health"):
                for _ in range(workers * 2):
                    client.get(_page_url(store, kind, random.Random(0)))
            unloaded = {}
            for kind in ("article", "provision", "country", "health"):
                rng = random.Random(7)
                times = []
                for _ in range(UNLOADED_SAMPLES):
                    start = time.perf_counter()
                    client.get(_page_url(store, kind, rng)).raise_for_status()
                    times.append(time.perf_counter() - start)
                unloaded[kind] = statistics.median(times) * 1000
        result = asyncio.run(
            _load(
                base,
                store,
                writers,
                reads=reads,
                writes_per_writer=writes_per_writer,
                time_limit=TIME_LIMIT_S,
                server_pid=process.pid,
                think=think,
            )
        )
    lost = lost_writes(url, result.acknowledged)
    dispose_engines()
    return BackendReport(backend, workers, result, lost, store_seconds, unloaded, think)


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def postgres_url() -> str | None:
    return os.environ.get("TREATYWATCH_BENCH_POSTGRES_URL") or os.environ.get(
        "TREATYWATCH_TEST_POSTGRES_URL"
    )


def run_all(
    *,
    backends: tuple[str, ...] = ("sqlite", "postgres"),
    countries: int = COUNTRIES,
    provisions: int = PROVISIONS,
    reads: int = READS,
    writes_per_writer: int = WRITES_PER_WRITER,
    workers: int = 2,
    think: float = THINK_S,
    stock: bool = False,
) -> list[BackendReport]:
    reports = []
    with tempfile.TemporaryDirectory(prefix="tw-bench-web-") as tmp:
        for backend in backends:
            data_dir = Path(tmp) / backend
            data_dir.mkdir()
            if backend == "sqlite":
                url = f"sqlite:///{data_dir / 'bench.db'}"
            else:
                pg = postgres_url()
                if not pg:
                    continue
                url = pg
                _reset_postgres(url)
            reports.append(
                run_backend(
                    backend,
                    url,
                    data_dir,
                    countries=countries,
                    provisions=provisions,
                    reads=reads,
                    writes_per_writer=writes_per_writer,
                    workers=workers,
                    think=think,
                    stock=stock,
                )
            )
            if backend == "postgres":
                _reset_postgres(url)
    return reports


def comparisons(reports: list[BackendReport]) -> list[Comparison]:
    out = []
    for report in reports:
        rows = {r["page"]: r for r in report.rows()}
        health = rows.get("health")
        baseline = Measurement(
            "/health p95 (same load)", (health["p95_ms"] if health else 0.0) / 1000, 0.0
        )
        reads = sum(len(v) for k, v in report.result.latencies.items() if k != "review (write)")
        rate = reads / max(report.result.seconds, 1e-9)
        for kind, row in rows.items():
            if kind == "health":
                continue
            if kind == "review (write)":
                verdict = "writes: no latency target"
            elif report.think:
                verdict = "ok" if row["p95_ms"] < TARGET_P95_MS else f"over {TARGET_P95_MS:.0f} ms"
            else:
                verdict = f"capacity {rate:.0f} req/s (no target: Little's law bounds latency)"
            out.append(
                Comparison(
                    SUITE,
                    f"{report.backend} ({report.workers} workers, {_load_name(report.think)}) "
                    + (kind if kind.startswith("review") else f"{kind} page"),
                    Measurement(
                        f"p95 of {row['n']}", row["p95_ms"] / 1000, report.result.peak_rss_mb
                    ),
                    baseline,
                    f"p50 {row['p50_ms']:.1f} / p95 {row['p95_ms']:.1f} / p99 "
                    f"{row['p99_ms']:.1f} ms (unloaded p50 "
                    f"{report.unloaded.get(kind, float('nan')):.1f}); {verdict}; "
                    f"errors {len(report.result.errors)}, "
                    f"lost writes {len(report.lost)}",
                )
            )
    return out


def _load_name(think: float) -> str:
    return f"people reading, think {think:g} s" if think else "closed loop"


def run() -> list[Comparison]:
    """The suite for ``python -m benchmarks``: people reading on both backends (the
    target), then the closed loop on SQLite for capacity (~6 minutes in all)."""
    reports = run_all()
    reports += run_all(backends=("sqlite",), think=0.0, reads=CLOSED_LOOP_READS)
    return comparisons(reports)


def print_reports(reports: list[BackendReport]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="treatywatch web load test (latency in ms, wall time at the client)")
    columns = ("backend", "load", "page", "unloaded p50", "n", "p50", "p95", "p99", "target")
    for column in columns:
        table.add_column(column)
    for report in reports:
        for row in report.rows():
            target = (
                ""
                if row["page"] in ("health", "review (write)") or not report.think
                else ("ok" if row["p95_ms"] < TARGET_P95_MS else "MISSED")
            )
            table.add_row(
                report.backend,
                _load_name(report.think),
                row["page"],
                f"{report.unloaded[row['page']]:.1f}" if row["page"] in report.unloaded else "",
                str(row["n"]),
                f"{row['p50_ms']:.1f}",
                f"{row['p95_ms']:.1f}",
                f"{row['p99_ms']:.1f}",
                target,
            )
    console = Console(width=160)
    console.print(table)
    for report in reports:
        reads = sum(len(v) for k, v in report.result.latencies.items() if k != "review (write)")
        console.print(
            f"{report.backend}: {reads} reads + {len(report.result.acknowledged)} reviews in "
            f"{report.result.seconds:.1f} s "
            f"({reads / max(report.result.seconds, 1e-9):.0f} req/s), "
            f"{report.workers} workers, think {report.think:g} s, "
            f"server RSS peak {report.result.peak_rss_mb:.0f} MB, "
            f"store built in {report.store_seconds:.1f} s; errors {len(report.result.errors)}, "
            f"lost writes {len(report.lost)}"
        )
        for line in (report.result.errors + report.lost)[:10]:
            console.print(f"  [red]{line}[/]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--countries", type=int, default=COUNTRIES)
    parser.add_argument("--provisions", type=int, default=PROVISIONS)
    parser.add_argument("--reads", type=int, default=READS)
    parser.add_argument("--writes-per-writer", type=int, default=WRITES_PER_WRITER)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=THINK_S, help="seconds between reads")
    parser.add_argument(
        "--stock-uvicorn", action="store_true", help="plain `uvicorn --workers N` (Nagle on)"
    )
    args = parser.parse_args()
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    reports = run_all(
        backends=backends,
        countries=args.countries,
        provisions=args.provisions,
        reads=args.reads,
        writes_per_writer=args.writes_per_writer,
        workers=args.workers,
        think=args.think,
        stock=args.stock_uvicorn,
    )
    print_reports(reports)
    failed = any(r.result.errors or r.lost for r in reports)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
