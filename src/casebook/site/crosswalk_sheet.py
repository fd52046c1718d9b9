"""The self-assessment workbook's crosswalk sheet: one row per item of every listed framework edition.

Columns: framework, edition, item id, title, the risks and mitigations whose mappings name the item, the
check items of those mitigations (the rows of the チェックリスト sheet that answer for it), status (対応あり /
対象外 / 未対応: the gap flag, a filterable column), the out-of-scope reason, and whether the framework's list
is confirmed against a primary source. Editions whose items are not listed yet have no rows.
"""

from __future__ import annotations

from ..model import Corpus, FrameworkItem
from .adoption import check_rows, messages

#: (message key, column width)
COLUMNS = [("framework", 28), ("edition", 12), ("item_id", 9), ("title", 40), ("risks", 28), ("mitigations", 30),
           ("check_items", 26), ("status", 10), ("reason", 40), ("verified", 10)]


def crosswalk_table(corpus: Corpus) -> tuple[list[str], list[int], list[tuple[str, ...]]]:
    """(header labels, column widths, rows) of the crosswalk sheet."""
    msg = messages()["crosswalk"]
    items_of: dict[str, list[str]] = {}
    for row in check_rows(corpus):
        items_of.setdefault(row.mitigation.id, []).append(row.item.id)
    rows = []
    for fw in corpus.frameworks.values():
        for item in fw.items:
            rows.append((
                fw.name.ja, fw.edition, item.id, item.title.ja,
                "\n".join(f"{r.id} {r.name.ja}" for r in item.risks),
                "\n".join(f"{m.id} {m.name.ja}" for m in item.mitigations),
                "\n".join(i for m in item.mitigations for i in items_of.get(m.id, [])),
                msg["statuses"][_status(item)],
                item.out_of_scope.ja if item.out_of_scope and not item.covered else "",
                msg["verified_yes"] if fw.verified else msg["verified_no"],
            ))
    return [msg["columns"][k] for k, _ in COLUMNS], [w for _, w in COLUMNS], rows


def _status(item: FrameworkItem) -> str:
    if item.covered:
        return "covered"
    return "out_of_scope" if item.out_of_scope else "gap"
