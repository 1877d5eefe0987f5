"""`python -m moneytrail` runs the same entry point as the console script."""

from __future__ import annotations

from moneytrail.cli import main

raise SystemExit(main())
