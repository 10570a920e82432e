"""Fictional sample laws, shipped with treatywatch for tests and the demo.

Every text here was written for treatywatch and is marked as fictional in
its first line; none is the law of any State. They imitate real drafting
styles (an English common-law Act with Parts and sections, a French
civil-law "Loi" with Titres and Articles, a Spanish "Ley", an Arabic
"قانون") and deliberately mix good and bad practice — offences with and
without intent, content offences with long prison terms, powers with and
without prior judicial authorization, a provider gag clause, blanket data
retention, assistance without dual criminality — so every later stage has
something to find on a fresh clone without ../shared.

``scripts/make_samples.py`` renders each .txt master as HTML, DOCX and PDF.

Each sample law belongs to a fictional State with a code from the ISO 3166
user-assigned range (XNL Norland, XVB Valombre, XSM San Martín de los Altos,
XMJ Marouj; see ``ledger/data/jurisdictions.yaml``), so a sample can never
be mistaken for the law of a real State.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

# Default fictional State for tests that ingest "some sample law".
SAMPLE_COUNTRY = "XNL"


@dataclass(frozen=True)
class SampleLaw:
    name: str  # file stem in this package
    document_id: str  # work id it is stored under
    title: str
    date: dt.date
    language: str
    formats: tuple[str, ...]
    country: str = SAMPLE_COUNTRY  # a fictional, user-assigned ISO code (see ledger data)

    def path(self, fmt: str) -> Path:
        return sample_dir() / f"{self.name}.{fmt}"


SAMPLE_LAWS = (
    SampleLaw(
        "nor-ccea-2024",
        "xnl/act/2024/norland-ccea",
        "Computer Crimes and Electronic Evidence Act, 2024 (Norland, fictional)",
        dt.date(2024, 7, 1),
        "en",
        ("txt", "html", "docx", "pdf"),
    ),
    SampleLaw(
        "vlb-loi-2025-17",
        "xvb/act/2025/valombre-2025-17",
        "Loi n° 2025-17 relative à la cybercriminalité (Valombre, fictive)",
        dt.date(2025, 3, 3),
        "fr",
        ("txt", "html", "docx", "pdf"),
        "XVB",
    ),
    SampleLaw(
        "rsm-ley-4312-2023",
        "xsm/act/2023/san-martin-4312",
        "Ley N° 4.312 de Delitos Informáticos (San Martín de los Altos, ficticia)",
        dt.date(2023, 9, 15),
        "es",
        ("txt", "html", "docx", "pdf"),
        "XSM",
    ),
    SampleLaw(
        "mrj-qanun-9-2025",
        "xmj/act/2025/marouj-9-2025",
        "قانون رقم 9 لسنة 2025 بشأن مكافحة الجرائم المعلوماتية (دولة المروج، افتراضي)",
        dt.date(2025, 5, 1),
        "ar",
        ("txt", "html", "docx"),
        "XMJ",
    ),
)

# A later consolidated text of the Norland Act (a fictional 2025 amendment:
# a penalty lowered, the insult offence repealed, a section inserted and two
# renumbered), to show versions and `treatywatch diff`.
NORLAND_AMENDED = SampleLaw(
    "nor-ccea-2024-amended-2025",
    SAMPLE_LAWS[0].document_id,
    SAMPLE_LAWS[0].title,
    dt.date(2025, 6, 1),
    "en",
    ("txt",),
)


def sample_dir() -> Path:
    return Path(str(resources.files("treatywatch.samples")))


def sample_law(name: str) -> SampleLaw:
    for law in (*SAMPLE_LAWS, NORLAND_AMENDED):
        if law.name == name:
            return law
    raise KeyError(name)
