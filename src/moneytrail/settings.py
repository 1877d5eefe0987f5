"""User settings: a small TOML file under `moneytrail.paths.config_dir()`.

Contract: `load_settings()` never raises for a missing, unreadable or malformed file (it returns
the defaults, since a broken settings file must never stop the explorer from opening), and
`save_settings()` creates the directory only when it writes. Unknown keys are ignored on load so an
older moneytrail can read a newer file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import tomli_w

from moneytrail.paths import config_dir

SETTINGS_FILE = "settings.toml"
DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True, slots=True)
class Settings:
    """What the explorer remembers between runs."""

    #: The Textual theme name chosen from the command palette.
    theme: str = DEFAULT_THEME

    def with_theme(self, theme: str) -> Settings:
        """A copy with `theme` changed."""
        return replace(self, theme=theme)


def settings_path() -> Path:
    """The settings file (honours `MONEYTRAIL_CONFIG_DIR`)."""
    return config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there is no usable file."""
    target = path or settings_path()
    try:
        raw = tomllib.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Settings()
    ui = raw.get("ui", {})
    theme = ui.get("theme") if isinstance(ui, dict) else None
    return Settings(theme=theme if isinstance(theme, str) and theme else DEFAULT_THEME)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write `settings` (creating the config directory if needed). Returns the file written."""
    target = path or settings_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(tomli_w.dumps({"ui": {"theme": settings.theme}}), encoding="utf-8")
    return target
