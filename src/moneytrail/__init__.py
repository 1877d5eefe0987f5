"""moneytrail: a terminal explorer for campaign-finance money."""

from __future__ import annotations

__version__ = "0.1.0"
