"""Split the report into parts that WeasyPrint lays out one at a time.

WeasyPrint keeps every page of a document laid out until the PDF is written (about 1.4 MB of memory per
page of this report), so a 2,000-page report cannot be one document. Each part is a complete HTML document
with the report's ``<head>``; what a part needs from the parts before it — the chapter, appendix, table and
figure numbers reached — is read from their HTML and handed on as a ``counter-reset``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html import unescape

from ..errors import RenderError
from .html import Plan, Section

#: How report.css numbers things: counter → (element, classes of which one must be present, or None).
#: Kept next to the splitter because a part's starting numbers are counted from the HTML of the parts
#: before it; tests/report/test_assemble.py checks that the numbers run on across the parts' joins.
COUNTED: dict[str, tuple[str, frozenset[str] | None]] = {
    "chapter": ("h1", frozenset({"chapter", "case"})),
    "appendix": ("h1", frozenset({"appendix"})),
    "table": ("caption", None),
    "figure": ("figcaption", None),
}

#: Case-study chapters per part. ~11 pages each: a part of 12 lays out in about 200 MB.
CASES_PER_PART = 12


@dataclass
class Part:
    """One document WeasyPrint renders on its own, and what is known about its HTML."""

    name: str
    sections: list[Section]
    html: str = ""
    ids: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)  # in-document link targets (without '#')
    increments: Counter = field(default_factory=Counter)
    counters: str = ""  # the counter-reset the part starts with ("" for the first part)


def split(plan: Plan, cases_per_part: int = CASES_PER_PART) -> list[Part]:
    """Front matter, the case studies in groups, the cross-case analysis, then policy and appendices.

    With no more than ``cases_per_part`` case studies, everything after the front matter is one part.
    """
    if cases_per_part < 1:
        raise ValueError("cases_per_part must be at least 1")
    front, cases, back = plan.sections()
    parts = [Part("front", front)]  # on its own: it is laid out again once the 目次 page numbers are known
    if len(cases) <= cases_per_part:  # the rest in one part: each part embeds its own font subsets
        return [*parts, Part("body", cases + back)] if cases or back else parts
    for start in range(0, len(cases), cases_per_part):
        group = cases[start:start + cases_per_part]
        parts.append(Part(f"cases-{start // cases_per_part + 1:03d}", group))
    if back:
        parts.append(Part("analysis", back[:1]))
    if back[1:]:
        parts.append(Part("back", back[1:]))
    return parts


def scan(part: Part, html: str) -> None:
    """Record ``html`` in ``part`` with its ids, its ``#`` link targets and what it adds to each counter.

    A regular expression is enough (and ten times faster than an HTML parser on a 6 MB report): the HTML
    comes from our templates, where record text is escaped, so every ``<`` opens a real tag.
    """
    ids: set[str] = set()
    links: set[str] = set()
    increments: Counter = Counter()
    for tag, attributes in _TAG.findall(html):
        values = {name.lower(): unescape(value) for name, value in _ATTRIBUTE.findall(attributes)}
        if values.get("id"):
            ids.add(values["id"])
        href = values.get("href", "")
        if tag == "a" and href.startswith("#") and len(href) > 1:
            links.add(href[1:])
        classes = set(values.get("class", "").split())
        for counter, (element, wanted) in COUNTED.items():
            if tag == element and (wanted is None or classes & wanted):
                increments[counter] += 1
    part.html, part.ids, part.links, part.increments = html, ids, links, increments


def counters_after(parts: list[Part]) -> str:
    """The ``counter-reset`` for a part that follows ``parts`` (already scanned)."""
    reached: Counter = Counter()
    for part in parts:
        reached.update(part.increments)
    return " ".join(f"{name} {reached[name]}" for name in COUNTED)


def check_chapters(parts: list[Part], anchors: list[str]) -> None:
    """Every chapter in exactly one part: a project's own report.html.j2 that ignores ``part`` fails here."""
    for anchor in anchors:
        holders = [part.name for part in parts if anchor in part.ids]
        if len(holders) != 1:
            raise RenderError(f"chapter #{anchor} is in {len(holders)} parts of the report ({', '.join(holders)}); "
                              "the report template must render only part.sections — compare your "
                              "templates/report/report.html.j2 with Casebook's")


_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s[^>]*)?)>")
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
