"""Akoma Ntoso export: schema-valid, FRBR URIs, AKN eIds, text escaped (hand-built trees)."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

import pytest
from lxml import etree

from conftest import SHARED
from ingest_trees import act, info, node
from treatywatch.ingest.export_akn import AKN_NS, akn_language, eid_num, to_akn
from treatywatch.ingest.export_json import to_json_record
from treatywatch.ingest.model import Segmentation

SCHEMA = SHARED / "akn" / "schema" / "akomantoso30.xsd"
NS = {"a": AKN_NS}


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def assert_valid(xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    if SCHEMA.is_file():
        valid = schema().validate(root)
        assert valid, schema().error_log
    return root


@pytest.mark.skipif(not SCHEMA.is_file(), reason=f"AKN schema not found at {SCHEMA}")
def test_export_validates_against_the_akn_schema() -> None:
    assert_valid(to_akn(info(), act(), today=dt.date(2024, 3, 5)))


def test_frbr_uris_and_language() -> None:
    root = assert_valid(to_akn(info(language="fr"), act(), today=dt.date(2024, 3, 5)))
    work = root.find(".//a:FRBRWork/a:FRBRuri", NS)
    expression = root.find(".//a:FRBRExpression/a:FRBRuri", NS)
    assert work is not None and work.get("value") == "/akn/aq/act/2024/sample"
    assert (
        expression is not None
        and expression.get("value") == "/akn/aq/act/2024/sample/fra@2024-03-01"
    )
    language = root.find(".//a:FRBRlanguage", NS)
    assert language is not None and language.get("language") == "fra"


def test_eids_follow_the_naming_convention() -> None:
    root = assert_valid(to_akn(info(), act()))
    eids = [
        e.get("eId")
        for e in root.iter()
        if e.get("eId") and e.tag != f"{{{AKN_NS}}}TLCOrganization"
    ]
    assert eids == [
        "part_I",
        "sec_1",
        "sec_2",
        "sec_2__subsec_1",
        "sec_2__subsec_2",
        "sec_2__subsec_2__para_a",
        "sec_2__subsec_2__para_b",
        "part_II",
        "part_II__chp_1",
        "sec_3",
        "sec_4",
        "sec_5",
        "part_III",
    ]
    sec3 = root.find(".//a:section[@eId='sec_3']", NS)
    assert sec3 is not None and sec3.getparent().get("eId") == "part_II__chp_1"  # type: ignore[union-attr]
    para = root.find(".//a:paragraph[@eId='sec_2__subsec_2__para_a']/a:num", NS)
    assert para is not None and para.text == "(a)"


def test_articles_with_latin_suffixes_and_repeated_numbers() -> None:
    tree = Segmentation(
        provisions=[
            node("article", "12 bis", "art-12bis", "Texte.", "Conservation"),
            node("article", "1er", "art-1", "Objet."),
            node("article", "1er", "art-1_2", "Répété."),
            node("article", "٣", "art-3", "نص."),
        ]
    )
    root = assert_valid(to_akn(info(), tree))
    eids = [a.get("eId") for a in root.iterfind(".//a:article", NS)]
    assert eids == ["art_12bis", "art_1er", "art_1er_2", "art_3"]


def test_markup_in_law_text_is_escaped_not_parsed() -> None:
    tree = Segmentation(
        provisions=[node("section", "1", "sec-1", "<script>alert(1)</script> & more")]
    )
    xml = to_akn(info(), tree)
    root = assert_valid(xml)
    assert b"<script>" not in xml
    p = root.find(".//a:section/a:content/a:p", NS)
    assert p is not None and p.text == "<script>alert(1)</script> & more"


def test_provenance_in_proprietary_meta() -> None:
    root = assert_valid(to_akn(info(), act()))
    (provenance,) = root.iterfind(".//a:proprietary/*", NS)
    assert provenance.get("sha256") == "ab" * 32
    assert provenance.get("sourceUrl") == "https://example.org/sample"


def test_empty_tree_is_still_valid() -> None:
    assert_valid(to_akn(info(), Segmentation(provisions=[])))


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("12 bis", "12bis"),
        ("(a)", "a"),
        ("46A", "46A"),
        ("431-7", "431-7"),
        ("", "7"),
        ("١٢", "12"),
        ("§ 202a", "202a"),
    ],
)
def test_eid_num(label: str, expected: str) -> None:
    assert eid_num(label, 7) == expected


def test_akn_language_codes() -> None:
    assert [akn_language(c) for c in ("en", "fr", "es", "ar", "ru", "de", None, "xx")] == [
        "eng",
        "fra",
        "spa",
        "ara",
        "rus",
        "deu",
        "und",
        "und",
    ]


def test_json_export_is_a_nested_tree() -> None:
    record = to_json_record(info(), act())
    json.dumps(record)
    assert record["id"] == "ata/act/2024/sample" and record["version"] == "2024-03-01"
    assert [p["path"] for p in record["provisions"]] == [
        "sec-1",
        "sec-2",
        "sec-3",
        "sec-4",
        "sec-5",
    ]
    sub = record["provisions"][1]["children"][1]["children"][0]
    assert sub["path"] == "sec-2/2/a" and sub["depth"] == 3
    assert [c["path"] for c in record["containers"]] == [
        "part-I",
        "part-II",
        "part-II/chap-1",
        "part-III",
    ]


def test_unnumbered_nodes_take_their_path_step() -> None:
    tree = Segmentation(
        provisions=[
            node(
                "section",
                "2",
                "sec-2",
                "In this Act—",
                "Interpretation",
                children=[
                    node("paragraph", None, "sec-2/def-access", '"access" means entry;'),
                    node("paragraph", None, "sec-2/def-data", '"data" means facts;'),
                ],
            )
        ]
    )
    root = assert_valid(to_akn(info(), tree))
    eids = [p.get("eId") for p in root.iterfind(".//a:paragraph", NS)]
    assert eids == ["sec_2__para_def-access", "sec_2__para_def-data"]
