"""Find personal data in record text before it is published.

Each detector is a pattern plus a check that removes ordinary figures (years, amounts, ids): My Number
needs its check digit, card numbers the Luhn sum, phone numbers a real Japanese prefix and length.

Detectors read the text after :func:`normalise`: invisible characters removed (a soft hyphen between
digits still renders as one number), full-width and kanji digits folded, every dash, dot, slash or run of
spaces between digits made one separator, and e-mail obfuscations ([at], ＠, アットマーク) undone. Numbers
that belong to organisations (toll-free and navigation-dial ranges, published representative numbers)
are data (``content/catalog/pii_public.yaml``, :class:`Public`), not code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z._\-/])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

# Twelve digits, either run together or in three groups with one separator; a group of four that
# continues (or is continued) with the same separator is part of a longer number such as a card.
_MY_NUMBER = re.compile(
    _NOT_ALNUM_BEFORE + r"(\d{12}|(?<!\d[ -])\d{4}([ -])\d{4}\2\d{4}(?!\2\d))" + _NOT_ALNUM_AFTER
)
_CARD = re.compile(_NOT_ALNUM_BEFORE + r"(\d(?:[ -]?\d){12,18})" + _NOT_ALNUM_AFTER)
_PHONE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"((?:\+81[ -]?|0)(?:\d{1,4}[ -]?\(?\d{1,4}\)?[ -]?\d{3,4}|\d{9,10}))"
    + _NOT_ALNUM_AFTER
)
# The local part may be Japanese (山田太郎@gmail.com); the domain is ASCII after NFKC.
_EMAIL = re.compile(r"[\w.%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")
_ACCOUNT = re.compile(
    r"(?:口座(?:番号)?|普通(?:預金)?|当座(?:預金)?|支店(?:番号|コード)?)"
    r"[\s:：=＝は番号No.#]{0,4}(\d{3}[ -]?\d{7}|\d{6,8})(?![0-9,，.件円人口%万億年月日])"
)
_POSTAL = re.compile(r"(〒\s*\d{3}-?\d{4})|(?<!\d)(\d{3}-\d{4})(?!\d)\s*(?=(?:東京都|北海道|京都府|大阪府|\S{2,3}県))")
_STREET = re.compile(
    r"(?:東京都|北海道|京都府|大阪府|\S{2,3}県)\S{0,10}?[市区町村]\S{0,12}?\d+丁目\s*\d+(?:番地?|-)\s*\d+"
)


@dataclass(frozen=True)
class Public:
    """Numbers no private person holds: ranges by prefix (0120 …) and organisations' published numbers."""

    prefixes: tuple[str, ...] = ()
    numbers: frozenset[str] = frozenset()  # digits only, national form (0…)

    @classmethod
    def from_data(cls, data: dict) -> Public:
        digits = [re.sub(r"\D", "", n["number"]) for n in data.get("numbers", [])]
        return cls(tuple(p["prefix"] for p in data.get("prefixes", [])), frozenset(digits))

    def covers(self, digits: str) -> bool:
        return digits in self.numbers or digits.startswith(self.prefixes)


_IGNORABLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff"
                        "\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Dashes of every kind; the long-vowel mark ー only between digits (it is a letter in katakana words).
_DASH = re.compile("[\u2010-\u2015\u2043\u2212\ufe58\ufe63\uff0d\u2500\u2501]")
_KANJI_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# A run that reads as a number written in kanji: at least seven digits, kanji or not, with separators.
_KANJI_RUN = re.compile(r"[〇零一二三四五六七八九0-9](?:[-\sー]?[〇零一二三四五六七八九0-9]){6,}")
_BETWEEN_DIGITS = re.compile(r"(?<=\d)(?:\s*[-ーｰ]\s*|\s{2,})(?=\d)")
# Dots, slashes and the like separate groups only when they repeat (0.125 stays a decimal).
_GROUPED = re.compile(r"\d+(?:\s*([./・_])\s*\d+)(?:\s*\1\s*\d+)+")
# アット / あっと only between an ASCII local part and an ASCII domain (アットホーム is a word).
_AT = re.compile(r"\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|<\s*at\s*>|\[@\]|\(@\)|アットマーク|あっとまーく)\s*"
                 r"|(?<=[A-Za-z0-9._%+\-])\s*(?:アット|あっと)\s*(?=[A-Za-z0-9])", re.IGNORECASE)
_DOT = re.compile(r"\s*(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\}|<\s*dot\s*>|\[\.\]|\(\.\)|ドット|どっと)\s*",
                  re.IGNORECASE)
# The domain after an @ written with spaces around its dots (taro@docomo . ne . jp).
_SPACED_DOMAIN = re.compile(r"@[A-Za-z0-9\-]+(?:\s*\.\s*[A-Za-z0-9\-]+)+")
# An area code in parentheses before the number: (03)1234-5678, （090）1234-5678.
_PAREN_AREA = re.compile(r"(?<![0-9A-Za-z])\((0\d{1,4})\)[ ]?(?=\d)")
_WORDY = re.compile(r"\b([A-Za-z0-9._%+\-]+) +at +([A-Za-z0-9\-]+(?: +dot +[A-Za-z0-9\-]+)+)\b", re.IGNORECASE)


def normalise(text: str) -> str:
    """The text as the detectors read it (see the module docstring)."""
    t = _IGNORABLE.sub("", text)
    t = unicodedata.normalize("NFKC", t)
    t = _DASH.sub("-", t)
    if any(c in t for c in "〇零一二三四五六七八九"):
        t = _KANJI_RUN.sub(lambda m: m.group().translate(_KANJI_DIGITS), t)
    t = _PAREN_AREA.sub(r"\1-", t)
    t = _GROUPED.sub(lambda m: re.sub(r"\s*[./・_]\s*", "-", m.group()), t)
    t = _BETWEEN_DIGITS.sub(lambda m: " " if not m.group().strip() else "-", t)
    if "@" not in t:
        t = _AT.sub("@", t)
        t = _WORDY.sub(lambda m: m.group(1) + "@" + re.sub(r"(?i) +dot +", ".", m.group(2)), t)
    if "@" in t:
        t = re.sub(r"[ \t]*@[ \t]*", "@", t)
        t = _DOT.sub(".", t)
        t = _SPACED_DOMAIN.sub(lambda m: re.sub(r"\s+", "", m.group()), t)
    return t


@dataclass(frozen=True)
class Finding:
    code: str
    text: str
    message: str


def _my_number_ok(digits: str) -> bool:
    body, check = digits[:11], int(digits[11])
    total = 0
    for n in range(1, 12):
        p = int(body[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    rem = total % 11
    return check == (0 if rem <= 1 else 11 - rem)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _phone_ok(raw: str, public: Public | None = None) -> bool:
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("81"):
        digits = "0" + digits[2:]
    if public is not None and public.covers(digits):
        return False  # an organisation's number (toll-free range, published representative number)
    if re.fullmatch(r"0(?:120|800)\d{6,7}", digits):  # toll-free
        return True
    if re.fullmatch(r"0[5789]0\d{8}", digits):  # mobile, IP phone
        return True
    return bool(re.fullmatch(r"0[1-9]\d{8}", digits)) and ("-" in raw or " " in raw or "(" in raw
                                                             or raw.startswith("+"))


# What may follow an `example` label: the reserved example domains (RFC 2606, JPRS) and their subdomains.
_EXAMPLE_SUFFIXES = {"com", "net", "org", "jp", "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "ad.jp", "gr.jp",
                     "lg.jp", "ed.jp"}


def _email_ok(domain: str) -> bool:
    labels = domain.lower().split(".")
    if labels[-1] in ("example", "invalid", "test", "localhost"):
        return False
    # `example.com.other.jp` is a real domain: only `example` followed by a reserved suffix is safe
    return not any(label == "example" and ".".join(labels[i + 1:]) in _EXAMPLE_SUFFIXES
                   for i, label in enumerate(labels[:-1]))


# Digits in any script (kanji too), characters NFKC turns into digits or @ (superscripts, circled numbers),
# and the words of an obfuscated address.
_MAYBE = re.compile(r"[\d@＠﹫\u00b2\u00b3\u00b9\u2070-\u2089\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf"
                    r"〇零一二三四五六七八九]|アット|あっと|\bat\b", re.IGNORECASE)


# What every detector below needs in the normalised text, in one search: three digits in a row (My Number,
# phone, account, postal code), 13 digits with single separators (card), an @ (e-mail) or 丁目 (street).
# Two thirds of the prose that has a digit (10 件, 第3条) has none of them; keep this in step with the detectors.
_ANY_DETECTOR = re.compile(r"\d{3}|@|丁目|\d(?:[ -]?\d){12}")


def scan(text: str, public: Public | None = None) -> Iterator[Finding]:
    """Yield every likely piece of personal data in ``text``, read after :func:`normalise`."""
    if not _MAYBE.search(text):  # every detector needs a digit or an @; most prose has neither
        return
    t = normalise(text)
    if not _ANY_DETECTOR.search(t):
        return
    for m in _MY_NUMBER.finditer(t):
        digits = re.sub(r"\D", "", m.group(1))
        if len(set(digits)) > 1 and _my_number_ok(digits):
            yield Finding("pii-my-number", m.group(1), f"looks like a My Number (個人番号) `{m.group(1)}`")
    for m in _CARD.finditer(t):
        digits = re.sub(r"\D", "", m.group(1))
        if 13 <= len(digits) <= 19 and len(set(digits)) > 1 and _luhn_ok(digits):
            yield Finding("pii-card", m.group(1), f"looks like a payment card number `{m.group(1)}`")
    for m in _PHONE.finditer(t):
        if _phone_ok(m.group(1), public):
            yield Finding("pii-phone", m.group(1), f"looks like a phone number `{m.group(1)}`")
    for m in _EMAIL.finditer(t):
        if _email_ok(m.group(1)):
            yield Finding("pii-email", m.group(0), f"e-mail address `{m.group(0)}`")
    for m in _ACCOUNT.finditer(t):
        yield Finding("pii-account", m.group(0), f"looks like a bank account number `{m.group(0)}`")
    for m in _POSTAL.finditer(t):
        found = m.group(1) or m.group(2)
        yield Finding("pii-address", found, f"postal code with an address `{found}`")
    for m in _STREET.finditer(t):
        yield Finding("pii-address", m.group(0), f"street address `{m.group(0)}`")
