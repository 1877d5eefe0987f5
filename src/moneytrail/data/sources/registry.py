"""The source registry: the built-in sources, then those plug-in packages add.

A plug-in package adds a format by naming a `Source` (an instance, or a class taking no
arguments) in the ``moneytrail.sources`` entry point group of its metadata::

    [project.entry-points."moneytrail.sources"]
    nv = "moneytrail_nevada:NevadaSource"

Entry points are loaded the first time sources are needed (opening a dataset), never at
import. A plug-in that fails to load, is not a `Source`, or reuses a taken name is left out and
named in `problems()` (shown as a load warning), so one broken package cannot stop the
built-in formats from working. Pure: Polars and the standard library only.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.metadata import entry_points
from typing import Final

from moneytrail.data.sources.base import Source

ENTRY_POINT_GROUP: Final = "moneytrail.sources"
_NAME_RE: Final = re.compile(r"^[a-z][a-z0-9_]{0,15}$")


def builtin_sources() -> tuple[Source, ...]:
    """The sources moneytrail ships, in the order that breaks sniffing ties."""
    from moneytrail.data.sources.fec import FecSource
    from moneytrail.data.sources.filings import FILING_SOURCES
    from moneytrail.data.sources.tables import TablesSource

    return (TablesSource(), FecSource(), *FILING_SOURCES)


def _problem(source: object) -> str | None:
    if not isinstance(source, Source):
        return "is not a moneytrail Source (needs name, title, options, sniff, read, ...)"
    if not _NAME_RE.match(source.name):
        return f"has an invalid name {source.name!r} (lower-case letters, digits, _)"
    return None


@cache
def _load() -> tuple[tuple[Source, ...], tuple[str, ...]]:
    found: list[Source] = list(builtin_sources())
    problems: list[str] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            obj = ep.load()
            source = obj() if isinstance(obj, type) else obj
        except Exception as exc:  # a broken plug-in must not stop the built-in formats
            problems.append(f"source plug-in {ep.name} ({ep.value}) failed to load: {exc!r}")
            continue
        problem = _problem(source)
        if problem is None and any(s.name == source.name for s in found):
            problem = f"reuses the source name {source.name!r}"
        if problem is not None:
            problems.append(f"source plug-in {ep.name} ({ep.value}) {problem}: left out")
            continue
        found.append(source)
    return tuple(found), tuple(problems)


def sources() -> tuple[Source, ...]:
    """Every usable source: built-ins first, then plug-ins by entry point name."""
    return _load()[0]


def problems() -> tuple[str, ...]:
    """One line per plug-in that was left out, and why."""
    return _load()[1]


def get_source(name: str) -> Source:
    """The source called `name`.

    Raises:
        KeyError: no such source.
    """
    for source in sources():
        if source.name == name:
            return source
    raise KeyError(name)


def reload() -> None:
    """Forget the loaded plug-ins (after installing one, and in tests)."""
    _load.cache_clear()
