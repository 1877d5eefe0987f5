"""`moneytrail [PATH]`: open the explorer.

The dataset is opened inside the app (in a worker, behind a progress screen), so a big import
shows its progress instead of a silent terminal; errors still end as one line and exit 1.
"""

from __future__ import annotations

import argparse
from typing import Any


def run(args: argparse.Namespace) -> int:
    """Open the explorer on `args.path` (the bundled sample when None)."""
    from moneytrail.cli.common import open_options
    from moneytrail.data.errors import DataError
    from moneytrail.ui.app import run_app

    if args.path is not None and not args.path.exists():
        raise DataError("no such file or directory", path=str(args.path))
    options: dict[str, Any] = open_options(args)
    return run_app(path=args.path, open_options=options)
