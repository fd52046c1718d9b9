"""Where every record lives on the site (docs-relative Markdown paths, stable URLs)."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable

from ..model import (
    CaseStudy,
    Chapter,
    Clause,
    Corpus,
    Framework,
    FrameworkItem,
    GlossaryTerm,
    Instrument,
    Metric,
    Mitigation,
    Provision,
    Risk,
)
from ..render.names import name_of, records_by_id
from ..render.prose import Href
from ..render.xref import Resolver, Target
from .markup import anchor, relative

CASES = "casestudies/index.md"
RISKS = "risks/index.md"
MITIGATIONS = "mitigations/index.md"
REGULATIONS = "regulations/index.md"
POLICY = "policy/index.md"
MATRIX = "matrix/index.md"
CHECKLIST = "checklist/index.md"
DATA = "data/index.md"
DEVELOPER = "developer/index.md"
SELF_CHECK = "self-check/index.md"
SCHEMA = "schema/index.md"
MESSAGES = "schema/messages/index.md"
GLOSSARY = "glossary/index.md"
SCORING = "methodology/scoring/index.md"
CHANGELOG = "changelog/index.md"
REPORT = "report/index.md"
CROSSWALKS = "crosswalks/index.md"

Linkable = (CaseStudy | Risk | Mitigation | Instrument | Provision | Metric | Clause | Chapter | GlossaryTerm
            | Framework | FrameworkItem)


def item_anchor(item_id: str) -> str:
    """An HTML id for an external item id such as ``1)①`` (ASCII letters and digits kept, others as hex)."""
    return "i-" + "".join(c if c.isascii() and c.isalnum() else f"-{ord(c):x}" for c in item_id)


def path_of(obj: Linkable) -> str:
    """Docs-relative path (with ``#anchor`` for records shown inside a bigger page)."""
    if isinstance(obj, CaseStudy):
        return f"casestudies/{obj.id}.md"
    if isinstance(obj, Risk):
        return f"risks/{obj.id}.md"
    if isinstance(obj, Mitigation):
        return f"mitigations/{obj.id}.md"
    if isinstance(obj, Instrument):
        return f"regulations/{obj.id}.md"
    if isinstance(obj, Provision):
        return f"regulations/{obj.instrument.id}.md#{anchor(obj.id)}"
    if isinstance(obj, Metric):
        return f"{SCORING}#{anchor(obj.id)}"
    if isinstance(obj, Clause | Chapter):
        return f"{POLICY}#{anchor(obj.id)}"
    if isinstance(obj, GlossaryTerm):
        return f"{GLOSSARY}#{anchor(obj.id)}"
    if isinstance(obj, Framework):
        return f"crosswalks/{obj.id}.md"
    if isinstance(obj, FrameworkItem):
        return f"crosswalks/{obj.framework.id}.md#{item_anchor(obj.id)}"
    raise TypeError(f"no page for {type(obj).__name__}")


def label_of(obj: Linkable) -> str:
    """The text a link to ``obj`` shows (clauses, chapters and external items with their id)."""
    return name_of(obj, with_id=True)


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL (relative to the site root) MkDocs gives the page built from docs path ``path``."""
    folder, name = posixpath.split(path)
    stem = name[:-3] if name.endswith(".md") else name
    prefix = f"{folder}/" if folder else ""
    if stem in ("index", "README"):
        return prefix if directory_urls else f"{prefix}index.html"
    return f"{prefix}{stem}/" if directory_urls else f"{prefix}{stem}.html"


@functools.lru_cache(maxsize=65536)
def url_between(target: str, current: str, directory_urls: bool = True) -> str:
    """Relative URL from the page built from ``current`` to ``target`` (docs paths, target may have #).

    For HTML written by Casebook itself, which MkDocs does not rewrite (record prose is finished HTML).
    """
    path, _, frag = target.partition("#")
    here, there = page_url(current, directory_urls), page_url(path, directory_urls)
    base = here if here.endswith("/") else posixpath.dirname(here) + "/"
    rel = posixpath.relpath(there or ".", base.rstrip("/") or ".")
    if there.endswith("/") or not there:
        rel = "./" if rel == "." else rel + "/"
    return f"{rel}#{frag}" if frag else rel


class Links:
    """Record ids → site paths, and the ``href`` that turns ids in prose into relative links."""

    def __init__(self, corpus: Corpus, directory_urls: bool = True) -> None:
        self.corpus = corpus
        self.directory_urls = directory_urls
        self._by_id: dict[str, Linkable] = records_by_id(corpus)

    def get(self, record_id: str) -> Linkable | None:
        return self._by_id.get(record_id)

    def url(self, obj: Linkable, current: str) -> str:
        return relative(path_of(obj), current)

    def html_href(self, current: str) -> Href:
        """``href`` for finished HTML on page ``current``: final relative URLs, no link to the page itself."""
        return self._href(current, lambda target: url_between(target, current, self.directory_urls))

    def refs(self, current: str, markdown: bool = False) -> Resolver:
        """Cross-references (``[[ref:P4]]``) on page ``current``: the policy page's own chapter numbers.

        ``markdown`` gives docs-relative ``.md`` targets for hand-written pages (MkDocs checks and rewrites
        them); otherwise final URLs for finished HTML.
        """
        href = self.href(current) if markdown else self.html_href(current)
        numbers: dict[str, str] = {}
        if self.corpus.policy:
            for n, chapter in enumerate(self.corpus.policy.chapters, start=1):
                numbers[chapter.id] = f"第{n}章"

        def resolve(record_id: str) -> Target | None:
            obj = self._by_id.get(record_id)
            if obj is None:
                return None
            if isinstance(obj, Chapter):
                return Target(numbers.get(obj.id, ""), obj.title.ja, href(record_id))
            if isinstance(obj, Clause):
                return Target(obj.id, obj.title.ja, href(record_id))
            return Target("", label_of(obj), href(record_id))

        return resolve

    def href(self, current: str) -> Href:
        """``href`` for template Markdown on page ``current``: docs-relative ``.md`` paths MkDocs rewrites."""
        return self._href(current, lambda target: relative(target, current))

    def _href(self, current: str, link: Callable[[str], str]) -> Href:
        def href(record_id: str) -> str | None:
            obj = self._by_id.get(record_id)
            if obj is None:
                return None
            target = path_of(obj)
            if target == current:
                return None  # no link from a page to itself
            return link(target)

        return href
