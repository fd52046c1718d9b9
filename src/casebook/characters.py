"""Characters no record text may hold, and how to show any text safely on a terminal.

Two jobs that share one table:

- :func:`refused` names every character of a text that a reader cannot see or that changes how the text
  reads: control characters (only tab and line feed are text), the Unicode *default ignorable* code points
  (soft hyphen, U+034F, Hangul fillers, zero-width characters, bidirectional controls, variation
  selectors, TAG characters that can spell hidden ASCII), line/paragraph separators, lone surrogates and
  noncharacters. Record text never needs them, and each one has been used to hide something (a My Number
  split by a soft hyphen still reads as twelve digits; TAG characters carry an instruction to an LLM).
- :func:`visible` rewrites the same characters (and every other C0/C1 control but line feed) as
  ``<U+XXXX>`` so that a diagnostic quoting contributed text cannot move the cursor, erase the line a
  reviewer reads, recolour the terminal or reverse the text around it.
"""

from __future__ import annotations

import re
import unicodedata

# Default_Ignorable_Code_Point (Unicode 15.1 DerivedCoreProperties.txt), plus U+2028/U+2029 and the
# bidirectional marks and controls (all default ignorable already except for the explicit list below).
_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff"
)
_SEPARATORS = "\u2028\u2029"
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"  # every C0 and C1 control except tab and line feed
_BAD_SURROGATE = "\ud800-\udfff"
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff"

_REFUSED = re.compile(f"[{_IGNORABLE}{_SEPARATORS}{_CONTROLS}{_BAD_SURROGATE}{_NONCHARACTERS}]")
# Line feed (multi-line hints) and tab are left as they are; everything else a terminal acts on is shown.
_UNSAFE = re.compile(f"[{_IGNORABLE}{_SEPARATORS}{_CONTROLS}{_BAD_SURROGATE}{_NONCHARACTERS}]")

_CONTROL_NAMES = {0x09: "CHARACTER TABULATION", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x07: "BELL",
                  0x08: "BACKSPACE", 0x7F: "DELETE", 0x9B: "CONTROL SEQUENCE INTRODUCER",
                  0x1A: "SUBSTITUTE", 0x00: "NULL", 0x0C: "FORM FEED", 0x0B: "LINE TABULATION",
                  0x85: "NEXT LINE"}


def name(char: str) -> str:
    """``U+00AD SOFT HYPHEN``: the code point and its Unicode name (controls have none in Python)."""
    cp = ord(char)
    label = unicodedata.name(char, "") or _CONTROL_NAMES.get(cp, "")
    if not label:
        label = "CONTROL CHARACTER" if unicodedata.category(char) == "Cc" else (
            "TAG CHARACTER" if 0xE0000 <= cp <= 0xE0FFF else "UNASSIGNED OR PRIVATE CODE POINT")
    return f"U+{cp:04X} {label}"


def refused(text: str) -> list[tuple[int, str]]:
    """Index and character of each refused character in ``text`` (empty for almost every text)."""
    if text.isascii() and text.isprintable():
        return []
    return [(m.start(), m.group()) for m in _REFUSED.finditer(text)]


def is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or 0xFDD0 <= ord(char) <= 0xFDEF \
        or ord(char) & 0xFFFE == 0xFFFE


def describe(found: list[tuple[int, str]], limit: int = 5) -> list:
    """``U+00AD SOFT HYPHEN（7 文字目）、…`` for a diagnostic (the first ``limit`` distinct ones), as
    registry phrases the message puts in its own language.

    TAG characters are summed up as one entry with the ASCII they spell, which is what a reviewer needs.
    """
    from .messages import Phrase

    tags = [(i, c) for i, c in found if 0xE0000 <= ord(c) <= 0xE007F]
    seen: dict[str, int] = {}
    for index, char in found:
        if (index, char) not in tags:
            seen.setdefault(char, index)
    parts: list = [Phrase("char-at", {"name": name(c), "index": i + 1}) for c, i in list(seen.items())[:limit]]
    if tags:
        spelt = "".join(chr(ord(c) - 0xE0000) for _i, c in tags if 0x20 <= ord(c) - 0xE0000 < 0x7F)
        params = {"count": len(tags), "index": tags[0][0] + 1, "spelt": repr(spelt)}
        parts.append(Phrase("char-tags-spelt" if spelt else "char-tags", params))
    more = len(seen) - limit
    if more > 0:
        parts.append(Phrase("char-more", {"more": more}))
    return parts


def visible(text: str) -> str:
    """``text`` with every character a terminal would act on (or hide) written as ``<U+XXXX>``."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def json_safe(text: str) -> str:
    """JSON text with the characters :func:`visible` rewrites written as ``\\uXXXX`` escapes (the same JSON)."""
    def escape(m: re.Match) -> str:
        cp = ord(m.group())
        if cp > 0xFFFF:  # a surrogate pair, as JSON spells characters outside the BMP
            cp -= 0x10000
            return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"
        return f"\\u{cp:04x}"

    return _UNSAFE.sub(escape, text)
