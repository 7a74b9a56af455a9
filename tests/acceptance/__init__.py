"""Customer acceptance check: realistic OA exports, an independent reading of metrics.md, the CLI end to end.

generator.py writes the exports (and keeps the canonical rows it wrote), expected.py computes every metric of
metrics.md from those canonical rows, test_acceptance.py loads the files through the CLI and compares.
"""
