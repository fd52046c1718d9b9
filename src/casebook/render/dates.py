"""Dates as the publication writes them, for the site and the report alike (``publication.report.dates``)."""

from __future__ import annotations

import re
from typing import Any

#: Japanese eras by their first day (the era in force on a date is the last one that began on or before it).
_ERAS = (("1989-01-08", "平成", 1989), ("2019-05-01", "令和", 2019))
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def format_date(value: Any, style: str = "iso", western: bool = True) -> str:
    """A date as the publication writes it: ISO, or 和暦 with the Western year (令和8年（2026年）11月30日)."""
    text = str(value or "")
    m = _DATE.match(text)
    if style != "wareki" or m is None:
        return text
    year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
    era_name, base = "", 0
    for start, name, first in _ERAS:
        if text[:10] >= start[: len(text[:10])]:
            era_name, base = name, first
    if not era_name:
        return text
    n = year - base + 1
    out = f"{era_name}{'元' if n == 1 else n}年"
    if western:
        out += f"（{year}年）"
    out += f"{month}月"
    if day:
        out += f"{int(day)}日"
    return out
