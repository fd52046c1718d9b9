"""Site generation from the validated Corpus (engine-free: no MkDocs imports in this package).

``render_pages(corpus)`` gives every generated page (docs-relative path, Markdown, source YAML);
``exports(corpus)`` gives the data downloads; ``expected_pages(corpus)`` the pages that must exist so a
build can check that no record was dropped.
"""

from __future__ import annotations

from ..model import Corpus
from .exports import casebook_json, checklist_csv, exports
from .links import Links, path_of
from .pages import Page, SiteRenderer, render_pages

__all__ = [
    "Links",
    "Page",
    "SiteRenderer",
    "casebook_json",
    "checklist_csv",
    "expected_pages",
    "exports",
    "missing_pages",
    "path_of",
    "render_pages",
]


def expected_pages(corpus: Corpus) -> dict[str, str]:
    """Record id → the page (docs-relative, without anchor) that must render it."""
    out: dict[str, str] = {}
    for table in (corpus.cases, corpus.risks, corpus.mitigations, corpus.instruments, corpus.provisions,
                  corpus.metrics, corpus.frameworks):
        for rid, record in table.items():
            out[rid] = path_of(record).partition("#")[0]
    if corpus.policy:
        for clause in corpus.policy.clauses:
            out[clause.id] = path_of(clause).partition("#")[0]
    return out


def missing_pages(corpus: Corpus, pages: list[Page]) -> list[str]:
    """Record ids whose page is missing or does not claim to render them (records in = pages out)."""
    rendered = {(rid, p.path) for p in pages for rid in p.records}
    return [rid for rid, path in expected_pages(corpus).items() if (rid, path) not in rendered]
