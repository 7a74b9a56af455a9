"""Ledger declarations: the single source of each ledger's columns, types, aliases and enums."""

from analytics.ledgers.definitions import LEDGERS
from analytics.ledgers.model import Column, Ledger, RowRule, normalise_header

__all__ = ["LEDGERS", "Column", "Ledger", "RowRule", "normalise_header"]
