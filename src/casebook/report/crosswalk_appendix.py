"""Data for two appendices of the report: the 新旧対照表 of this edition, and the coverage of external frameworks.

The 新旧対照表 (:func:`casebook.comparison.edition_table`) compares this edition with the one before it,
exactly as the changelog page does: the publication record's edition list, the previous edition's git ref,
:func:`casebook.diff.edition_history` and :func:`casebook.comparison.rows`. Only the newest entry of the
history counts (a report is one edition). A first edition has nothing to compare: the appendix is left out
of the report, as an amendment table is only published with an amendment. When the previous edition exists
but cannot be read (no git ref, no history at hand), the appendix stays and says why in one sentence, so the
editor sees it before the edition is final.

The coverage appendix lists every framework edition whose items are listed, in catalogue order; an edition
whose items are not listed yet (its list is not confirmed against a primary source) is named in one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Clause, Corpus, Framework, FrameworkItem


@dataclass(frozen=True)
class Coverage:
    """The frameworks the coverage appendix tabulates, and the editions it can only name."""

    listed: tuple[Framework, ...]
    unlisted: tuple[Framework, ...]

    def clauses(self, item: FrameworkItem) -> list[Clause]:
        """The policy clauses covering ``item``, in the policy's order (as the site lists them)."""
        return item.clauses


def coverage(corpus: Corpus) -> Coverage:
    frameworks = list(corpus.frameworks.values())
    return Coverage(tuple(fw for fw in frameworks if fw.items), tuple(fw for fw in frameworks if not fw.items))
