"""Hand-built provision trees (fictional) shared by the store, export and diff tests."""

from __future__ import annotations

import copy
import datetime as dt

from treatywatch.ingest.documents import VersionInfo
from treatywatch.ingest.model import Container, ProvisionNode, Segmentation


def node(
    unit: str,
    label: str | None,
    path: str,
    text: str = "",
    heading: str | None = None,
    children: list[ProvisionNode] | None = None,
    container: str | None = None,
    kind: str = "other",
) -> ProvisionNode:
    return ProvisionNode(
        unit=unit,
        label=label,
        heading=heading,
        text=text,
        children=children or [],
        path=path,
        kind=kind,
        container=container,
    )


def act() -> Segmentation:
    """A small fictional Act: two parts, a nested chapter, an empty part."""
    return Segmentation(
        provisions=[
            node(
                "section",
                "1",
                "sec-1",
                "This Act may be cited as the Sample Act.",
                "Short title",
                container="part-I",
                kind="general",
            ),
            node(
                "section",
                "2",
                "sec-2",
                "In this Act—",
                "Interpretation",
                container="part-I",
                kind="definition",
                children=[
                    node("subsection", "1", "sec-2/1", '"computer" means a device;'),
                    node(
                        "subsection",
                        "2",
                        "sec-2/2",
                        '"data" includes—',
                        children=[
                            node("paragraph", "a", "sec-2/2/a", "programs; and"),
                            node("paragraph", "b", "sec-2/2/b", "records."),
                        ],
                    ),
                ],
            ),
            node(
                "section",
                "3",
                "sec-3",
                "A person who intentionally and without authority accesses a computer "
                "commits an offence and is liable to imprisonment for two years.",
                "Unauthorised access",
                container="part-II/chap-1",
                kind="offence",
            ),
            node(
                "section",
                "4",
                "sec-4",
                "A person who publishes false news commits an offence.",
                "False news",
                container="part-II/chap-1",
                kind="offence",
            ),
            node(
                "section",
                "5",
                "sec-5",
                "The Minister may make regulations.",
                "Regulations",
                container="part-II",
                kind="general",
            ),
        ],
        containers=[
            Container("part", "I", "Preliminary", "part-I"),
            Container("part", "II", "Offences", "part-II"),
            Container("chapter", "1", "Computer offences", "part-II/chap-1", "part-II"),
            Container("part", "III", "Repealed", "part-III"),
        ],
        preamble="FICTIONAL SAMPLE. An Act to test treatywatch.",
    )


def amended() -> Segmentation:
    """The same Act later: s.3 penalty changed, s.4 repealed, s.4A inserted, s.5 → s.6."""
    tree = copy.deepcopy(act())
    sec3 = tree.provisions[2]
    sec3.text = sec3.text.replace("two years", "five years")
    inserted = node(
        "section",
        "4A",
        "sec-4A",
        "A person who reports an offence in good faith is not liable.",
        "Protection of reporters",
        container="part-II/chap-1",
    )
    regulations = tree.provisions[4]
    regulations.label, regulations.path = "6", "sec-6"
    new_5 = node(
        "section",
        "5",
        "sec-5",
        "The Commissioner shall oversee the use of powers under this Act and report every year.",
        "Oversight",
        container="part-II",
    )
    tree.provisions = [*tree.provisions[:3], inserted, new_5, regulations]
    return tree


def info(date: dt.date = dt.date(2024, 3, 1), language: str = "en") -> VersionInfo:
    return VersionInfo(
        document_id="ata/act/2024/sample",
        title="Sample Act, 2024 (fictional)",
        doctype="act",
        country="ATA",
        country_alpha2="AQ",
        language=language,
        date=date,
        sha256="ab" * 32,
        source_format="txt",
        source_url="https://example.org/sample",
        source_file="sample.txt",
        retrieved="2024-03-02",
        produced_by="treatywatch ingest test",
        version_id=1,
    )
