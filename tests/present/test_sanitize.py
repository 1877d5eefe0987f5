from __future__ import annotations

from rich.console import Console

from moneytrail.present.sanitize import safe_str, safe_text


def render(text: object) -> str:
    console = Console(width=200, record=True, color_system="truecolor", force_terminal=True)
    console.print(safe_text(text))
    return console.export_text(styles=True)


def test_markup_is_literal() -> None:
    for name in ("SMITH [R]", "[/bold]", "[red]x[/red]", "[link=http://x]y[/link]"):
        assert safe_text(name).plain == name


def test_controls_become_visible_stand_ins() -> None:
    assert safe_str("A\x1b[2JB") == "A\u241b[2JB"
    assert safe_str("\x1b]0;title\x07") == "\u241b]0;title\u2407"
    assert safe_str("x\x9by") == "x<U+009B>y"
    assert safe_str("del\x7f") == "del\u2421"
    assert safe_str("\u202eevil") == "<U+202E>evil"
    assert safe_str(None) == ""


def test_no_escape_or_c1_byte_reaches_rendered_output() -> None:
    hostile = "\x1b]52;c;ZXZpbA==\x07\x1b[31mred\x9b2J\x00NUL"
    out = render(hostile)
    # The console's own styling may emit ESC; the data must not. Compare with a plain render.
    plain = safe_str(hostile)
    assert "\x1b]52" not in out and "\x9b" not in out and "\x00" not in out
    assert plain in out


def test_wide_and_combining_characters_pass_through() -> None:
    assert safe_str("MÜLLER 山田 e\u0301") == "MÜLLER 山田 e\u0301"
