"""`DismissOnce`: a screen mixin whose `dismiss` closes the screen only while it is on top.

Textual's `Screen.dismiss` pops whatever screen is on top of the stack. Keys typed faster than
the app settles (a fast typist, a slow SSH link) can queue a second Enter or Esc before the
first one has closed the screen; without this guard the second one closed the screen below as
well, down to a blank app, and a dialog's action (an export) ran twice.
"""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete


class DismissOnce:
    """Mix in before the Textual screen class: `class Help(DismissOnce, ModalScreen[None])`."""

    is_active: bool

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Close this screen with `result`, unless it is no longer the active screen."""
        if not self.is_active:
            return AwaitComplete()
        return super().dismiss(result)  # type: ignore[misc,no-any-return]
