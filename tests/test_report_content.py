"""Report data and HTML/Markdown/JSON contents, built from a store holding a fictional law."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from report_store import AMENDED, COUNTRY, DOC, SCRIPT, add_findings, build_store, ingest_law
from treatywatch.report.build import NotAssessedError, build_report
from treatywatch.report.render import ReportFormat, render, render_html, render_markdown
from treatywatch.report.targets import NoLawsError

WHEN = dt.datetime(2025, 1, 31, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(initialised: str, tmp_path: Path) -> str:
    build_store(initialised, tmp_path)
    return initialised


def report(url: str, target: str | None = COUNTRY, when: dt.datetime = WHEN) -> dict:  # type: ignore[type-arg]
    return build_report(target, url=url, generated_at=when)


def test_scorecard_folds_findings_into_verdicts(store: str) -> None:
    data = report(store)
    by_id = {c["criterion"]: c for c in data["scorecard"]["criteria"]}
    assert len(by_id) == 13
    assert (by_id["scope"]["status"], by_id["scope"]["severity"]) == ("fails", "critical")
    assert by_id["offence-quality"]["status"] == "meets"
    assert (by_id["offence-quality"]["reviewed"], by_id["offence-quality"]["automatic"]) == (1, 0)
    assert by_id["judicial-authorization"]["status"] == "fails"
    assert by_id["gender"]["status"] == "not-assessed"
    # meets = 1, two fails = 0; unassessed criteria are left out of the mean
    assert data["summary"]["score"] == pytest.approx(33.3)
    assert data["summary"]["reviewed_share"] == pytest.approx(0.333)


def test_gap_puts_treaty_coverage_next_to_rights(store: str) -> None:
    rows = {r["article"]: r for r in report(store)["gap"]["articles"]}
    search = rows["uncc/art-28"]
    assert search["coverage"] == "implemented" and not search["confirmed"]
    assert {"criterion": "judicial-authorization", "number": 6, "status": "fails"} in search[
        "rights"
    ]
    assert search["rights_gap"] is True  # implements the treaty, fails the rights test
    access = rows["uncc/art-7"]
    assert access["coverage"] == "implemented" and access["confirmed"]
    assert access["provisions"][0]["url"].endswith("/provisions/sec-1")
    assert rows["uncc/art-8"]["coverage"] == "not-found" and rows["uncc/art-8"]["treaty_gap"]
    assert all(r["obligation"] in ("mandatory", "mixed") for r in rows.values())


def test_serious_crimes_come_from_penalties_and_flag_content(store: str) -> None:
    crimes = report(store)["serious_crimes"]
    assert [(c["provision"], c["max_years"], c["content_offence"]) for c in crimes] == [
        ("sec-2", 5.0, True)
    ]  # sec-1 (two years) is below the four-year threshold
    assert "false news" in crimes[0]["content_cue"]


def test_html_report_has_sections_rows_and_escaped_law_text(store: str) -> None:
    html = render_html(report(store))
    for heading in (
        "Summary",
        "Scorecard",
        "Gap analysis",
        "Serious crimes",
        "Findings and evidence",
        "Provisions cited",
        "Methodology",
        "Caveats",
    ):
        assert f">{heading}" in html, heading
    assert "Prior independent authorization of intrusive powers" in html
    assert html.count('<span class="badge s-fails">') >= 2
    assert SCRIPT not in html and "<script" not in html.lower()
    assert "publishes false news &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "automatic — not yet reviewed" in html and "reviewed (accepted by analyst-a)" in html
    # no external requests: nothing to fetch
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_every_internal_link_has_a_target(store: str) -> None:
    html = render_html(report(store))
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    links = set(re.findall(r'href="#([^"]+)"', html))
    assert "prov-xnl-act-2024-testaland-online-order-2024-05-01-sec-2" in links
    assert links <= ids, links - ids


def test_markdown_escapes_law_text(store: str) -> None:
    md = render_markdown(report(store))
    assert "# Human-rights assessment: Republic of Norland" in md
    assert "| 1 | Offences limited to genuine cybercrime | **fails** | critical |" in md
    assert "<script" not in md
    assert "&lt;script&gt;alert\\(" in md
    assert "](#prov-xnl-act-2024-testaland-online-order-2024-05-01-sec-3)" in md


def test_json_is_the_template_data(store: str) -> None:
    data = report(store)
    parsed = json.loads(render(data, ReportFormat.JSON).text())
    assert parsed == json.loads(json.dumps(data))
    assert parsed["subject"] == {
        "key": COUNTRY,
        "name": parsed["subject"]["name"],
        "country": COUNTRY,
    }


def test_same_store_same_report(store: str) -> None:
    first = render(report(store), ReportFormat.HTML).content
    assert render(report(store), ReportFormat.HTML).content == first
    later = render(report(store, when=WHEN + dt.timedelta(days=1)), ReportFormat.HTML).text()
    assert later != first.decode()
    assert later.replace("2025-02-01T12:00:00", "2025-01-31T12:00:00") == first.decode()


def test_document_report_and_change_over_time(initialised: str, tmp_path: Path) -> None:
    old = ingest_law(initialised, tmp_path)
    add_findings(initialised, old)
    new = ingest_law(initialised, tmp_path, AMENDED, dt.date(2025, 2, 1))
    add_findings(initialised, new, judicial="meets")
    data = report(initialised, DOC)
    assert data["kind"] == "document"
    assert [v["version_date"] for v in data["versions"]] == ["2025-02-01"]
    (change,) = data["scorecard"]["changes"]
    assert (change["before"], change["after"]) == (f"{DOC}@2024-05-01", f"{DOC}@2025-02-01")
    moved = [c for c in change["criteria"] if c["direction"] != "same"]
    assert moved == [
        {
            "criterion": "judicial-authorization",
            "number": 6,
            "before": "fails",
            "after": "meets",
            "direction": "better",
        }
    ]
    assert change["score_after"] > change["score_before"]
    assert "Change over time" in render_html(data)


def test_never_assessed_law_asks_for_assessment(initialised: str, tmp_path: Path) -> None:
    ingest_law(initialised, tmp_path)
    with pytest.raises(NotAssessedError) as err:
        report(initialised)
    assert "treatywatch assess" in (err.value.hint or "")
    assert f"{DOC}@2024-05-01" in err.value.message


def test_assess_flag_runs_the_assessor_first(initialised: str, tmp_path: Path) -> None:
    version = ingest_law(initialised, tmp_path)
    asked: list[str] = []

    def assessor(ref: str, url: str | None) -> None:
        asked.append(ref)
        add_findings(initialised, version)

    data = build_report(COUNTRY, url=initialised, generated_at=WHEN, assess=True, assessor=assessor)
    assert asked == [f"{DOC}@2024-05-01"]
    assert data["summary"]["findings"] == 3


def test_country_without_laws_is_a_typed_error(store: str) -> None:
    with pytest.raises(NoLawsError) as err:
        report(store, "XVB")
    assert "XVB" in err.value.message and "treatywatch ingest" in (err.value.hint or "")


def test_global_report_lists_states_without_geometry(store: str) -> None:
    data = report(store, None)
    assert [c["country"] for c in data["countries"]] == [COUNTRY]
    html = render_html(data)
    assert "Not on the map" in html and "(XNL)" in html
    assert 'class="chart chart-worldmap"' in html
    assert 'data-row="XNL"' in html
    md = render_markdown(data)
    assert "| XNL |" in md
