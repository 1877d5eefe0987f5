"""Suite-wide fixtures and hooks: no test touches the user's home; figures across xdist workers.

The suite runs in parallel (pytest-xdist, `-n 4` in pyproject's addopts); each worker is its
own process with its own tmp dirs, so nothing here is shared between workers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import settings

from moneytrail.data.dataset import Dataset
from tests.robust.figures import FIGURES

# No hypothesis deadlines: speed is measured in bench/, never asserted in tests, and on a loaded
# machine an example's time says nothing about the code.
settings.register_profile("moneytrail", deadline=None)
settings.load_profile("moneytrail")

#: Key of the figures in an xdist worker's output.
_FIGURES_KEY = "hardening_figures"


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Default cache and settings dirs of this test process: never the user's real ones.

    Tests that need their own (empty) cache or settings still set them per test.
    """
    root = tmp_path_factory.mktemp("user-dirs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MONEYTRAIL_CACHE_DIR", str(root / "cache"))
        patch.setenv("MONEYTRAIL_CONFIG_DIR", str(root / "config"))
        yield


@pytest.fixture(scope="session")
def bundled_sample(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The bundled sample as a bare `moneytrail` opens it (`open_dataset()`, no path), imported
    once per test process into a fresh cache dir of its own, for the tests that only read it
    (each used to import it into a cache of its own: seconds apiece)."""
    from moneytrail.data.open import open_dataset
    from moneytrail.paths import sample_dataset_path

    if not (sample_dataset_path() / "transactions.csv").exists():
        pytest.skip("the bundled sample has not been generated")
    root = tmp_path_factory.mktemp("bundled-sample")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MONEYTRAIL_CACHE_DIR", str(root / "cache"))
        patch.setenv("MONEYTRAIL_CONFIG_DIR", str(root / "config"))
        return open_dataset()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In an xdist worker, hand this worker's hardening figures to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_FIGURES_KEY] = dict(FIGURES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """In the xdist controller, add up the figures each worker recorded."""
    FIGURES.update(getattr(node, "workeroutput", {}).get(_FIGURES_KEY, {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the hardening figures (see tests/robust/figures.py) when any were recorded."""
    if not FIGURES:
        return
    terminalreporter.section("hardening figures")
    for name in sorted(FIGURES):
        terminalreporter.write_line(f"{name:<48} {FIGURES[name]:>10,}")
