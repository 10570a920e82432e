"""Ingestion: readers -> segmenter -> provision tree -> store."""
