"""Segmenter: text lines (or pre-split units) → a provision tree with stable paths."""

from treatywatch.ingest.segment.accuracy import segmentation_accuracy
from treatywatch.ingest.segment.segmenter import from_units, segment

__all__ = ["from_units", "segment", "segmentation_accuracy"]
