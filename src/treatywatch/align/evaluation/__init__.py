"""Evaluation of alignment against gold labels: ``treatywatch eval``.

``gold`` reads and validates gold CSVs, ``documents`` makes the labelled
laws available (store, corpus ingest, or in-memory analysis), ``metrics``
holds the pure metric definitions, ``harness`` runs the engine and its
baselines and collects calibration features, ``report`` renders tables and
``cli`` registers the command.
"""
