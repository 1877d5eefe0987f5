"""Visible stand-ins for the characters in data that could drive a terminal or hide text.

The one definition of "unsafe character" the project uses; `present.sanitize` (Rich text),
`present.table` (grid cells, as a Polars expression), `query.export` (Markdown) and the CLI all
re-use it, so every surface shows the same stand-in for the same character. Pure: stdlib and
Polars only (no Rich), so the query layer can use it.

Unsafe, and what each becomes:

* C0 controls U+0000–U+001F (ESC, BEL, BS, CR, LF, TAB, ...): the Unicode control picture for
  it (U+2400 + code: `␛` for ESC, `␊` for LF), so an escape sequence is shown, never obeyed;
* DEL U+007F: `␡`;
* C1 controls U+0080–U+009F (8-bit CSI, OSC, NEL, ...): `<U+009B>`, spelled out;
* bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
  U+202A–U+202E, U+2066–U+2069): `<U+202E>`, so right-to-left tricks cannot reorder a line;
* zero-width and invisible format characters (U+200B–U+200D, U+2060–U+2064, U+FEFF): spelled
  out, so two names that look the same but differ are seen to differ;
* line and paragraph separators U+2028/U+2029: spelled out, so a value stays on one line.

Everything else (wide CJK characters, emoji, combining accents) passes through unchanged.
"""

from __future__ import annotations

import re

import polars as pl

#: Code points replaced by a visible stand-in wherever data is shown.
UNSAFE_CODEPOINTS: frozenset[int] = frozenset(
    [
        *range(0x00, 0x20),
        0x7F,
        *range(0x80, 0xA0),
        0x061C,
        *range(0x200B, 0x2010),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
        0xFEFF,
    ]
)

_UNSAFE_CHARS: tuple[str, ...] = tuple(chr(c) for c in sorted(UNSAFE_CODEPOINTS))
_UNSAFE_RE = re.compile("[" + "".join(re.escape(c) for c in _UNSAFE_CHARS) + "]")


def stand_in(char: str) -> str:
    """The visible text shown instead of the unsafe character `char`."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


_STAND_INS: dict[str, str] = {c: stand_in(c) for c in _UNSAFE_CHARS}


def safe_str(value: object) -> str:
    """`value` as text with every unsafe character replaced by its stand-in; None is `""`."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _UNSAFE_RE.sub(lambda match: _STAND_INS[match.group()], text)


def safe_expr(expr: pl.Expr) -> pl.Expr:
    """`expr` (a String expression) with unsafe characters replaced exactly like `safe_str`."""
    return expr.str.replace_many(list(_STAND_INS), list(_STAND_INS.values()))


# JSON already escapes C0 controls inside strings (and allows only \t \n \r between tokens,
# which must stay as they are); the rest of the unsafe set is escaped here.
_JSON_UNSAFE_RE = re.compile(
    "[" + "".join(re.escape(c) for c in _UNSAFE_CHARS if ord(c) >= 0x20) + "]"
)


def json_safe(document: str) -> str:
    """A JSON document with DEL, C1, bidi, zero-width and separator characters `\\u`-escaped.

    Valid JSON can hold these characters only inside strings, where `\\uXXXX` means the same
    character: the data reads back exactly, but the document's bytes can no longer drive a
    terminal that shows them (`json.dumps(ensure_ascii=False)` and Polars leave them raw).
    """
    return _JSON_UNSAFE_RE.sub(lambda match: f"\\u{ord(match.group()):04x}", document)
