"""Split the report into parts that WeasyPrint lays out one at a time.

WeasyPrint keeps every page of a document laid out until the PDF is written (about 1.4 MB of memory per
page of this report), so a 2,000-page report cannot be one document. Each part is a complete HTML document
with the report's ``<head>``; what a part needs from the parts before it — the chapter, appendix, table and
figure numbers reached — is read from their HTML and handed on as a ``counter-reset``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

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
    """Front matter, the case studies in groups, the cross-case analysis, then policy and appendices."""
    if cases_per_part < 1:
        raise ValueError("cases_per_part must be at least 1")
    parts = [Part("front", [Section("cover"), Section("toc"), Section("summary"), Section("methodology")])]
    cases = [c for c in plan.chapters if c.kind == "case"]
    for start in range(0, len(cases), cases_per_part):
        group = cases[start:start + cases_per_part]
        parts.append(Part(f"cases-{start // cases_per_part + 1:03d}", [Section("case", c) for c in group]))
    parts.append(Part("analysis", [Section("analysis")]))
    parts.append(Part("back", [Section("policy"), Section("appendices")]))
    return parts


def scan(part: Part, html: str) -> None:
    """Record ``html`` in ``part`` with its ids, its ``#`` link targets and what it adds to each counter."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    part.html, part.ids, part.links, part.increments = html, scanner.ids, scanner.links, scanner.increments


def chain_counters(parts: list[Part]) -> None:
    """Give every part after the first the counter values the parts before it reached."""
    reached: Counter = Counter()
    for part in parts:
        if part is not parts[0]:
            part.counters = " ".join(f"{name} {reached[name]}" for name in COUNTED)
        reached.update(part.increments)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: set[str] = set()
        self.increments: Counter = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        href = values.get("href") or ""
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.links.add(href[1:])
        classes = set((values.get("class") or "").split())
        for counter, (element, wanted) in COUNTED.items():
            if tag == element and (wanted is None or classes & wanted):
                self.increments[counter] += 1
