"""`treatywatch ingest`, versions, `diff`, `documents`, `export` and `search` end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import select, text

from conftest import SHARED
from treatywatch.samples import NORLAND_AMENDED, SAMPLE_COUNTRY, SAMPLE_LAWS
from treatywatch.store import session_scope
from treatywatch.store.models import AuditLogRow, DocumentVersionRow, ProvenanceRow

NORLAND = SAMPLE_LAWS[0]
DOC = NORLAND.document_id
V1, V2 = f"{DOC}@{NORLAND.date.isoformat()}", f"{DOC}@{NORLAND_AMENDED.date.isoformat()}"
SCHEMA = SHARED / "akn" / "schema" / "akomantoso30.xsd"


def run_ok(cli: Any, *args: str) -> Any:
    result = cli(*args)
    assert result.code == 0, result.out + result.err
    return result


def ingest_v1(cli: Any, *extra: str) -> dict[str, Any]:
    data = run_ok(
        cli,
        "ingest",
        str(NORLAND.path("pdf")),
        "--country",
        SAMPLE_COUNTRY,
        "--id",
        DOC,
        "--date",
        NORLAND.date.isoformat(),
        "--source",
        "https://example.org/norland.pdf",
        *extra,
        "--json",
    ).json()
    assert isinstance(data, dict)
    return data


def ingest_v2(cli: Any) -> dict[str, Any]:
    data = run_ok(
        cli,
        "ingest",
        str(NORLAND_AMENDED.path("txt")),
        "--country",
        SAMPLE_COUNTRY,
        "--id",
        DOC,
        "--date",
        NORLAND_AMENDED.date.isoformat(),
        "--json",
    ).json()
    assert isinstance(data, dict)
    return data


def rows(url: str) -> dict[str, int]:
    with session_scope(url) as s:
        return {
            t: int(s.scalar(text(f"SELECT count(*) FROM {t}")) or 0)
            for t in ("documents", "document_versions", "provisions", "provenance", "audit_log")
        }


def test_ingest_json_interface(cli: Any, initialised: str) -> None:
    data = ingest_v1(cli)
    assert set(data) == {
        "id",
        "language",
        "version",
        "sha256",
        "status",
        "provisions",
        "containers",
        "warnings",
    }
    assert data["id"] == DOC and data["version"] == "2024-07-01" and data["status"] == "stored"
    assert (
        data["sha256"] == __import__("hashlib").sha256(NORLAND.path("pdf").read_bytes()).hexdigest()
    )
    top = [p for p in data["provisions"] if p["depth"] == 1]
    assert top[0] == {
        "path": "sec-1",
        "label": "1",
        "heading": "Short title and commencement",
        "kind": top[0]["kind"],
        "depth": 1,
    }
    assert {p["depth"] for p in data["provisions"]} == {1, 2, 3}
    assert all(c["path"].startswith("part-") for c in data["containers"])


def test_provenance_audit_and_rows_in_one_write(cli: Any, initialised: str) -> None:
    before = rows(initialised)
    data = ingest_v1(cli)
    after = rows(initialised)
    assert after["documents"] == before["documents"] + 1
    assert after["document_versions"] == before["document_versions"] + 1
    assert after["provisions"] == before["provisions"] + len(data["provisions"]) + len(
        data["containers"]
    )
    with session_scope(initialised) as s:
        version = s.scalars(select(DocumentVersionRow)).one()
        provenance = s.get(ProvenanceRow, version.provenance_id)
        actions = s.execute(select(AuditLogRow.action, AuditLogRow.entity_id)).all()
    assert provenance is not None
    assert (
        provenance.sha256 == data["sha256"]
        and provenance.source_url == "https://example.org/norland.pdf"
    )
    assert provenance.source_file and provenance.source_file.endswith("nor-ccea-2024.pdf")
    assert provenance.produced_by.startswith("treatywatch ingest ")
    assert provenance.retrieved
    assert ("create", DOC) in actions and ("ingest", V1) in actions


def test_same_bytes_again_is_unchanged(cli: Any, initialised: str) -> None:
    first = ingest_v1(cli)
    before = rows(initialised)
    again = ingest_v1(cli)
    assert again["status"] == "unchanged"
    assert {k: v for k, v in again.items() if k != "status"} == {
        k: v for k, v in first.items() if k != "status"
    }
    # Without --id or --date, the same bytes are still recognised.
    human = run_ok(cli, "ingest", str(NORLAND.path("pdf")), "--country", SAMPLE_COUNTRY)
    assert "unchanged" in human.out
    assert rows(initialised) == before


def test_new_text_with_new_date_is_a_new_version_and_diffs(cli: Any, initialised: str) -> None:
    ingest_v1(cli)
    second = ingest_v2(cli)
    assert second["status"] == "stored" and second["version"] == "2025-06-01"
    listing = run_ok(cli, "documents", "list", "--json").json()
    assert isinstance(listing, list)
    (doc,) = listing
    assert doc["versions"] == ["2024-07-01", "2025-06-01"] and doc["latest"] == "2025-06-01"
    diff = run_ok(cli, "diff", V1, V2, "--json").json()
    assert isinstance(diff, dict)
    assert diff["summary"] == {"added": 2, "removed": 1, "changed": 4, "unchanged": 26}
    by_new = {c["new_path"]: c for c in diff["changes"]}
    assert "[-million-] {+hundred thousand+}" in by_new["sec-12"]["redline"]
    assert "[-five years,-] {+one year,+}" in by_new["sec-12"]["redline"]
    assert {"path": "3", "status": "added"} in by_new["sec-12"]["parts"]
    assert by_new["sec-31"]["old_path"] == "sec-30" and by_new["sec-31"]["renumbered"]
    assert by_new["sec-30"]["status"] == "added" and by_new["sec-15a"]["status"] == "added"
    removed = [c for c in diff["changes"] if c["status"] == "removed"]
    assert [c["old_path"] for c in removed] == ["sec-13"]
    human = run_ok(cli, "diff", V1, V2)
    assert "4 changed, 2 added, 1 removed" in human.out and "sec-30 → sec-31" in human.out


def test_same_date_different_bytes_is_refused(cli: Any, initialised: str) -> None:
    ingest_v1(cli)
    before = rows(initialised)
    result = cli(
        "ingest",
        str(NORLAND_AMENDED.path("txt")),
        "--country",
        SAMPLE_COUNTRY,
        "--id",
        DOC,
        "--date",
        NORLAND.date.isoformat(),
    )
    assert result.code == 2
    assert "already has a different text dated 2024-07-01" in result.err
    assert "--date" in result.err
    assert rows(initialised) == before


def test_documents_show_and_unknown_ids(cli: Any, initialised: str) -> None:
    ingest_v1(cli)
    shown = run_ok(cli, "documents", "show", DOC, "--json").json()
    assert isinstance(shown, dict)
    assert shown["id"] == DOC and shown["provisions"] == 31 and shown["containers"] == 5
    assert shown["source_url"] == "https://example.org/norland.pdf"
    human = run_ok(cli, "documents", "show", V1, "--provisions")
    assert "Search without warrant in urgent cases" in human.out and "sec-22/1/a" in human.out
    unknown = cli("documents", "show", "xnl/act/2024/norland-cce")
    assert unknown.code == 2 and "did you mean" in unknown.err and DOC in unknown.err
    no_version = cli("documents", "show", f"{DOC}@1999-01-01")
    assert no_version.code == 2 and "2024-07-01" in no_version.err
    malformed = cli("diff", "not-an-id", V1)
    assert malformed.code == 2 and "expected e.g." in malformed.err


def test_export_json_and_akn(cli: Any, initialised: str, tmp_path: Path) -> None:
    ingest_v1(cli)
    exported = json.loads(run_ok(cli, "export", DOC, "--format", "json").out)
    assert exported["id"] == DOC and len(exported["provisions"]) == 31
    target = tmp_path / "out" / "norland.xml"
    run_ok(cli, "export", V1, "--format", "akn", "--output", str(target))
    root = etree.parse(str(target)).getroot()
    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
    assert root.find(".//a:FRBRWork/a:FRBRuri", ns).get("value") == "/akn/xn/act/2024/norland-ccea"
    assert root.find(".//a:paragraph[@eId='sec_22__subsec_1__para_a']", ns) is not None
    assert root.find(".//a:part[@eId='part_I']", ns) is not None
    if SCHEMA.is_file():
        schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
        assert schema.validate(root), schema.error_log
    bad = cli("export", DOC, "--format", "pdf")
    assert bad.code == 2 and "json, akn" in bad.err


def test_search_finds_ingested_provisions(cli: Any, initialised: str) -> None:
    ingest_v1(cli)
    hits = run_ok(cli, "search", "interception content data", "--json").json()
    assert isinstance(hits, list)
    ids = [h["entity_id"] for h in hits]
    assert f"{V1}#sec-22" in ids
    ingest_v2(cli)
    hits = run_ok(cli, "search", "Oversight Commissioner", "--json").json()
    assert isinstance(hits, list) and hits[0]["entity_id"] == f"{V2}#sec-30"


def test_ingest_needs_an_initialised_store(cli: Any, store_url: str) -> None:
    result = cli("ingest", str(NORLAND.path("txt")), "--country", SAMPLE_COUNTRY)
    assert result.code == 2 and "treatywatch init" in result.err


def test_ingest_human_output(cli: Any, initialised: str) -> None:
    result = run_ok(cli, "ingest", str(NORLAND.path("docx")), "--country", SAMPLE_COUNTRY)
    out = " ".join(result.out.split())
    assert "Stored xnl/act/2024/" in out and "31 provisions in 5 containers" in out
    assert "Interception of content data" in result.out


def test_rich_markup_in_law_text_is_printed_literally(
    cli: Any, initialised: str, tmp_path: Path
) -> None:
    law = tmp_path / "law.txt"
    law.write_text(
        "FICTIONAL [bold]MARKUP[/bold] ACT, 2024\n\n1. Short [red]title[/red]\n"
        "This Act is fictional.\n\n2. Offence\nA person [link=x]commits[/link] an offence.\n"
    )
    result = run_ok(cli, "ingest", str(law), "--country", "KEN")
    assert "(FICTIONAL [bold]MARKUP[/bold] ACT, 2024)" in result.out


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_documents_list_formats(cli: Any, initialised: str, fmt: str) -> None:
    ingest_v1(cli)
    out = run_ok(cli, "documents", "list", "--format", fmt).out
    assert DOC in out


def test_batch_copy_of_samples(cli: Any, initialised: str, tmp_path: Path) -> None:
    for law in SAMPLE_LAWS[:2]:
        shutil.copy(law.path("txt"), tmp_path / f"{law.name}.txt")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 nonsense")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "file,country,title,date,id,source\n"
        f"{SAMPLE_LAWS[0].name}.txt,ATA,Norland Act,2024-07-01,norland,https://example.org/a\n"
        "broken.pdf,ATA,Broken Act,2024-01-01,broken,\n"
        f"{SAMPLE_LAWS[1].name}.txt,ATA,,2025-03-03,,\n"
    )
    result = cli("ingest-batch", str(tmp_path), "--manifest", str(manifest), "--json")
    assert result.code == 1
    data = result.json()
    assert isinstance(data, dict)
    assert (data["stored"], data["failed"]) == (2, 1)
    statuses = [d["status"] for d in data["documents"]]
    assert statuses == ["stored", "failed", "stored"]
    assert "broken.pdf" in data["documents"][1]["error"]
    again = cli("ingest-batch", str(tmp_path), "--manifest", str(manifest))
    assert again.code == 1 and "unchanged" in again.out and "1 failed" in again.out
    listing = run_ok(cli, "documents", "list", "--json").json()
    assert isinstance(listing, list) and len(listing) == 2


def test_batch_yaml_manifest_and_manifest_errors(
    cli: Any, initialised: str, tmp_path: Path
) -> None:
    shutil.copy(NORLAND.path("txt"), tmp_path / "law.txt")
    (tmp_path / "manifest.yaml").write_text(
        "documents:\n  - file: law.txt\n    country: ATA\n    date: 2024-07-01\n    id: norland\n"
    )
    ok = run_ok(cli, "ingest-batch", str(tmp_path), "--json").json()
    assert isinstance(ok, dict) and ok["stored"] == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("file,country,date\nlaw.txt,ATA,01/07/2024\n")
    result = cli("ingest-batch", str(tmp_path), "--manifest", str(bad))
    assert result.code == 2 and "entry 1" in result.err and "YYYY-MM-DD" in result.err
    nocountry = tmp_path / "nocountry.csv"
    nocountry.write_text("file,title\nlaw.txt,X\n")
    result = cli("ingest-batch", str(tmp_path), "--manifest", str(nocountry))
    assert result.code == 2 and "no country column" in result.err


def test_presegmented_json_keeps_containers_and_enrichment(
    cli: Any, initialised: str, tmp_path: Path
) -> None:
    law = tmp_path / "law.json"
    law.write_text(
        json.dumps(
            {
                "title": "Fictional Pre-segmented Act, 2024",
                "provisions": [
                    {
                        "section": "1",
                        "title": "Short title",
                        "chapter": "Part I",
                        "content": "This Act is fictional.",
                    },
                    {
                        "section": "2",
                        "title": "Unauthorised access",
                        "chapter": "Part II",
                        "content": "(1) A person who intentionally and without authority accesses "
                        "a computer commits an offence and is liable to imprisonment for 3 years. "
                        "(2) An attempt is an offence.",
                    },
                    {
                        "section": "2A",
                        "title": "Aggravation",
                        "chapter": "Part II",
                        "content": "Where an offence under section 2 targets critical "
                        "infrastructure the penalty is doubled.",
                    },
                ],
            }
        )
    )
    data = run_ok(cli, "ingest", str(law), "--country", "KEN", "--json").json()
    assert isinstance(data, dict)
    assert data["id"] == "ken/act/2024/fictional-pre-segmented-act"
    assert [c["label"] for c in data["containers"]] == ["I", "II"]
    assert [p["label"] for p in data["provisions"] if p["depth"] == 1] == ["1", "2", "2A"]
    exported = json.loads(run_ok(cli, "export", data["id"]).out)
    sec2 = exported["provisions"][1]
    assert sec2["kind"] == "offence" and sec2["details"]["penalty"]["max_prison_years"] == 3
    assert [c["path"] for c in sec2["children"]] == ["sec-2/1", "sec-2/2"]
    with session_scope(initialised) as s:
        parents = dict(
            s.execute(
                text(
                    "SELECT p.path, c.path FROM provisions p JOIN provisions c "
                    "ON p.parent_id = c.id WHERE p.depth = 1"
                )
            ).all()
        )
    assert parents == {"sec-1": "part-1", "sec-2": "part-2", "sec-2a": "part-2"}


@pytest.mark.parametrize(
    ("preamble", "title"),
    [
        (
            "FICTIONAL SAMPLE LAW. The Republic of Norland does not exist.\nREPUBLIC OF NORLAND\n"
            "COMPUTER CRIMES AND ELECTRONIC EVIDENCE ACT, 2024\nAct No. 7 of 2024",
            "COMPUTER CRIMES AND ELECTRONIC EVIDENCE ACT, 2024",
        ),
        (
            "RÉPUBLIQUE DE VALOMBRE\nLOI N° 2025-17 DU 3 MARS 2025 RELATIVE À LA CYBERCRIMINALITÉ",
            "LOI N° 2025-17 DU 3 MARS 2025 RELATIVE À LA CYBERCRIMINALITÉ",
        ),
        (
            "دولة المروج\nقانون رقم (9) لسنة 2025 بشأن مكافحة الجرائم المعلوماتية",
            "قانون رقم (9) لسنة 2025 بشأن مكافحة الجرائم المعلوماتية",
        ),
        ("A shopping list: milk, bread and eggs.", None),
    ],
)
def test_title_from_the_text_before_the_first_provision(preamble: str, title: str | None) -> None:
    from treatywatch.ingest.pipeline import title_from_text

    assert title_from_text(preamble) == title
