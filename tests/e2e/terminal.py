"""Drive the installed `moneytrail` console script in a real pseudo-terminal and read its screen.

`Terminal` starts the program exactly as a user's shell would (the venv's `bin/moneytrail`, a
pty of a given size, TERM=xterm-256color), feeds everything it writes to a VT emulator (pyte) and
lets a test press keys and wait, with a timeout, until some text is visible. Nothing sleeps for a
fixed time: every wait polls the screen, so the tests hold on a loaded machine.

Textual draws on the terminal through stderr (fd 2), so stderr cannot be redirected to a file
without hiding the screen. What the user would see as "printed on stderr" is whatever reaches the
terminal outside the application's alternate screen: before it is entered and after it is left
(a traceback, `moneytrail: internal error ...`). `Terminal.outside_text()` returns exactly that.

Every run gets its own HOME, XDG dirs, MONEYTRAIL_CACHE_DIR and MONEYTRAIL_CONFIG_DIR under the
test's tmp path, so a test never touches the user's real cache or settings.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import sysconfig
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

import pexpect
import pyte

#: Generous: a first import on a loaded 2-core CI machine can take tens of seconds.
TIMEOUT: Final = 90.0

ENTER_ALT: Final = b"\x1b[?1049h"
LEAVE_ALT: Final = b"\x1b[?1049l"
#: CSI sequences, OSC/DCS/APC strings and two-byte escapes: what `outside_text` drops.
ESCAPES: Final = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]P_^][^\x07\x1b]*(\x07|\x1b\\)?|\x1b.")

#: Key names a test may press, as the bytes a terminal sends for them.
KEYS: Final[dict[str, str]] = {
    "enter": "\r",
    "escape": "\x1b",
    "tab": "\t",
    "backspace": "\x7f",
    "ctrl+c": "\x03",
    "down": "\x1b[B",
    "up": "\x1b[A",
    "pagedown": "\x1b[6~",
    "pageup": "\x1b[5~",
}


def moneytrail_script() -> Path:
    """The installed `moneytrail` console script of the interpreter running the tests."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        found = shutil.which("moneytrail", path=folder)
        if found:
            return Path(found)
    raise FileNotFoundError("the moneytrail console script is not installed next to Python")


def isolated_env(home: Path) -> dict[str, str]:
    """An environment whose caches, settings and home all live under `home`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MONEYTRAIL_", "TEXTUAL", "XDG_")) and k not in ("NO_COLOR", "TMUX")
    }
    for name in ("cache", "config", "data", "state"):
        (home / name).mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        MONEYTRAIL_CACHE_DIR=str(home / "moneytrail-cache"),
        MONEYTRAIL_CONFIG_DIR=str(home / "moneytrail-config"),
        TERM="xterm-256color",
        COLUMNS="",
        LINES="",
    )
    return {k: v for k, v in env.items() if v != ""}


class Terminal:
    """One run of the real `moneytrail` in a pty of `cols` x `rows`."""

    def __init__(
        self,
        args: list[str],
        *,
        size: tuple[int, int],
        env: dict[str, str],
        cwd: Path,
    ) -> None:
        cols, rows = size
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.child = pexpect.spawn(
            str(moneytrail_script()),
            args,
            dimensions=(rows, cols),
            env=env,
            cwd=str(cwd),
            echo=False,
        )

    # --- reading ------------------------------------------------------------------------

    def _pump(self, timeout: float) -> bool:
        """Read what the program wrote within `timeout`; False once it has closed the pty."""
        try:
            chunk = self.child.read_nonblocking(size=1 << 16, timeout=timeout)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.raw += chunk
        self.stream.feed(chunk)
        return True

    def text(self) -> str:
        """The visible screen, one line per row (trailing blanks stripped)."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = TIMEOUT) -> str:
        """Poll the screen until `check(screen_text)` holds; fail with the screen otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{screen}")
            if not self._pump(0.1) and not check(self.text()):
                raise AssertionError(
                    f"the program exited while waiting for {what}; the screen:\n{self.text()}"
                    f"\noutside the app:\n{self.outside_text()}"
                )

    def wait_for(self, *texts: str, timeout: float = TIMEOUT) -> str:
        """Wait until every one of `texts` is on screen; returns the screen."""
        return self.wait_until(
            lambda s: all(t in s for t in texts), " and ".join(map(repr, texts)), timeout
        )

    def wait_gone(self, *texts: str, timeout: float = TIMEOUT) -> str:
        """Wait until none of `texts` is on screen; returns the screen."""
        return self.wait_until(
            lambda s: not any(t in s for t in texts),
            "no " + " or ".join(map(repr, texts)),
            timeout,
        )

    def settle(self, quiet: float = 0.5, timeout: float = 5.0) -> str:
        """Wait until the program has written nothing for `quiet` seconds; returns the screen.

        A hint, not a check (a blinking cursor may never go quiet, hence the short `timeout`):
        what a test relies on, it then waits for on screen.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = len(self.raw)
            if not self._pump(quiet):
                break
            if len(self.raw) == before:
                break
        return self.text()

    # --- typing -------------------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """Send keys: names from KEYS or literal text (each character typed)."""
        for key in keys:
            self.child.send(KEYS.get(key, key))
            # Let the program read an Esc on its own, not as the start of an escape sequence.
            if key == "escape":
                self._pump(0.15)

    # --- ending -------------------------------------------------------------------------

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        """Wait for the program to end; returns its exit status (128+N for signal N)."""
        deadline = time.monotonic() + timeout
        while self._pump(0.2):
            if time.monotonic() > deadline:
                raise AssertionError(f"the program did not exit; the screen:\n{self.text()}")
        self.child.close()
        if self.child.signalstatus is not None:
            return 128 + self.child.signalstatus
        status = self.child.exitstatus
        assert status is not None
        return status

    def outside_text(self) -> str:
        """What reached the terminal outside the app's alternate screen, escapes removed.

        That is what a user sees left in their shell: warnings before the app starts, a traceback
        or an error line after it ends.
        """
        raw = bytes(self.raw)
        start = raw.find(ENTER_ALT)
        end = raw.rfind(LEAVE_ALT)
        before = raw if start < 0 else raw[:start]
        after = b"" if end < 0 else raw[end + len(LEAVE_ALT) :]
        text = (before + after).decode("utf-8", "replace")
        # Drop escape sequences (mode switches, cursor moves) and bare controls; keep the words.
        text = ESCAPES.sub("", text)
        return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text).strip()

    def close(self) -> None:
        """Kill the program if a failed test left it running."""
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close()
