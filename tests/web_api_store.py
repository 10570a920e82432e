"""A small store and an app for the REST API tests.

One fictional sample law (Norland, shipped in ``treatywatch.samples``) is
ingested, aligned with the fast methods and assessed through the real
services; the fictional sample cases are imported; three users (viewer,
analyst, admin) get API tokens. Tests talk to the real app over
``TestClient`` with ``Authorization: Bearer`` headers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from treatywatch.align.service import align_document, build_engine, engine_options
from treatywatch.assess.service import assess_document
from treatywatch.cases.service import import_cases
from treatywatch.ingest.pipeline import IngestRequest, ingest
from treatywatch.ledger.demo import sample_cases_path
from treatywatch.samples import SAMPLE_LAWS
from treatywatch.store import init_store, session_scope
from treatywatch.store.models import StatusEventRow, UserRow
from treatywatch.web.api import docs, install_error_handlers
from treatywatch.web.app import create_app
from treatywatch.web.deps import token_digest
from treatywatch.web.settings import WebSettings

LAW = SAMPLE_LAWS[0]
FAST = ("lexical", "rules", "context")
EVENTS = (
    ("vote", dt.date(2024, 12, 24)),
    ("signature", dt.date(2025, 10, 25)),
    ("ratification", None),
)
"""Fictional treaty events of the fictional sample State (one undated)."""
TOKENS = {role: f"test-token-{role}-0123456789abcdef" for role in ("viewer", "analyst", "admin")}


@dataclass(frozen=True)
class Store:
    url: str
    ref: str  # DOC@DATE of the sample law


def build_store(url: str) -> Store:
    init_store(url)
    result = ingest(
        IngestRequest(
            path=LAW.path("txt"), country=LAW.country, doc_id=LAW.document_id, date=LAW.date,
            title=LAW.title,
        ),
        url=url,
    )  # fmt: skip
    engine = build_engine(engine_options(list(FAST)))
    align_document(result.ref, url=url, engine=engine)
    assess_document(result.ref, url)
    import_cases(sample_cases_path(), actor="tests", url=url)
    with session_scope(url) as session:
        for n, (event, date) in enumerate(EVENTS):
            session.add(
                StatusEventRow(
                    jurisdiction_code=LAW.country, instrument_id="uncc", event=event,
                    event_date=date, date_precision="day" if date else "unknown",
                    source_key=f"fictional-test-source-{n}",
                )
            )  # fmt: skip
        for role, token in TOKENS.items():
            session.add(
                UserRow(username=f"{role}-user", role=role, api_token_hash=token_digest(token))
            )
    return Store(url, result.ref)


def api_app(url: str, **settings: object) -> FastAPI:
    """The real app; adds the API's error handlers and docs router if the app lacks them.

    ``create_app`` is expected to install both (see the W2 report); until it
    does, this keeps the API tests meaningful.
    """
    app = create_app(WebSettings(url, "test-secret", **settings))  # type: ignore[arg-type]
    paths = {r.path for r in iter_route_contexts(app.routes)}
    if "/docs" not in paths:
        app.include_router(docs.router)
    install_error_handlers(app)
    return app


def client(url: str, role: str | None = None, **settings: object) -> TestClient:
    headers = {"Authorization": f"Bearer {TOKENS[role]}"} if role else {}
    return TestClient(api_app(url, **settings), headers=headers)
