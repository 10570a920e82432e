"""Serious-crime reach: the offences a law punishes with four years or more.

UNCC Art. 2(h) makes any offence punishable by at least four years a
"serious crime", and the treaty's evidence-sharing (Arts 23, 35) follows
it; a State's choice of maximum penalty therefore decides what other
States may ask it to investigate. The maximum term comes from ingest
(``details["penalty"]["max_prison_years"]``, life = 99); whether the
offence is about content is the scope detector's test, so the two views
can never disagree.
"""

from __future__ import annotations

from treatywatch.assess.cues import CueBook, cue_book
from treatywatch.assess.detectors.base import is_offence, penalty_evidence, penalty_of
from treatywatch.assess.detectors.scope import content_hits
from treatywatch.assess.model import SERIOUS_CRIME_YEARS, LawView, SeriousCrime

PENAL_KINDS = frozenset({"offence", "penalty"})


def serious_crimes(law: LawView, cues: CueBook | None = None) -> list[SeriousCrime]:
    """Offences with a maximum of at least four years, in document order."""
    book = cues or cue_book()
    crimes = []
    for provision in law.provisions:
        if not (is_offence(law, provision) or provision.kind in PENAL_KINDS):
            continue
        penalty = penalty_of(provision)
        if penalty is None or penalty.max_years is None:
            continue
        if penalty.max_years < SERIOUS_CRIME_YEARS:
            continue
        crimes.append(
            SeriousCrime(
                provision_key=provision.key,
                label=provision.label,
                heading=provision.heading,
                max_years=penalty.max_years,
                content_offence=bool(content_hits(book, provision)),
                evidence=penalty_evidence(provision, penalty),
            )
        )
    return crimes
