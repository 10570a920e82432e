"""Misuse cases: fictional samples, redaction by role, provision links, audit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from treatywatch.cases.input import CaseInputError
from treatywatch.cases.records import REDACTED, RoleError, can_see_restricted
from treatywatch.cases.service import (
    add_case,
    case_counts,
    cases_for_provision,
    get_case,
    import_cases,
    list_cases,
)
from treatywatch.ledger.demo import sample_cases_path
from treatywatch.store import session_scope
from treatywatch.store.models import (
    AuditLogRow,
    CaseRow,
    DocumentRow,
    DocumentVersionRow,
    ProvisionRow,
)

SAMPLES = sample_cases_path()
SECRETS = ("Blogger A", "Town B", "Activist C", "Members E and F", "City G")


def test_samples_are_fictional_and_marked_in_every_record() -> None:
    import yaml

    cases = yaml.safe_load(SAMPLES.read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 4
    for case in cases:
        assert case["fictional"] is True and "fictional" in case["tags"]
        assert case["title"].startswith("FICTIONAL SAMPLE")
        assert "Fictional example" in case["summary"]
        assert all("example.org/fictional" in s for s in case["sources"])
        assert all("fictional" in v for v in case.get("restricted", {}).values())


def test_import_is_idempotent_and_audited_without_secrets(initialised: str) -> None:
    first = import_cases(SAMPLES, actor="test")
    assert first["created"] == 4 and first["skipped"] == []
    assert any("not in the store yet" in w for w in first["warnings"])
    second = import_cases(SAMPLES, actor="test")
    assert second["unchanged"] == 4 and second["created"] == 0
    with session_scope(initialised) as session:
        logs = session.scalars(select(AuditLogRow).where(AuditLogRow.entity_type == "case")).all()
        assert len(logs) == 4 and {log.action for log in logs} == {"case.create"}
        dumped = json.dumps([log.after for log in logs])
        assert all(secret not in dumped for secret in SECRETS)
        kenya = next(log for log in logs if log.entity_id == "fict-ken-001")
        assert kenya.after is not None and kenya.after["restricted"] == ["location", "names"]
        stored = session.scalars(select(CaseRow).where(CaseRow.case_key == "fict-ken-001")).one()
        assert stored.restricted["names"].startswith("Blogger A")  # kept, separately


@pytest.mark.parametrize(
    ("role", "sensitivity", "allowed"),
    [
        ("viewer", "public", False),
        ("analyst", "public", True),
        ("analyst", "restricted", True),
        ("analyst", "confidential", False),
        ("admin", "confidential", True),
    ],
)
def test_role_matrix(role: str, sensitivity: str, allowed: bool) -> None:
    assert can_see_restricted(role, sensitivity) is allowed


def test_redaction_by_role(initialised: str) -> None:
    import_cases(SAMPLES, actor="test")
    with session_scope(initialised) as session:
        viewer = {c["key"]: c for c in list_cases(session)}
        analyst = {c["key"]: c for c in list_cases(session, role="analyst")}
        admin = {c["key"]: c for c in list_cases(session, role="admin")}
    assert viewer["fict-ken-001"]["restricted"] == {"location": REDACTED, "names": REDACTED}
    assert viewer["fict-ken-001"]["title"].startswith("FICTIONAL")  # public fields stay
    assert viewer["fict-sen-001"]["title"].startswith(REDACTED)
    assert viewer["fict-sen-001"]["summary"] == REDACTED
    assert analyst["fict-pak-001"]["restricted"]["names"].startswith("Activist C")
    assert analyst["fict-sen-001"]["restricted"]["names"] == REDACTED
    assert analyst["fict-sen-001"]["redacted"] is True
    assert admin["fict-sen-001"]["restricted"]["names"].startswith("Members E and F")
    assert admin["fict-sen-001"]["redacted"] is False
    with pytest.raises(RoleError), session_scope(initialised) as session:
        list_cases(session, role="superuser")


def test_exports_redact_by_default(initialised: str, cli: Any, tmp_path: Path) -> None:
    import_cases(SAMPLES, actor="test")
    exported = cli("cases", "export", "--format", "csv")
    assert exported.code == 0, exported.err
    assert all(secret not in exported.out for secret in SECRETS)
    rows = list(csv.DictReader(io.StringIO(exported.out)))
    assert len(rows) == 4 and all(r["fictional"] == "True" for r in rows)
    as_json = cli("cases", "export", "--json").json()
    assert all(secret not in json.dumps(as_json) for secret in SECRETS)
    analyst = cli("cases", "export", "--format", "json", "--role", "analyst").out
    assert "Activist C" in analyst and "Members E and F" not in analyst
    target = tmp_path / "out" / "cases.csv"
    written = cli("cases", "export", "--output", str(target), "--role", "admin")
    assert written.code == 0 and "Members E and F" in target.read_text(encoding="utf-8")
    bad_role = cli("cases", "list", "--role", "root", "--json")
    assert bad_role.code == 2 and "viewer" in bad_role.json()["hint"]


def test_reimporting_a_redacted_export_keeps_the_real_values(
    initialised: str, cli: Any, tmp_path: Path
) -> None:
    import_cases(SAMPLES, actor="test")
    exported = cli("cases", "export", "--format", "csv").out
    rows = list(csv.DictReader(io.StringIO(exported)))
    path = tmp_path / "roundtrip.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "country", "title", "date", "restricted_names"])
        for row in rows[:1]:
            writer.writerow([row["key"], row["country"], row["title"], row["date"], REDACTED])
    report = import_cases(path, actor="test")
    assert any("stored value was kept" in w for w in report["warnings"])
    with session_scope(initialised) as session:
        record = get_case(session, rows[0]["key"], role="admin")
    assert record["restricted"].get("names", "") != REDACTED


def test_bad_case_input(initialised: str, tmp_path: Path, cli: Any) -> None:
    with pytest.raises(CaseInputError) as err:
        add_case({"country": "Kenia Republik", "title": "FICTIONAL"}, actor="test")
    assert "Kenya (KEN)" in (err.value.hint or "")
    future = cli("cases", "add", "--country", "KEN", "--title", "FICTIONAL", "--date", "2999-01-01")
    assert future.code == 2 and "future" in future.err
    level = cli(
        "cases", "add", "--country", "KEN", "--title", "FICTIONAL", "--sensitivity", "secret"
    )
    assert level.code == 2 and "confidential" in level.err
    restricted = cli("cases", "add", "--country", "KEN", "--title", "X", "--restricted", "names")
    assert restricted.code == 2 and "FIELD=VALUE" in restricted.err
    missing = tmp_path / "missing.csv"
    missing.write_text("key,date\nk1,2024-01-01\n", encoding="utf-8")
    with pytest.raises(CaseInputError) as err:
        import_cases(missing, actor="test")
    assert "country, title" in err.value.message
    mixed = tmp_path / "mixed.yaml"
    mixed.write_text(
        "cases:\n"
        "  - {key: fict-a, country: KEN, title: 'FICTIONAL a', tags: [fictional]}\n"
        "  - {key: fict-b, country: Atlantis, title: 'FICTIONAL b', tags: [fictional]}\n"
        "  - {key: fict-a, country: GHA, title: 'FICTIONAL c', tags: [fictional]}\n",
        encoding="utf-8",
    )
    report = import_cases(mixed, actor="test")
    assert report["created"] == 1 and len(report["skipped"]) == 2
    assert "unknown country 'Atlantis'" in report["skipped"][0]["reason"]
    assert "repeats" in report["skipped"][1]["reason"]


def add_law(url: str) -> None:
    with session_scope(url) as session:
        session.add(
            DocumentRow(
                id="ken/act/2018/ken-cmca-2018", jurisdiction_code="KEN", title="Synthetic Act"
            )
        )
        session.flush()
        version = DocumentVersionRow(
            document_id="ken/act/2018/ken-cmca-2018",
            version_date=dt.date(2025, 3, 1),
            sha256="1" * 64,
            source_format="txt",
        )
        session.add(version)
        session.flush()
        for i, path in enumerate(["sec-22", "sec-22/1", "sec-23"]):
            session.add(
                ProvisionRow(
                    version_id=version.id,
                    path=path,
                    ordinal=i,
                    depth=path.count("/"),
                    unit="section",
                )
            )


def test_provision_links_counts_and_late_linking(initialised: str, cli: Any) -> None:
    import_cases(SAMPLES, actor="test")  # Kenya's law is not ingested yet
    with session_scope(initialised) as session:
        assert get_case(session, "fict-ken-001")["law_in_store"] is False
        assert len(cases_for_provision(session, "ken/act/2018/ken-cmca-2018", "sec-22")) == 1
    add_law(initialised)
    linked = cli("cases", "link", "--json").json()
    assert linked["linked"] == ["fict-ken-001"] and "fict-pak-001" in linked["pending"]
    bad = cli(
        "cases",
        "add",
        "--country",
        "KEN",
        "--title",
        "FICTIONAL wrong path",
        "--law",
        "ken/act/2018/ken-cmca-2018",
        "--provision",
        "sec-222",
        "--tag",
        "fictional",
    )
    assert bad.code == 2 and "has no provision 'sec-222'" in bad.err and "sec-22" in bad.err
    good = cli(
        "cases",
        "add",
        "--key",
        "fict-ken-002",
        "--country",
        "KEN",
        "--title",
        "FICTIONAL sub-section case",
        "--law",
        "ken/act/2018/ken-cmca-2018",
        "--provision",
        "sec-22/1",
        "--tag",
        "fictional",
        "--restricted",
        "names=Person H (fictional)",
        "--json",
    )
    assert good.code == 0, good.err
    assert good.json()["case"]["law_in_store"] is True
    with session_scope(initialised) as session:
        evidence = cases_for_provision(session, "ken/act/2018/ken-cmca-2018", "sec-22")
        exact = cases_for_provision(
            session, "ken/act/2018/ken-cmca-2018", "sec-22", include_children=False
        )
        counts = case_counts(session, "ken/act/2018/ken-cmca-2018")
    assert [c["key"] for c in evidence] == ["fict-ken-001", "fict-ken-002"]
    assert all(c["restricted"].get("names") == REDACTED for c in evidence)
    assert [c["key"] for c in exact] == ["fict-ken-001"]
    assert counts == {"sec-22": 1, "sec-22/1": 1}
    timeline = cli("ledger", "timeline", "KEN", "--json").json()
    assert [i["type"] for i in timeline["items"]].count("case") == 2
    assert "Person H" not in json.dumps(timeline)


def test_cli_list_show_and_filters(initialised: str, cli: Any) -> None:
    imported = cli("cases", "import", str(SAMPLES), "--json")
    assert imported.code == 0 and imported.json()["created"] == 4
    journalists = cli("cases", "list", "--tag", "journalist", "--json").json()
    assert [c["key"] for c in journalists] == ["fict-ken-001"]
    pakistan = cli("cases", "list", "--country", "Pakistan", "--format", "csv").out
    assert "fict-pak-001" in pakistan and "fict-ken-001" not in pakistan
    shown = cli("cases", "show", "fict-sen-001")
    assert "REDACTED" in shown.out and "City G" not in shown.out
    admin = cli("cases", "show", "fict-sen-001", "--role", "admin")
    assert "City G" in admin.out
    missing = cli("cases", "show", "fict-ken-01", "--json")
    assert missing.code == 2 and "fict-ken-001" in missing.json()["hint"]
