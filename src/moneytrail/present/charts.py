"""Text charts: horizontal bars and sparklines made of block characters.

Contract: charts are plain strings of Unicode block glyphs sized to a given width, so they read the
same in 80 columns, without colour (`NO_COLOR`) and when copied out of a terminal. Values may be
zero or negative (a refund-heavy month): bars clamp at zero, sparklines scale to the range.
"""

from __future__ import annotations

from collections.abc import Sequence

_EIGHTHS = " ▏▎▍▌▋▊▉█"
_SPARKS = "▁▂▃▄▅▆▇█"


def bar(value: float, maximum: float, width: int) -> str:
    """A left-aligned bar of `width` cells, `value/maximum` of it filled (eighth-cell steps)."""
    if width <= 0:
        return ""
    if maximum <= 0 or value <= 0:
        return " " * width
    eighths = round(min(value / maximum, 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    out = "█" * full + (_EIGHTHS[part] if part else "")
    if not out:
        out = "▏"  # a non-zero value is never invisible
    return out.ljust(width)


def sparkline(values: Sequence[float]) -> str:
    """One glyph per value, scaled between the smallest and largest value."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return _SPARKS[len(_SPARKS) // 2] * len(values) if high else _SPARKS[0] * len(values)
    span = high - low
    return "".join(_SPARKS[round((v - low) / span * (len(_SPARKS) - 1))] for v in values)


def resample(values: Sequence[float], width: int) -> list[float]:
    """`values` summed into at most `width` consecutive bins (so a long series fits a line)."""
    if width <= 0:
        return []
    if len(values) <= width:
        return list(values)
    bins = [0.0] * width
    for index, value in enumerate(values):
        bins[index * width // len(values)] += value
    return bins
