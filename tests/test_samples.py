"""Every fictional sample law, in every format, through `treatywatch ingest` on a fresh store.

These run on a fresh clone with no ../shared: the expected provisions are
written out here, independently of the segmenter.
"""

from __future__ import annotations

from typing import Any

import pytest

from treatywatch.samples import NORLAND_AMENDED, SAMPLE_COUNTRY, SAMPLE_LAWS, SampleLaw

NORLAND = [
    ("1", "Short title and commencement"),
    ("2", "Interpretation"),
    ("3", "Objects of the Act"),
    ("4", "Unauthorised access"),
    ("5", "Illegal interception"),
    ("6", "Interference with computer data"),
    ("7", "Interference with computer systems"),
    ("8", "Misuse of devices"),
    ("9", "Computer-related forgery"),
    ("10", "Computer-related fraud"),
    ("11", "Child sexual abuse material"),
    ("12", "Publication of false information"),
    ("13", "Insult by means of a computer system"),
    ("14", "Attempt, aiding and abetting"),
    ("15", "Public interest and security research defence"),
    ("16", "Offences by bodies corporate"),
    ("17", "Preservation of computer data"),
    ("18", "Production order"),
    ("19", "Search and seizure under warrant"),
    ("20", "Search without warrant in urgent cases"),
    ("21", "Real-time collection of traffic data"),
    ("22", "Interception of content data"),
    ("23", "Confidentiality of directions and orders"),
    ("24", "Retention of traffic data"),
    ("25", "Records and reporting"),
    ("26", "Extradition"),
    ("27", "Mutual legal assistance"),
    ("28", "Spontaneous information"),
    ("29", "Point of contact"),
    ("30", "Jurisdiction"),
    ("31", "Regulations"),
]
VALOMBRE = [
    ("premier", "Objet"),
    ("2", "Définitions"),
    ("3", "Accès frauduleux"),
    ("4", "Maintien frauduleux"),
    ("5", "Atteinte à l'intégrité des données"),
    ("6", "Entrave au fonctionnement d'un système"),
    ("7", "Pornographie infantile"),
    ("8", "Diffusion de fausses nouvelles"),
    ("9", "Offense aux institutions"),
    ("10", "Conservation rapide des données"),
    ("11", "Perquisition et saisie informatiques"),
    ("12", "Interception des communications"),
    ("12 bis", "Conservation généralisée des données"),
    ("13", "Entraide judiciaire"),
    ("14", "Extradition"),
    ("15", "Abrogation"),
    ("16", "Exécution"),
]
SAN_MARTIN = [
    ("1", "Objeto"),
    ("2", "Definiciones"),
    ("3", "Acceso ilícito"),
    ("4", "Interceptación ilícita"),
    ("5", "Daño informático"),
    ("6", "Fraude informático"),
    ("7", "Difamación por medios electrónicos"),
    ("8", "Conservación de datos"),
    ("9", "Registro y secuestro de datos"),
    ("10", "Interceptación de comunicaciones"),
    ("11", "Cooperación internacional"),
    ("12", "Vigencia"),
]
MAROUJ = [
    ("1", "التعريفات"),
    ("2", "نطاق التطبيق"),
    ("3", "الدخول غير المشروع"),
    ("4", "الاعتراض غير المشروع"),
    ("5", "الإضرار بالبيانات"),
    ("6", "نشر الأخبار الكاذبة"),
    ("7", "التفتيش والضبط"),
    ("8", "اعتراض الاتصالات"),
    ("9", "التعاون الدولي"),
    ("10", "النفاذ"),
]
EXPECTED = {
    "nor-ccea-2024": {
        "provisions": NORLAND,
        "paths": {"1": "sec-1", "31": "sec-31"},
        "containers": ["I", "II", "III", "IV", "V"],
        "subsections": {
            "sec-4": ["sec-4/1", "sec-4/2", "sec-4/3"],
            "sec-22": [
                "sec-22/1",
                "sec-22/1/a",
                "sec-22/1/b",
                "sec-22/1/c",
                "sec-22/2",
                "sec-22/3",
            ],
        },
        "kinds": {
            "2": "definition",
            "4": "offence",
            "12": "offence",
            "13": "offence",
            "19": "procedural",
            "20": "procedural",
            "21": "procedural",
            "27": "cooperation",
        },
    },
    "vlb-loi-2025-17": {
        "provisions": VALOMBRE,
        "paths": {"premier": "art-1", "12 bis": "art-12bis"},
        "containers": ["PREMIER", "II", "premier", "II", "III", "IV", "V"],
        "subsections": {"art-2": ["art-2/1", "art-2/2", "art-2/3", "art-2/4"]},
        "kinds": {
            "2": "definition",
            "3": "offence",
            "8": "offence",
            "11": "procedural",
            "13": "cooperation",
        },
    },
    "rsm-ley-4312-2023": {
        "provisions": SAN_MARTIN,
        "paths": {"1": "art-1", "10": "art-10"},
        "containers": ["I", "II", "III", "IV"],
        "subsections": {"art-2": ["art-2/a", "art-2/b", "art-2/c"]},
        "kinds": {"2": "definition", "3": "offence", "7": "offence", "9": "procedural"},
    },
    "mrj-qanun-9-2025": {
        "provisions": MAROUJ,
        "paths": {"1": "art-1", "10": "art-10"},
        "containers": ["الأول", "الثاني", "الثالث"],
        "subsections": {},
        "kinds": {"3": "offence", "6": "offence"},
    },
}
CASES = [(law, fmt) for law in SAMPLE_LAWS for fmt in law.formats]


def ingest(cli: Any, law: SampleLaw, fmt: str, *extra: str) -> dict[str, Any]:
    result = cli(
        "ingest",
        str(law.path(fmt)),
        "--country",
        law.country,
        "--id",
        law.document_id,
        "--date",
        law.date.isoformat(),
        "--title",
        law.title,
        *extra,
        "--json",
    )
    assert result.code == 0, result.out + result.err
    data = result.json()
    assert isinstance(data, dict)
    return data


def test_every_sample_is_marked_fictional() -> None:
    markers = {"en": "FICTIONAL", "fr": "FICTIVE", "es": "FICTICIA", "ar": "افتراضي"}
    for law in (*SAMPLE_LAWS, NORLAND_AMENDED):
        first_line = law.path("txt").read_text(encoding="utf-8").splitlines()[0]
        assert markers[law.language] in first_line, law.name
        for fmt in law.formats:
            assert law.path(fmt).stat().st_size < 100_000, f"{law.name}.{fmt} is too big"


@pytest.mark.parametrize(("law", "fmt"), CASES, ids=[f"{law.name}.{fmt}" for law, fmt in CASES])
def test_sample_ingests_with_the_expected_provisions(
    cli: Any, initialised: str, law: SampleLaw, fmt: str
) -> None:
    expected = EXPECTED[law.name]
    data = ingest(cli, law, fmt)
    assert data["id"] == law.document_id
    assert data["language"] == law.language
    assert data["version"] == law.date.isoformat() and data["status"] == "stored"
    top = [p for p in data["provisions"] if p["depth"] == 1]
    assert [(p["label"], p["heading"]) for p in top] == expected["provisions"]
    paths = {p["label"]: p["path"] for p in top}
    for label, path in expected["paths"].items():
        assert paths[label] == path
    assert [c["label"] for c in data["containers"]] == expected["containers"]
    below = [p["path"] for p in data["provisions"] if p["depth"] > 1]
    for parent, children in expected["subsections"].items():
        assert [p for p in below if p.startswith(parent + "/")] == children
    kinds = {p["label"]: p["kind"] for p in top}
    for label, kind in expected["kinds"].items():
        assert kinds[label] == kind, (label, kinds[label])
    assert all(set(p) == {"path", "label", "heading", "kind", "depth"} for p in data["provisions"])


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_formats_of_one_law_store_the_same_tree(cli: Any, initialised: str, fmt: str) -> None:
    law = SAMPLE_LAWS[0]
    from_txt = ingest(cli, law, "txt")
    other = cli(
        "ingest",
        str(law.path(fmt)),
        "--country",
        SAMPLE_COUNTRY,
        "--id",
        "norland-copy",
        "--date",
        law.date.isoformat(),
        "--json",
    ).json()
    assert isinstance(other, dict)
    assert other["provisions"] == from_txt["provisions"]
    assert other["containers"] == from_txt["containers"]
