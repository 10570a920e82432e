"""Human-rights assessment: rights detectors, findings, serious-crime reach, review.

stored law version → :func:`lawview.law_view` → every detector in
:mod:`treatywatch.assess.detectors` (cue lists in ``assess/cues/*.yaml``)
→ :class:`engine.Assessment` (findings, serious crimes, scorecard) →
:mod:`store` (findings table, reviewed ones kept) → reports. See
docs/assess.md for the detectors, the scoring rule and the caveats.
"""
