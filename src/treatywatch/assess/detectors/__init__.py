"""The registry of rights detectors: every criterion has at least one.

Detectors are listed here, in criterion order, instead of being discovered,
so the set that ran is part of the code under review and of the engine
version; ``tests/test_assess_detectors.py`` fails when a detector has no
crafted positive and negative case.
"""

from __future__ import annotations

from treatywatch.assess.cues import CueBook
from treatywatch.assess.detectors.base import BaseDetector
from treatywatch.assess.detectors.children import ChildOffences
from treatywatch.assess.detectors.data_protection import DataSafeguards
from treatywatch.assess.detectors.gender import IntimateImages, MoralityOffences
from treatywatch.assess.detectors.judicial import PriorAuthorization
from treatywatch.assess.detectors.offence_quality import MentalElement, TestingException
from treatywatch.assess.detectors.oversight import (
    DurationLimits,
    ImmunityClauses,
    OversightAndRemedy,
)
from treatywatch.assess.detectors.penalty import SeriousCrimeReach
from treatywatch.assess.detectors.principles import PrinciplesNamed
from treatywatch.assess.detectors.public_interest import PublicInterestDefences
from treatywatch.assess.detectors.retention import DecryptionAndCapability, GeneralRetention
from treatywatch.assess.detectors.scope import CatchAllClause, ContentOffences
from treatywatch.assess.detectors.sharing import CooperationLimits
from treatywatch.assess.detectors.transparency import Notice, ProviderGag, Reporting

DETECTOR_CLASSES: tuple[type[BaseDetector], ...] = (
    ContentOffences,
    CatchAllClause,
    MentalElement,
    TestingException,
    PublicInterestDefences,
    PrinciplesNamed,
    IntimateImages,
    MoralityOffences,
    PriorAuthorization,
    ProviderGag,
    Notice,
    Reporting,
    DataSafeguards,
    CooperationLimits,
    DurationLimits,
    OversightAndRemedy,
    ImmunityClauses,
    ChildOffences,
    GeneralRetention,
    DecryptionAndCapability,
    SeriousCrimeReach,
)


def all_detectors(cues: CueBook | None = None) -> list[BaseDetector]:
    """One instance of every registered detector, sharing one cue book."""
    return [cls(cues) for cls in DETECTOR_CLASSES]


__all__ = ["DETECTOR_CLASSES", "BaseDetector", "all_detectors"]
