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


def test_zero_width_bidi_marks_and_separators_become_visible() -> None:
    assert safe_str("ZERO\u200bWIDTH\ufeffBOM") == "ZERO<U+200B>WIDTH<U+FEFF>BOM"
    assert safe_str("a\u200eb\u200fc\u061cd") == "a<U+200E>b<U+200F>c<U+061C>d"
    assert safe_str("w\u2060j\u2064") == "w<U+2060>j<U+2064>"
    assert safe_str("LINE\u2028SEP\u2029PARA") == "LINE<U+2028>SEP<U+2029>PARA"
    assert safe_str("\u2066iso\u2069") == "<U+2066>iso<U+2069>"


def test_every_unsafe_code_point_is_replaced_and_nothing_else() -> None:
    from moneytrail.data.textsafe import UNSAFE_CODEPOINTS

    for code in range(0x3000):
        out = safe_str(chr(code))
        if code in UNSAFE_CODEPOINTS:
            assert chr(code) not in out and out, hex(code)
        else:
            assert out == chr(code), hex(code)


def test_polars_expression_matches_safe_str() -> None:
    import polars as pl

    from moneytrail.data.textsafe import UNSAFE_CODEPOINTS, safe_expr

    values = [chr(c) + "x" for c in sorted(UNSAFE_CODEPOINTS)] + ["plain [R]", None]
    out = pl.DataFrame({"v": values}).select(safe_expr(pl.col("v"))).get_column("v").to_list()
    assert out == [None if v is None else safe_str(v) for v in values]


def test_json_safe_escapes_but_keeps_the_value() -> None:
    import json

    from moneytrail.data.textsafe import json_safe

    value = "a\x1b[2J\x7f\x9b\u202e\u200b\u2028\ufeff\tb"
    document = json_safe(json.dumps({"k": value}, ensure_ascii=False, indent=2))
    assert json.loads(document) == {"k": value}
    assert all(
        ord(c) not in range(0x7F, 0xA0) and c not in "\u202e\u200b\u2028\ufeff" for c in document
    )
    assert "\n" in document  # layout whitespace outside strings is untouched


def test_labels_of_file_columns_are_safe() -> None:
    from moneytrail.present.table import label_for

    assert label_for("x\x1b[2J") == "X\u241b[2J"
