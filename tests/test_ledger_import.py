"""Importing status files: real UNTC/UN data from ../shared, and bad input.

Synthetic files are written by the tests themselves into tmp_path; their
dates and States are made up for the checks and say so in a note column.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from conftest import SHARED
from treatywatch.ledger.importer import import_paths
from treatywatch.ledger.sources import LedgerImportError
from treatywatch.ledger.status import ledger_status
from treatywatch.ledger.timeline import timeline
from treatywatch.store import session_scope
from treatywatch.store.models import (
    AuditLogRow,
    InstrumentEventRow,
    JurisdictionRow,
    ProvenanceRow,
    StatusEventRow,
)

DATA = SHARED / "data"
SEEN = DATA / "uncc-status-seen.csv"
ROLLCALL = DATA / "unga-74-247"
MTDSG = DATA / "untc-mtdsg-2018"
SCRAPE = DATA / "untc-scrape-2015" / "treaties"
needs_shared = pytest.mark.skipif(not DATA.exists(), reason="../shared/data not available")
SEED = Path(__file__).resolve().parents[1] / "src/treatywatch/ledger/data/seed.yaml"
HEADER = "participant,instrument,event,date,date_precision,source_url,retrieved,note\n"
NOTE = "synthetic test row"


def write_csv(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def count(url: str, model: Any = StatusEventRow) -> int:
    with session_scope(url) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# --- real data ----------------------------------------------------------------------


@needs_shared
def test_uncc_status_csv_is_imported_once_with_provenance(initialised: str) -> None:
    first = import_paths([SEEN])
    assert first["imported"] == 50 and first["skipped"] == [] and first["conflicts"] == 0
    second = import_paths([SEEN])
    assert second["imported"] == 0 and second["unchanged"] == 50
    assert count(initialised) == 50
    with session_scope(initialised) as session:
        rows = session.execute(
            select(StatusEventRow, ProvenanceRow).join(
                ProvenanceRow, ProvenanceRow.id == StatusEventRow.provenance_id
            )
        ).all()
        assert len(rows) == 50
        sha = first["files"][0]["sha256"]
        assert {p.sha256 for _e, p in rows} == {sha}
        assert all(p.produced_by.startswith("treatywatch") for _e, p in rows)
        jamaica = next(e for e, _p in rows if e.jurisdiction_code == "JAM")
        assert jamaica.event_date is None and jamaica.date_precision == "unknown"
        spain = next((e, p) for e, p in rows if e.jurisdiction_code == "ESP")
        assert spain[0].date_precision == "month" and spain[0].event_date == dt.date(2025, 10, 1)
        assert spain[1].source_url and "newshour" in spain[1].source_url
        assert spain[1].retrieved == "stored copy"
        usa = next(e for e, _p in rows if e.jurisdiction_code == "USA")
        assert usa.event == "not-signed-as-of"
        audits = session.scalar(
            select(func.count())
            .select_from(AuditLogRow)
            .where(AuditLogRow.action == "ledger.import")
        )
        assert audits == 1  # the idempotent re-import wrote nothing, so logged nothing


@needs_shared
def test_rollcall_matches_the_recorded_tally(initialised: str) -> None:
    import_paths([SEED])
    report = import_paths([ROLLCALL])
    assert report["imported"] == 172 and report["skipped"] == []
    assert any("matches the recorded tally 79-60-33" in w for w in report["warnings"])
    assert any("21 UN member States are not in the roll call" in w for w in report["warnings"])
    assert any("meta file" in w for w in report["warnings"])
    with session_scope(initialised) as session:
        votes = dict(
            session.execute(
                select(StatusEventRow.vote, func.count()).group_by(StatusEventRow.vote)
            ).all()
        )
        serbia = session.scalars(
            select(StatusEventRow).where(StatusEventRow.jurisdiction_code == "SRB")
        ).one()
    assert votes == {"yes": 79, "no": 60, "abstain": 33}
    assert serbia.vote == "yes" and "Yugoslavia" in (serbia.note or "")
    assert serbia.resolution == "A/RES/74/247" and serbia.event_date == dt.date(2019, 12, 27)
    absent = import_paths([ROLLCALL], infer_absent=True)
    assert absent["imported"] == 21 and absent["unchanged"] == 172


@needs_shared
def test_mtdsg_file_gives_signatures_consents_and_statements(initialised: str) -> None:
    report = import_paths([MTDSG / "XVIII-12-b.en.xml"])
    assert report["files"][0]["instruments"] == ["untc-XVIII-12-b"]
    assert report["skipped"] == []
    assert any("control characters" in w for w in report["warnings"])
    with session_scope(initialised) as session:
        rows = session.scalars(
            select(StatusEventRow).where(StatusEventRow.instrument_id == "untc-XVIII-12-b")
        ).all()
    by = {(r.jurisdiction_code, r.event): r for r in rows}
    assert by[("AFG", "accession")].event_date == dt.date(2017, 2, 2)
    assert by[("AFG", "accession")].marker == "a"
    assert by[("ALB", "signature")].event_date == dt.date(2000, 12, 12)
    reservation = by[("AFG", "reservation")]
    assert "Article 18" in (reservation.text or "")
    assert reservation.event_date == dt.date(2017, 2, 2)  # made upon accession
    notifications = [r for r in rows if r.event == "notification"]
    assert notifications and all(r.text is None for r in notifications)  # contact details
    assert sum(1 for r in rows if r.event == "signature") == 112
    with session_scope(initialised) as session:
        status = ledger_status(session, "untc-XVIII-12-b", as_of=dt.date(2018, 1, 1))
    assert status["entry_into_force"] == "2004-01-28"  # recorded in the file header
    assert status["entry_into_force_status"] == "in-force (recorded)"
    counts = [e for e in status["instrument_events"] if e["event"] == "status-count"]
    assert counts[0]["details"] == {"signatories": 112, "parties": 146}
    again = import_paths([MTDSG / "XVIII-12-b.en.xml"])
    assert again["imported"] == 0 and again["instrument_events"] == 0


@needs_shared
def test_every_participant_in_the_shared_sources_is_matched(initialised: str) -> None:
    report = import_paths([MTDSG, SCRAPE, ROLLCALL, SEEN])
    unknown = [s for s in report["skipped"] if "unknown State" in s["reason"]]
    assert unknown == []
    assert report["imported"] > 12000
    with session_scope(initialised) as session:
        items = timeline(session, "KEN")["items"]
    agreed = [i for i in items if i["summary"] == "untc-XVIII-12-b: accession (a)"]
    assert len(agreed) == 1  # one fact, two sources
    assert sorted(agreed[0]["sources"]) == ["untc-mtdsg:XVIII-12-b", "untc-scrape:XVIII-12-b"]


@needs_shared
def test_two_sources_that_disagree_are_both_kept_and_listed(initialised: str, cli: Any) -> None:
    import_paths([MTDSG / "XVIII-1.en.xml"])
    report = import_paths([SCRAPE / "18-1.csv"])
    assert report["conflicts"] >= 1
    listed = cli("ledger", "conflicts", "--instrument", "untc-XVIII-1", "--json").json()
    guatemala = next(c for c in listed if c["code"] == "GTM")
    assert guatemala["kinds"] == ["type"] and guatemala["sources"] == 2
    events = {e["source_key"]: e for e in guatemala["events"]}
    assert events["untc-mtdsg:XVIII-1"]["event"] == "accession"
    assert events["untc-scrape:XVIII-1"]["event"] == "acceptance"
    assert all(e["sha256"] and e["source_file"] for e in guatemala["events"])
    csv_out = cli("ledger", "conflicts", "--instrument", "untc-XVIII-1", "--format", "csv")
    assert "GTM" in csv_out.out and csv_out.out.startswith("code,name,instrument")


@needs_shared
def test_cli_import_json_shape(initialised: str, cli: Any) -> None:
    result = cli("ledger", "import", str(SEEN), "--instrument", "uncc", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert set(data) >= {"imported", "skipped", "warnings", "conflicts"}
    assert data["imported"] == 50


# --- bad input -------------------------------------------------------------------------


def test_unknown_states_are_reported_with_close_matches(initialised: str, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "status.csv",
        [
            f"Kenya,uncc,signature,2025-10-25,day,https://example.org/a,2026-01-01,{NOTE}",
            f"Kenia Republik,uncc,signature,2025-10-25,day,https://example.org/a,2026-01-01,{NOTE}",
            f"Atlantis,uncc,signature,2025-10-25,day,https://example.org/a,2026-01-01,{NOTE}",
            f"Viet Nam,uncc,signature,2025-10-26,day,https://example.org/a,2026-01-01,{NOTE}",
            f"ABW,uncc,signature,2025-10-26,day,https://example.org/a,2026-01-01,{NOTE}",
        ],
    )
    report = import_paths([path])
    assert report["imported"] == 3  # a code outside the tracked list is still a valid ISO code
    with session_scope(initialised) as session:
        aruba = session.get(JurisdictionRow, "ABW")
        assert aruba is not None and aruba.kind == "other"
    reasons = {s["row"]: s for s in report["skipped"]}
    assert reasons["line 3"]["reason"] == "unknown State 'Kenia Republik'"
    assert "Kenya (KEN)" in reasons["line 3"]["suggestions"]
    assert reasons["line 4"]["reason"] == "unknown State 'Atlantis'"


def test_impossible_dates_and_duplicates_are_skipped(initialised: str, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dates.csv",
        [
            f"Kenya,uncc,ratification,2024-01-10,day,https://example.org/b,2026-01-01,{NOTE}",
            f"Ghana,uncc,ratification,2030-01-10,day,https://example.org/b,2026-01-01,{NOTE}",
            f"Chile,uncc,signature,2025-02-30,day,https://example.org/b,2026-01-01,{NOTE}",
            f"Chile,uncc,signature,2025-10-25,day,https://example.org/b,2026-01-01,{NOTE}",
            f"Chile,uncc,signature,2025-10-25,day,https://example.org/b,2026-01-01,{NOTE}",
            f"Peru,uncc,ratifyed,2025-10-25,day,https://example.org/b,2026-01-01,{NOTE}",
            f"Peru,uncc2,signature,2025-10-25,day,https://example.org/b,2026-01-01,{NOTE}",
            f"Peru,uncc,signature,2026-06-01,day,https://example.org/b,2026-01-01,{NOTE}",
        ],
    )
    report = import_paths([path], today=dt.date(2026, 11, 23))
    reasons = {s["row"]: s["reason"] for s in report["skipped"]}
    assert "before uncc opened for signature (2025-10-25)" in reasons["line 2"]
    assert "in the future" in reasons["line 3"]
    assert "not a real date" in reasons["line 4"]
    assert "duplicate of line 5" in reasons["line 6"]
    assert "unknown event 'ratifyed'" in reasons["line 7"]
    assert "did you mean: uncc" in reasons["line 8"]
    assert report["imported"] == 2  # Chile 2025-10-25 once, Peru 2026-06-01
    later = write_csv(
        tmp_path / "late.csv",
        [f"Peru,uncc,signature,2027-02-01,day,https://example.org/c,2027-03-01,{NOTE}"],
    )
    closed = import_paths([later], today=dt.date(2027, 6, 1))
    assert "signature period closed (2026-12-31)" in closed["skipped"][0]["reason"]


def test_csv_missing_columns_is_a_clear_error(initialised: str, tmp_path: Path, cli: Any) -> None:
    path = write_csv(
        tmp_path / "short.csv",
        ["Kenya,uncc,signature,2025-10-25"],
        header="participant,instrument,event,date\n",
    )
    with pytest.raises(LedgerImportError) as err:
        import_paths([path])
    assert "date_precision, source_url, retrieved, note" in err.value.message
    result = cli("ledger", "import", str(path), "--json")
    assert result.code == 2 and "missing the column(s)" in result.json()["message"]
    assert count(initialised) == 0


def test_a_fatal_file_stops_the_whole_import(initialised: str, tmp_path: Path) -> None:
    good = write_csv(
        tmp_path / "a.csv",
        [f"Kenya,uncc,signature,2025-10-25,day,https://example.org/d,2026-01-01,{NOTE}"],
    )
    bad = tmp_path / "b.xml"
    bad.write_text("<html><body>not a status file</body></html>", encoding="utf-8")
    with pytest.raises(LedgerImportError):
        import_paths([good, tmp_path / "missing.csv"])
    with pytest.raises(LedgerImportError):
        import_paths([tmp_path])  # the folder holds both files
    assert count(initialised) == 0


def test_failure_half_way_rolls_back(
    initialised: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(
        tmp_path / "a.csv",
        [f"Kenya,uncc,signature,2025-10-25,day,https://example.org/e,2026-01-01,{NOTE}"],
    )
    from treatywatch.ledger import importer

    def explode(*_args: Any, **_kwargs: Any) -> list[Any]:
        raise RuntimeError("disk full half-way")

    monkeypatch.setattr(importer, "find_conflicts", explode)
    with pytest.raises(RuntimeError):
        import_paths([path])
    assert count(initialised) == 0 and count(initialised, ProvenanceRow) == 0


MTDSG_TEMPLATE = """<?xml version="1.0" encoding="iso-8859-1"?>
{doctype}<Document><Treaty><Template>mtdsg</Template><Header>
<Chapter><Header>CHAPTER XVIII</Header><Name>PENAL MATTERS</Name></Chapter>
<ExternalData><Numsect>16</Numsect><Titlesect>Synthetic test file</Titlesect>
<Conclusion>New York, 24 December 2024</Conclusion></ExternalData></Header>
<Participants><Table><TGroup cols="3"><Thead><Row><Entry>Participant</Entry><Entry>Signature</Entry>
<Entry>Ratification, Acceptance(A), Approval(AA), Accession(a)</Entry></Row></Thead>
<Tbody><Rows>{rows}</Rows></Tbody></TGroup></Table></Participants></Treaty></Document>
"""


def mtdsg(tmp_path: Path, rows: str, *, doctype: str = "", name: str = "synthetic.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(MTDSG_TEMPLATE.format(rows=rows, doctype=doctype).encode("latin-1"))
    return path


def test_synthetic_uncc_status_xml_with_markers_and_footnotes(
    initialised: str, tmp_path: Path
) -> None:
    rows = (
        "<Row><Entry>Kenya&lt;superscript&gt;2&lt;/superscript&gt;</Entry>"
        "<Entry>25 Oct 2025</Entry><Entry>3 Mar 2026</Entry></Row>"
        "<Row><Entry>Ghana</Entry><Entry /><Entry>4 Apr 2026 a</Entry></Row>"
        "<Row><Entry>European Union</Entry><Entry>25 Oct 2025</Entry>"
        "<Entry>5 May 2026 AA</Entry></Row>"
        "<Row><Entry>C\xf4te d'Ivoire</Entry><Entry>26 Oct 2025</Entry><Entry /></Row>"
    )
    report = import_paths([mtdsg(tmp_path, rows)])
    assert report["files"][0]["instruments"] == ["uncc"]  # XVIII-16 is the UNCC
    assert report["imported"] == 6 and report["skipped"] == []
    with session_scope(initialised) as session:
        events = {
            (r.jurisdiction_code, r.event): r for r in session.scalars(select(StatusEventRow))
        }
    assert events[("GHA", "accession")].marker == "a"
    assert events[("EUU", "approval")].marker == "AA"
    assert "footnote(s) 2" in (events[("KEN", "signature")].note or "")
    assert ("CIV", "signature") in events
    with pytest.raises(LedgerImportError) as err:
        import_paths([mtdsg(tmp_path, rows)], instrument="budapest")
    assert "not 'budapest'" in err.value.message


def test_malformed_xml_is_recovered_or_refused(initialised: str, tmp_path: Path) -> None:
    broken = mtdsg(
        tmp_path,
        "<Row><Entry>Kenya</Entry><Entry>25 Oct 2025</Entry><Entry></Row>"
        "<Row><Entry>Ghana &amp Togo</Entry><Entry>25 Oct 2025</Entry><Entry /></Row>",
        name="broken.xml",
    )
    report = import_paths([broken])
    assert any("recovery mode" in w for w in report["warnings"])
    assert report["imported"] >= 1
    garbage = tmp_path / "garbage.xml"
    garbage.write_bytes(b"<?xml version='1.0'?>\n\x00\x01<<<>>>")
    with pytest.raises(LedgerImportError) as err:
        import_paths([garbage])
    assert "garbage.xml" in err.value.message
    other = tmp_path / "other.xml"
    other.write_text("<?xml version='1.0'?><rss><channel/></rss>", encoding="utf-8")
    with pytest.raises(LedgerImportError) as err:
        import_paths([other])
    assert "not a UN Treaty Collection status file" in err.value.message


def test_entities_are_never_expanded(initialised: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    doctype = (
        f'<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file://{secret}">'
        '<!ENTITY lol "lollollollollollollol">]>\n'
    )
    rows = (
        "<Row><Entry>&xxe;</Entry><Entry>25 Oct 2025</Entry><Entry /></Row>"
        "<Row><Entry>&lol;</Entry><Entry>25 Oct 2025</Entry><Entry /></Row>"
        "<Row><Entry>Kenya</Entry><Entry>25 Oct 2025</Entry><Entry /></Row>"
    )
    report = import_paths([mtdsg(tmp_path, rows, doctype=doctype)])
    assert any("DOCTYPE" in w for w in report["warnings"])
    assert report["imported"] == 1
    assert "TOPSECRET" not in str(report)
    assert {s["reason"] for s in report["skipped"]} == {
        "unknown State '&xxe;'",
        "unknown State '&lol;'",
    }


def test_untc_html_page(initialised: str, tmp_path: Path) -> None:
    page = tmp_path / "status.html"
    page.write_text(
        "<html><head><title>Synthetic UNTC page</title></head><body>"
        '<a href="ViewDetails.aspx?src=TREATY&amp;mtdsg_no=XVIII-16&amp;chapter=18">x</a>'
        "<table><tr><th>Participant</th><th>Signature</th>"
        "<th>Ratification, Acceptance(A), Approval(AA), Accession(a)</th></tr>"
        "<tr><td>Kenya<sup>1</sup></td><td>25 Oct 2025</td><td>1 Feb 2026</td></tr>"
        "<tr><td>Viet Nam</td><td>25 Oct 2025</td><td></td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    report = import_paths([page])
    assert report["imported"] == 3 and report["files"][0]["format"] == "untc-html"
    assert report["files"][0]["instruments"] == ["uncc"]


def test_rollcall_plain_csv_and_bad_votes(initialised: str, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "votes.csv",
        [
            "Kenya,A/RES/99/1,2026-01-15,yes",
            "Ghana,A/RES/99/1,2026-01-15,maybe",
            "Chile,A/RES/99/1,2026-01-15,against",
        ],
        header="participant,resolution,date,vote\n",
    )
    report = import_paths([path])
    assert report["imported"] == 2
    assert "unknown vote 'maybe'" in report["skipped"][0]["reason"]
    with session_scope(initialised) as session:
        chile = session.scalars(
            select(StatusEventRow).where(StatusEventRow.jurisdiction_code == "CHL")
        ).one()
    assert chile.vote == "no" and chile.instrument_id == "uncc"


def test_seed_data_has_provenance_per_row(initialised: str) -> None:
    first = import_paths([SEED])
    assert first["instrument_events"] >= 10 and first["skipped"] == []
    again = import_paths([SEED])
    assert again["instrument_events"] == 0
    with session_scope(initialised) as session:
        rows = session.execute(
            select(InstrumentEventRow, ProvenanceRow).join(
                ProvenanceRow, ProvenanceRow.id == InstrumentEventRow.provenance_id
            )
        ).all()
    facts = {(e.instrument_id, e.event): (e, p) for e, p in rows}
    adoption, source = facts[("uncc", "adoption")]
    assert adoption.event_date == dt.date(2024, 12, 24)
    assert adoption.details == {"vote": "without a vote"}
    assert source.source_url == "https://undocs.org/A/RES/79/243"
    tally, _ = facts[("uncc", "vote-result")]
    assert tally.details == {"yes": 79, "no": 60, "abstain": 33}
    assert all(p.source_url and p.sha256 and p.retrieved for _e, p in rows)
