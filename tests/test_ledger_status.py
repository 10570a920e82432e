"""Status, conflicts, timeline, feed and diff on synthetic and real data.

Synthetic rows are made up by the tests (note column says so); all their
dates lie before the day these tests were written, so "today" never makes
them future dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import pytest

from conftest import SHARED
from treatywatch import audit
from treatywatch.ledger.conflicts import find_conflicts
from treatywatch.ledger.importer import import_paths
from treatywatch.ledger.jurisdictions import known_jurisdictions
from treatywatch.ledger.status import ledger_status
from treatywatch.ledger.watch import build_feed, diff
from treatywatch.store import session_scope
from treatywatch.store.models import DocumentRow, DocumentVersionRow, FindingRow

HEADER = "participant,instrument,event,date,date_precision,source_url,retrieved,note\n"
NOTE = "synthetic test row"
DATA = SHARED / "data"


def members(n: int) -> list[str]:
    reserved = {"KEN", "GHA", "CHL", "PER"}  # used by name in the rows below
    return [j.code for j in known_jurisdictions(["member"]) if j.code not in reserved][:n]


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def forty_parties(tmp_path: Path) -> Path:
    """39 ratifications in January 2026, the EU's approval, the 40th on 1 March 2026,
    a later accession on 1 April 2026, and signatures."""
    url = "https://example.org/synthetic"
    rows = [
        f"{code},uncc,ratification,2026-01-{(i % 28) + 1:02d},day,{url},2026-11-01,{NOTE}"
        for i, code in enumerate(members(39))
    ]
    rows += [
        f"European Union,uncc,approval,2026-01-20,day,{url},2026-11-01,{NOTE}",
        f"Kenya,uncc,signature,2025-10-25,day,{url},2026-11-01,{NOTE}",
        f"Kenya,uncc,ratification,2026-03-01,day,{url},2026-11-01,{NOTE}",
        f"Ghana,uncc,accession,2026-04-01,day,{url},2026-11-01,{NOTE}",
        f"Chile,uncc,signature,2025-10,month,{url},2026-11-01,{NOTE}",
        f"Peru,uncc,signature,,unknown,{url},2026-11-01,{NOTE}",
    ]
    return write_csv(tmp_path / "forty.csv", rows)


def state(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(s for s in data["states"] if s["code"] == code)


def test_entry_into_force_from_imported_deposits(initialised: str, tmp_path: Path) -> None:
    assert "GHA" not in members(39) and "CHL" not in members(39)
    report = import_paths([forty_parties(tmp_path)])
    assert report["skipped"] == []
    with session_scope(initialised) as session:
        before = ledger_status(session, "uncc", as_of=dt.date(2026, 2, 15))
        reached = ledger_status(session, "uncc", as_of=dt.date(2026, 3, 1))
        later = ledger_status(session, "uncc", as_of=dt.date(2026, 6, 15))
        after = ledger_status(session, "uncc", as_of=dt.date(2026, 7, 1))
        early = ledger_status(session, "uncc", as_of=dt.date(2025, 1, 1))
    assert before["qualifying_instruments"] == 39 and before["entry_into_force"] is None
    assert before["entry_into_force_status"] == "not-yet-determined"
    assert reached["qualifying_instruments"] == 40
    assert reached["entry_into_force"] == "2026-05-30"  # 1 March + 90 days
    assert reached["entry_into_force_status"] == "projected"
    assert later["entry_into_force_status"] == "in-force"
    assert state(later, "EUU")["status"] == "party"  # party, never counted
    assert state(later, "EUU")["party_from"] == "2026-05-30"
    assert state(later, "GHA")["party_from"] == "2026-06-30"  # own deposit + 90 days
    assert state(later, "GHA")["status"] == "consented"
    assert state(after, "GHA")["status"] == "party"
    assert after["parties"] == 42 and after["in_force_for"] == 42
    assert after["qualifying_instruments"] == 41  # the EU's approval does not count
    assert early["signatories"] == 0 and early["parties"] == 0
    assert early["qualifying_instruments"] == 0
    # a month-precision signature counts from the end of the month; an undated one never
    oct_26 = None
    with session_scope(initialised) as session:
        oct_26 = ledger_status(session, "uncc", as_of=dt.date(2025, 10, 26))
        nov = ledger_status(session, "uncc", as_of=dt.date(2025, 11, 1))
    assert state(oct_26, "CHL")["status"] == "none" and state(nov, "CHL")["status"] == "signatory"
    assert {"code": "PER", "fact": "signature", "event": "signature"} in nov["undated"]


def test_status_cli_json_and_csv(initialised: str, tmp_path: Path, cli: Any) -> None:
    import_paths([forty_parties(tmp_path)])
    result = cli("ledger", "status", "--instrument", "uncc", "--as-of", "2026-04-02", "--json")
    assert result.code == 0, result.err
    data = result.json()
    for key in ("instrument", "as_of", "signatories", "parties", "qualifying_instruments"):
        assert key in data
    assert data["entry_into_force"] == "2026-05-30" and data["as_of"] == "2026-04-02"
    kenya = state(data, "KEN")
    assert kenya["signature"]["date"] == "2025-10-25"
    assert kenya["consent"] == {
        "date": "2026-03-01",
        "date_precision": "day",
        "type": "ratification",
        "marker": None,
        "counted": True,
    }
    assert kenya["party_from"] == "2026-05-30"
    csv_out = cli("ledger", "status", "--as-of", "2026-04-02", "--format", "csv")
    assert csv_out.out.splitlines()[0].startswith("code,name,status")
    everyone = cli("ledger", "status", "--all-states", "--json").json()
    assert len(everyone["states"]) == 198
    bad = cli("ledger", "status", "--as-of", "yesterday")
    assert bad.code == 2 and "YYYY-MM-DD" in bad.err
    unknown = cli("ledger", "status", "--instrument", "unccc", "--json")
    assert unknown.code == 2 and "uncc" in unknown.json()["hint"]


def test_budapest_and_protocols_use_their_own_rules(initialised: str, tmp_path: Path) -> None:
    url = "https://example.org/synthetic-coe"
    path = write_csv(
        tmp_path / "coe.csv",
        [
            f"Japan,budapest,signature,2001-11-23,day,{url},2026-11-01,{NOTE}",
            f"Japan,budapest,ratification,2012-07-03,day,{url},2026-11-01,{NOTE}",
            f"Hungary,budapest,ratification,2003-12-04,day,{url},2026-11-01,{NOTE}",
            f"Japan,budapest-p2,ratification,2023-02-01,day,{url},2026-11-01,{NOTE}",
            f"Japan,budapest,ratification,2000-01-01,day,{url},2026-11-01,{NOTE}",
        ],
    )
    report = import_paths([path])
    assert "before budapest opened for signature" in report["skipped"][0]["reason"]
    with session_scope(initialised) as session:
        coe = ledger_status(session, "budapest", as_of=dt.date(2013, 1, 1))
        p2 = ledger_status(session, "budapest-p2", as_of=dt.date(2024, 1, 1))
    assert coe["entry_into_force"] == "2004-07-01"
    assert state(coe, "JPN")["party_from"] == "2012-11-01"
    assert state(coe, "HUN")["party_from"] == "2004-07-01"
    assert p2["entry_into_force"] is None and p2["instruments_needed"] == 4


def test_conflicts_between_sources(initialised: str, tmp_path: Path, cli: Any) -> None:
    a = write_csv(
        tmp_path / "a.csv",
        [
            f"Kenya,uncc,ratification,2026-02-01,day,https://example.org/a,2026-11-01,{NOTE}",
            f"Chile,uncc,signature,2025-10-25,day,https://example.org/a,2026-11-01,{NOTE}",
            f"Peru,uncc,signature,2025-10-25,day,https://example.org/a,2026-11-01,{NOTE}",
        ],
    )
    b = write_csv(
        tmp_path / "b.csv",
        [
            f"Kenya,uncc,ratification,2026-02-03,day,https://example.org/b,2026-11-02,{NOTE}",
            f"Chile,uncc,signature,2025-10,month,https://example.org/b,2026-11-02,{NOTE}",
            f"Peru,uncc,not-signed-as-of,2025-11-10,day,https://example.org/b,2026-11-02,{NOTE}",
        ],
    )
    import_paths([a])
    report = import_paths([b])
    assert report["conflicts"] == 2
    with session_scope(initialised) as session:
        conflicts = {c["code"]: c for c in find_conflicts(session, instrument="uncc")}
    assert set(conflicts) == {"KEN", "PER"}  # Chile's month and day agree
    assert conflicts["KEN"]["kinds"] == ["date"]
    assert conflicts["PER"]["kinds"] == ["signed-vs-not-signed"]
    urls = {e["source_url"] for e in conflicts["KEN"]["events"]}
    assert urls == {"https://example.org/a", "https://example.org/b"}
    with session_scope(initialised) as session:
        kenya = state(ledger_status(session, "uncc"), "KEN")
    assert kenya["consent"]["date"] == "2026-02-01"  # earliest of equally precise dates
    table = cli("ledger", "conflicts")
    assert "KEN" in table.out and "(https://example.org/b)" in table.out  # sources shown


def add_law_version(url: str) -> None:
    """A law version, a finding and its audit trail, as later stages will write them."""
    with session_scope(url) as session:
        session.add(
            DocumentRow(id="ken/act/2018/5", jurisdiction_code="KEN", title="Synthetic Act")
        )
        session.flush()
        version = DocumentVersionRow(
            document_id="ken/act/2018/5",
            version_date=dt.date(2025, 3, 1),
            sha256="0" * 64,
            source_format="txt",
        )
        session.add(version)
        session.flush()
        finding = FindingRow(
            version_id=version.id,
            criterion_id="judicial-authorization",
            status="fails",
            severity="high",
            explanation="synthetic",
            detector="test",
        )
        session.add(finding)
        session.flush()
        audit.record(
            session,
            actor="test",
            action="finding.review",
            entity_type="finding",
            entity_id=str(finding.id),
            after={"status": "accepted"},
        )


def test_timeline_feed_and_diff(initialised: str, tmp_path: Path, cli: Any) -> None:
    import_paths([forty_parties(tmp_path)])
    add_law_version(initialised)
    line = cli("ledger", "timeline", "Kenya", "--json").json()
    assert line["code"] == "KEN"
    types = [i["type"] for i in line["items"]]
    assert types.count("status") == 2
    assert {"law-version", "finding", "finding-change"} <= set(types)
    dates = [i["date"] for i in line["items"] if i["date"]]
    assert dates == sorted(dates)
    with session_scope(initialised) as session:
        data, entries = build_feed(session)
        changes = diff(
            session, dt.date(2026, 2, 15), until=dt.date(2026, 4, 2), instruments=["uncc"]
        )
    root = SafeET.fromstring(data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids = [e.findtext("a:id", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert entries == len(ids) == len(set(ids)) == 46  # 45 events + 1 law version
    assert any(i.startswith("urn:treatywatch:law-version:") for i in ids)
    uncc = changes["instruments"][0]
    assert uncc["before"]["qualifying_instruments"] == 39
    assert uncc["after"]["qualifying_instruments"] == 41
    assert (
        uncc["entry_into_force_before"] is None and uncc["entry_into_force_after"] == "2026-05-30"
    )
    moved = {c["code"]: (c["from"], c["to"]) for c in uncc["changes"]}
    assert moved == {"KEN": ("signatory", "consented"), "GHA": ("none", "consented")}
    assert {e["code"] for e in changes["events_dated"]} == {"KEN", "GHA"}
    output = tmp_path / "feed.xml"
    written = cli("ledger", "feed", "--output", str(output), "--json").json()
    assert written["entries"] == 46 and output.read_bytes().startswith(b"<?xml")
    default = cli("ledger", "feed", "--json").json()
    assert default["output"].endswith("ledger-feed.xml")
    cli_diff = cli("ledger", "diff", "--since", "2026-02-15", "--until", "2026-04-02", "--json")
    assert cli_diff.code == 0 and cli_diff.json()["since"] == "2026-02-15"
    backwards = cli("ledger", "diff", "--since", "2026-04-02", "--until", "2026-02-15")
    assert backwards.code == 2


def test_events_listing(initialised: str, tmp_path: Path, cli: Any) -> None:
    import_paths([forty_parties(tmp_path)])
    events = cli("ledger", "events", "--state", "KEN", "--json").json()
    assert [e["event"] for e in events] == ["signature", "ratification"]
    assert events[0]["source_url"] == "https://example.org/synthetic"
    bad = cli("ledger", "events", "--event", "ratifyed")
    assert bad.code == 2 and "unknown event type" in bad.err


@pytest.mark.skipif(not DATA.exists(), reason="../shared/data not available")
def test_demo_step_is_idempotent(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from treatywatch.ledger.cli import demo_step
    from treatywatch.output import console
    from treatywatch.store import init_store

    init_store(sqlite_url)
    console.file = __import__("sys").stdout
    monkeypatch.setattr(console, "width", 200)  # keep phrases on one line
    demo_step()
    first = capsys.readouterr().out
    assert "signatories on record" in first and "ledger-feed.xml" in first
    demo_step()
    second = capsys.readouterr().out
    assert "0 events imported" in second and "4 unchanged" in second
    with session_scope(sqlite_url) as session:
        status = ledger_status(session, "uncc", as_of=dt.date(2026, 11, 23))
    assert status["signatories"] == 42
    assert any(e["details"] == {"signatories": 72} for e in status["instrument_events"])
