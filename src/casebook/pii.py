"""Find personal data in record text before it is published.

Each detector is a pattern plus a check that removes ordinary figures (years, amounts, ids): My Number
needs its check digit, card numbers the Luhn sum, phone numbers a real Japanese prefix and length.
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
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")
_ACCOUNT = re.compile(
    r"(?:口座(?:番号)?|普通(?:預金)?|当座(?:預金)?|支店(?:番号|コード)?)"
    r"[\s:：=＝は番号No.#]{0,4}(\d{3}[ -]?\d{7}|\d{6,8})(?![0-9,，.件円人口%万億年月日])"
)
_POSTAL = re.compile(r"(〒\s*\d{3}-?\d{4})|(?<!\d)(\d{3}-\d{4})(?!\d)\s*(?=(?:東京都|北海道|京都府|大阪府|\S{2,3}県))")
_STREET = re.compile(
    r"(?:東京都|北海道|京都府|大阪府|\S{2,3}県)\S{0,10}?[市区町村]\S{0,12}?\d+丁目\s*\d+(?:番地?|-)\s*\d+"
)


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


def _phone_ok(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("81"):
        digits = "0" + digits[2:]
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


# Digits in any script, and characters NFKC turns into digits or @ (superscripts, circled numbers).
_MAYBE = re.compile(r"[\d@＠﹫\u00b2\u00b3\u00b9\u2070-\u2089\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")


def scan(text: str) -> Iterator[Finding]:
    """Yield every likely piece of personal data in ``text`` (full-width digits are folded first)."""
    if not _MAYBE.search(text):  # every detector needs a digit or an @; most prose has neither
        return
    t = unicodedata.normalize("NFKC", text)
    for m in _MY_NUMBER.finditer(t):
        digits = re.sub(r"\D", "", m.group(1))
        if len(set(digits)) > 1 and _my_number_ok(digits):
            yield Finding("pii-my-number", m.group(1), f"looks like a My Number (個人番号) `{m.group(1)}`")
    for m in _CARD.finditer(t):
        digits = re.sub(r"\D", "", m.group(1))
        if 13 <= len(digits) <= 19 and len(set(digits)) > 1 and _luhn_ok(digits):
            yield Finding("pii-card", m.group(1), f"looks like a payment card number `{m.group(1)}`")
    for m in _PHONE.finditer(t):
        if _phone_ok(m.group(1)):
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
