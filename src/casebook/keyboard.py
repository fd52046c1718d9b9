"""Mistakes a Japanese keyboard (IME) makes in YAML, found where they are and named as such.

Two kinds: those that break the YAML itself (a full-width colon after a key, a full-width space in the
indentation), found by :func:`scan` before parsing so the contributor hears about the character on its own
line instead of a parser error on the next one; and values typed in full-width form (ｒｅｇｉｏｎ, Ｍ－ＲＡＧ,
１２０, ２０２６－１１－２５) or as a Japanese date (2026年11月25日, 令和8年11月25日), which the schema check
recognises through :func:`fold` and :func:`iso_date` and answers with the half-width form to type.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# Dashes an IME produces where a hyphen was meant (NFKC leaves them as they are).
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\u30fc\uff70\u2015"), "-")
# Curly quotes a word processor or an IME puts where straight quotes were meant.
_OPEN_QUOTES = "“‘＂＇„‚"
_CLOSE_QUOTES = "”’＂＇‟‛"
_QUOTES = dict.fromkeys(map(ord, "“”„‟"), '"') | dict.fromkeys(map(ord, "‘’‚‛"), "'")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# A key (possibly typed full-width) at the start of a line, of a list item or of a flow mapping entry,
# followed by a full-width colon.
_COLON_KEY = re.compile(r"(?:^|[{,])[ \t]*(?:-[ \t]+)?([^\s:：{},\[\]#\"'][^:：{},\[\]#\"']{0,40}?)[ \t]*(：)")
# Indentation holding U+3000 before a key or a list dash (not a paragraph indent inside block text).
_WIDE_INDENT = re.compile(r"^([ \t]*\u3000[ \t\u3000]*)(?=-[ \t]|[A-Za-z0-9_\-Ａ-Ｚａ-ｚ０-９＿－]{1,40}[ \t]*[:：])")

# Era name → the Gregorian year before its first year (令和元年 = 2019).
_ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
_JA_DATE = re.compile(r"^(令和|平成|昭和|R|H|S)?\s*(\d{1,4}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_SLASH_DATE = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")


@dataclass(frozen=True)
class Mistake:
    """A keyboard mistake at a place in the file: a `fullwidth-colon` or `fullwidth-space` diagnostic."""

    line: int  # 1-based
    column: int  # 1-based, the offending character
    code: str
    params: dict[str, str]


def fold(text: str) -> str:
    """``text`` as a half-width keyboard would have typed it (full-width letters, digits, hyphens, colons).

    Curly quotes around the whole text (“region”, ‘kinki’, ＂kinki＂) are dropped: typed half-width, YAML
    would have read them as quoting, not as part of the value."""
    out = unicodedata.normalize("NFKC", text).translate(_DASHES)
    if len(out) >= 2 and text[0] in _OPEN_QUOTES and text[-1] in _CLOSE_QUOTES:
        out = out[1:-1]
    return out.translate(_QUOTES)


def wide_kinds(text: str) -> list[tuple[str, list[str]]]:
    """The characters of ``text`` a half-width keyboard would have typed otherwise, by kind, each once:
    ``[("letter", ["Ｍ", "Ｒ"]), ("hyphen", ["－"])]``. The kinds are ``wide-<kind>`` terms of the registry."""
    kinds: dict[str, list[str]] = {}
    for c in dict.fromkeys(text):
        half = fold(c)
        if half == c:
            continue
        if c in _OPEN_QUOTES or c in _CLOSE_QUOTES or half in "\"'":
            kind = "quote"
        elif c == "\u3000":
            kind = "space"
        elif half == ":":
            kind = "colon"
        elif half == "-":
            kind = "hyphen"
        elif half.isdigit():
            kind = "digit"
        elif half.isascii() and half.isalpha():
            kind = "letter"
        else:
            kind = "other"
        kinds.setdefault(kind, []).append(c)
    return list(kinds.items())


def scan(text: str) -> list[Mistake]:
    """Full-width colons after keys and full-width spaces in indentation, line by line (fast when absent)."""
    if "：" not in text and "\u3000" not in text:
        return []
    found: list[Mistake] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "\u3000" in line and (m := _WIDE_INDENT.match(line)):
            found.append(Mistake(number, m.group(1).index("\u3000") + 1, "fullwidth-space", {}))
        if "：" in line:
            for m in _COLON_KEY.finditer(line):
                key = fold(m.group(1).strip().lstrip("\u3000"))
                if _KEY.fullmatch(key):
                    found.append(Mistake(number, m.start(2) + 1, "fullwidth-colon", {"name": key}))
    return found


def iso_date(text: str) -> str | None:
    """The YYYY-MM-DD form of a date typed as 2026年11月25日, 令和8年11月25日, R8年…, 2026/11/25 or in
    full-width digits; None when it is not a real date in one of those forms."""
    t = fold(text).strip()
    if m := _JA_DATE.match(t):
        era, year, month, day = m.groups()
        number = 1 if year == "元" else int(year)
        year_ad = _ERAS[era] + number if era else number
    elif m := _SLASH_DATE.match(t):
        year_ad, month, day = int(m[1]), m[2], m[3]
    elif re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", t):
        year_ad, month, day = (int(p) for p in t.split("-"))
    else:
        return None
    try:
        return dt.date(int(year_ad), int(month), int(day)).isoformat()
    except ValueError:
        return None
