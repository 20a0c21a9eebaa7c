"""Pure: WCAG 2.x colour contrast, for checking every text colour against its background.

`contrast_ratio("#FFFFFF", "#006747")` is (L1 + 0.05) / (L2 + 0.05) with L the relative
luminance of each sRGB colour (WCAG 2.2, "relative luminance" and "contrast ratio"); AA
asks 4.5:1 for text. Colours are read as CSS writes them: `#rgb`, `#rrggbb`, `rgb()` and
`rgba()` (opaque only), and the few named colours the stylesheets use.
"""

from __future__ import annotations

import re

AA_TEXT = 4.5  # WCAG 2.x level AA, normal-size text
NAMED = {"white": "#ffffff", "black": "#000000", "transparent": "#00000000"}
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_RGB = re.compile(r"rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)")
Rgb = tuple[int, int, int]


def parse_colour(text: str) -> Rgb | None:
    """`(r, g, b)` for a CSS colour; None for anything else or anything see-through."""
    text = NAMED.get(text.strip().lower(), text.strip())
    if _HEX.fullmatch(text):
        digits = text[1:]
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        if len(digits) == 8 and digits[6:] != "ff":
            return None
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    match = _RGB.fullmatch(text)
    if match is None:
        return None
    alpha = match.group(4)
    if alpha is not None and _alpha(alpha) < 1:
        return None
    r, g, b = (round(float(match.group(i))) for i in (1, 2, 3))
    return r, g, b


def _alpha(text: str) -> float:
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str | Rgb) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    rgb = parse_colour(colour) if isinstance(colour, str) else colour
    if rgb is None:
        raise ValueError(f"not an opaque colour: {colour!r}")
    r, g, b = (_channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str | Rgb, background: str | Rgb) -> float:
    """WCAG contrast ratio of two colours, 1 to 21, whichever is lighter."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)
