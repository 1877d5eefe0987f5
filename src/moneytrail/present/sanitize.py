"""Make hostile data strings safe to show: literal text, no markup, no control codes.

Campaign-finance names are typed by thousands of filers: `SMITH [R]`, `[/bold]`, ESC sequences
and other control characters all occur. Everything shown passes through `safe_str`/`safe_text`:

* C0 controls (U+0000–U+001F) become their Unicode "control picture" (U+2400 block: `␛` for ESC),
  DEL becomes `␡`, and C1 controls (U+0080–U+009F) become `�`-style visible stand-ins
  (`<U+009B>` spelled out), so no escape byte from data ever reaches the terminal;
* bidirectional overrides/isolates (U+202A–U+202E, U+2066–U+2069) are shown as `<U+202E>` so
  right-to-left tricks cannot reorder the line;
* the result is wrapped in `rich.text.Text`, which is never parsed as markup.
"""

from __future__ import annotations

import re

from rich.text import Text

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")


def _stand_in(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def safe_str(value: object) -> str:
    """`value` as a plain string with every control/bidi character replaced by a visible stand-in.

    None becomes the empty string.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _UNSAFE.sub(_stand_in, text)


def safe_text(value: object, style: str = "") -> Text:
    """A Rich `Text` showing `value` literally (never parsed as markup), controls made visible."""
    return Text(safe_str(value), style=style, no_wrap=False)
