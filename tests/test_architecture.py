"""The layering rule, enforced: the pure layers import neither Textual nor Rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import moneytrail.data
import moneytrail.query


def _pure_modules() -> list[str]:
    names: list[str] = []
    for package in (moneytrail.data, moneytrail.query):
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            names.append(info.name)
    return names


def test_pure_layers_do_not_import_textual_or_rich() -> None:
    modules = _pure_modules()
    assert "moneytrail.data.schema" in modules and "moneytrail.query.filters" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"pure layers imported: {result.stdout.strip()}"


def test_present_layer_does_not_import_textual() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import moneytrail.present as p\n"
        "for info in pkgutil.walk_packages(p.__path__, 'moneytrail.present.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_ui_layer_neither_imports_polars_nor_collects() -> None:
    """The UI calls query functions (in workers); it never builds or runs a Polars query."""
    import re
    from pathlib import Path

    import moneytrail.ui

    root = Path(moneytrail.ui.__file__).parent
    sources = sorted(root.rglob("*.py"))
    assert len(sources) > 5
    forbidden = re.compile(r"^\s*(import polars|from polars)|\.collect\(|collect_all\(", re.M)
    offenders = [str(p.relative_to(root)) for p in sources if forbidden.search(p.read_text())]
    assert offenders == []
