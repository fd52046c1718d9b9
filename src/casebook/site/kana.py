"""五十音 rows for the glossary's index: a term goes under the row of its reading's first kana."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

#: Row label → its anchor and the first kana that belong to it (hiragana; dakuten forms included).
ROWS: list[tuple[str, str, str]] = [
    ("あ行", "kana-a", "ぁあぃいぅうゔぇえぉお"),
    ("か行", "kana-ka", "かがきぎくぐけげこご"),
    ("さ行", "kana-sa", "さざしじすずせぜそぞ"),
    ("た行", "kana-ta", "ただちぢっつづてでとど"),
    ("な行", "kana-na", "なにぬねの"),
    ("は行", "kana-ha", "はばぱひびぴふぶぷへべぺほぼぽ"),
    ("ま行", "kana-ma", "まみむめも"),
    ("や行", "kana-ya", "ゃやゅゆょよ"),
    ("ら行", "kana-ra", "らりるれろ"),
    ("わ行", "kana-wa", "ゎわゐゑをん"),
]
OTHER = ("英数字・その他", "kana-other")


def first_kana(text: str) -> str:
    """The first character as hiragana (katakana folded; half-width forms normalised)."""
    ch = unicodedata.normalize("NFKC", text.strip())[:1]
    if "ァ" <= ch <= "ヶ":
        ch = chr(ord(ch) - 0x60)
    return ch


def sort_key(text: str) -> str:
    """A term's place in 五十音 order: katakana read as hiragana, so エージェント sorts among the え words
    rather than after every hiragana reading."""
    folded = unicodedata.normalize("NFKC", text.strip())
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in folded)


def row_of(reading: str) -> tuple[str, str]:
    ch = first_kana(reading)
    for label, anchor, chars in ROWS:
        if ch and ch in chars:
            return label, anchor
    return OTHER


def kana_rows(terms: Iterable[Any]) -> list[tuple[str, str, list[Any]]]:
    """Terms (with ``reading`` or ``term.ja``) grouped by 五十音 row, rows in order, terms in given order."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for term in terms:
        groups.setdefault(row_of(term.reading or term.term.ja), []).append(term)
    order = [(label, anchor) for label, anchor, _ in ROWS] + [OTHER]
    return [(label, anchor, groups[(label, anchor)]) for label, anchor in order if (label, anchor) in groups]
