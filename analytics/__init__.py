"""Weekly-review workbench for a General Manager's administrative assistant."""

__version__ = "0.1.0"
