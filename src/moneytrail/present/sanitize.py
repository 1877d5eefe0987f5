"""Make hostile data strings safe to show: literal text, no markup, no control codes.

Campaign-finance names are typed by thousands of filers: `SMITH [R]`, `[/bold]`, ESC sequences
and other control characters all occur. Everything shown passes through `safe_str`/`safe_text`:

* every character `moneytrail.data.textsafe` calls unsafe is replaced by its visible stand-in:
  C0 controls by their control picture (`␛` for ESC), DEL by `␡`, C1 controls, bidi controls,
  zero-width characters and line/paragraph separators spelled out (`<U+202E>`), so no escape
  byte from data ever reaches the terminal and no invisible character reorders or hides text;
* the result is wrapped in `rich.text.Text`, which is never parsed as markup.

The character rules live in the pure layer (`data.textsafe`) so exports and the grid's Polars
expressions apply exactly the same ones; this module adds only the Rich wrapper.
"""

from __future__ import annotations

from rich.text import Text

from moneytrail.data.textsafe import safe_str

__all__ = ["safe_str", "safe_text"]


def safe_text(value: object, style: str = "") -> Text:
    """A Rich `Text` showing `value` literally (never parsed as markup), controls made visible."""
    return Text(safe_str(value), style=style, no_wrap=False)
