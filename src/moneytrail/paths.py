"""Where things live on disk: the bundled sample, the cache and config directories.

Directories are computed lazily and never created at import time. Environment overrides:
`MONEYTRAIL_CACHE_DIR` for the cache and `MONEYTRAIL_CONFIG_DIR` for settings (tests use both so
they never touch a user's real directories).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

SAMPLE_NAME = "safety-and-justice"


def sample_dataset_path() -> Path:
    """The bundled synthetic sample: package data in a wheel, `sample_data/` in a checkout."""
    packaged = Path(__file__).parent / "sample_data" / SAMPLE_NAME
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "sample_data" / SAMPLE_NAME


def cache_dir() -> Path:
    """The Parquet cache root (`MONEYTRAIL_CACHE_DIR` overrides the platform default)."""
    env = os.environ.get("MONEYTRAIL_CACHE_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir("moneytrail"))


def config_dir() -> Path:
    """The settings directory (`MONEYTRAIL_CONFIG_DIR` overrides the platform default)."""
    env = os.environ.get("MONEYTRAIL_CONFIG_DIR")
    return Path(env) if env else Path(platformdirs.user_config_dir("moneytrail"))
