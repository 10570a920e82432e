"""Reports on laws assessed by the real engine: a shipped fictional sample and, when
../shared is present, a real corpus law on the world map."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import SHARED
from treatywatch.ingest.pipeline import IngestRequest, ingest
from treatywatch.report.build import build_report
from treatywatch.report.render import render_html, render_markdown
from treatywatch.samples import SAMPLE_LAWS

WHEN = dt.datetime(2025, 1, 31, tzinfo=dt.UTC)


def test_sample_law_report_after_real_assessment(sqlite_url: str) -> None:
    from treatywatch.store import init_store

    init_store(sqlite_url)
    law = SAMPLE_LAWS[0]  # Norland (fictional): content offences with long terms, gag clause ...
    ingest(
        IngestRequest(law.path("txt"), law.country, law.title, law.date, law.document_id),
        url=sqlite_url,
    )
    data = build_report(law.country, url=sqlite_url, generated_at=WHEN, assess=True)
    assert data["summary"]["findings"] > 0
    assert any(c["status"] == "fails" for c in data["scorecard"]["criteria"])
    assert data["serious_crimes"], "the Norland sample has offences punishable by 4+ years"
    assert data["summary"]["reviewed_share"] == 0  # nothing reviewed yet: all automatic
    html = render_html(data)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert set(re.findall(r'href="#([^"]+)"', html)) <= ids
    assert "automatic — not yet reviewed" in html
    # deterministic with the real engine too
    again = build_report(law.country, url=sqlite_url, generated_at=WHEN)
    assert render_markdown(again) == render_markdown(data)


CORPUS = SHARED / "corpus" / "ken-cmca-2018"


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="real-law corpus not found (../shared/corpus)")
def test_corpus_law_appears_on_the_world_map(sqlite_url: str) -> None:
    from treatywatch.store import init_store

    init_store(sqlite_url)
    ingest(IngestRequest(CORPUS / "law.txt", "KEN"), url=sqlite_url)
    data = build_report(None, url=sqlite_url, generated_at=WHEN, assess=True)
    assert [c["country"] for c in data["countries"]] == ["KEN"]
    html = render_html(data)
    assert html.count('id="country-KEN"') == 2  # score map and status map
    assert 'data-row="KEN"' in html
