"""`moneytrail [PATH]`: open the explorer."""

from __future__ import annotations

import argparse

from moneytrail.cli.common import load


def run(args: argparse.Namespace) -> int:
    dataset = load(args)
    from moneytrail.ui.app import run_app

    return run_app(dataset)
