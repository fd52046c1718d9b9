"""What the site and the report call a record: one lookup by id and one name for each kind.

Both outputs show a record by the same words; they differ only in where the link goes (site/links.py,
report/html.py) and in whether a table or link label carries the id in front (``with_id``).
"""

from __future__ import annotations

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

Named = (CaseStudy | Risk | Mitigation | Instrument | Provision | Metric | Clause | Chapter | GlossaryTerm
         | Framework | FrameworkItem)


def records_by_id(corpus: Corpus) -> dict[str, Named]:
    """Every record a cross-reference or an id in prose may name (ids are unique across kinds)."""
    found: dict[str, Named] = {}
    for table in (corpus.metrics, corpus.instruments, corpus.provisions, corpus.mitigations, corpus.risks,
                  corpus.cases):
        found.update(table)
    if corpus.policy:
        for chapter in corpus.policy.chapters:
            found.setdefault(chapter.id, chapter)
            for clause in chapter.clauses:
                found.setdefault(clause.id, clause)
    for term in corpus.glossary:
        found.setdefault(term.id, term)
    return found


def name_of(record: Named, with_id: bool = False) -> str:
    """The words a record is shown by; ``with_id`` puts the id of a clause, chapter or external item in front
    (link labels and tables; running text names without ids)."""
    if isinstance(record, CaseStudy):
        return record.title.ja
    if isinstance(record, Instrument):
        return record.label
    if isinstance(record, Provision):
        return record.citation
    if isinstance(record, GlossaryTerm):
        return record.term.ja
    if isinstance(record, Framework):
        return f"{record.name.ja}（{record.edition}）"
    if isinstance(record, Clause | Chapter | FrameworkItem):
        return f"{record.id} {record.title.ja}" if with_id else record.title.ja
    return record.name.ja
