"""treatywatch benchmarks: `make bench` runs every suite and prints one table.

Each benchmark times a candidate against a baseline *in the same process*,
so the ratio is meaningful on any machine; absolute times are shown too.
"""
