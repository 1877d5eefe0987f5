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


#: What each layer may import from moneytrail (besides itself): the layers' direction.
_MAY_IMPORT = {
    "data": {"data", "paths", ""},
    "query": {"data", "query", "paths", ""},
    "present": {"data", "query", "present", "paths", ""},
}


def _moneytrail_imports(path: object, module: str) -> set[str]:
    """The moneytrail modules a source file imports, anywhere in it (lazy imports included)."""
    import ast
    from pathlib import Path

    assert isinstance(path, Path)
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m == "moneytrail" or m.startswith("moneytrail.")}


def test_layers_import_only_downwards() -> None:
    """data never imports query, present, ui or cli; query never present, ui or cli; present
    never ui or cli (statically, so a lazy import inside a function counts too)."""
    from pathlib import Path

    import moneytrail

    root = Path(moneytrail.__file__).parent
    offenders: list[str] = []
    for layer, allowed in _MAY_IMPORT.items():
        files = sorted((root / layer).rglob("*.py"))
        assert files, layer
        for path in files:
            rel = path.relative_to(root.parent).with_suffix("")
            module = ".".join(rel.parts).removesuffix(".__init__")
            for target in _moneytrail_imports(path, module):
                parts = target.split(".")
                top = parts[1] if len(parts) > 1 else ""
                # `from moneytrail import __version__` names an attribute, not a layer.
                if top not in allowed and top in {"data", "query", "present", "ui", "cli"}:
                    offenders.append(f"{module} imports {target}")
    assert offenders == []
