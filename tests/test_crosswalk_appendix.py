"""The report's 外部の枠組みとの対応 appendix on the shipped corpus (report HTML; the PDF is read back in
tests/test_comparison_outputs.py)."""

from __future__ import annotations

import re

import pytest

from casebook.report.html import build_html
from casebook.validate import validate
from projects import REPO


@pytest.fixture(scope="module")
def shipped():
    result = validate(REPO)
    assert result.corpus is not None
    html, plan = build_html(result.corpus)
    return result.corpus, html, plan


def _table(html: str, framework_id: str) -> list[list[str]]:
    """The rows of one framework's coverage table, each as its cells' text (tags removed)."""
    start = html.index(f'id="fw-{framework_id}"')
    table = html[start:html.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
            for r in rows]


def test_every_listed_framework_has_a_table_with_every_item(shipped):
    corpus, html, plan = shipped
    assert "app-crosswalk" in [c.anchor for c in plan.chapters]
    for fw in corpus.frameworks.values():
        if fw.items:
            assert [row[0] for row in _table(html, fw.id)] == [i.id for i in fw.items], fw.id
        else:  # not confirmed against a primary source: named, not tabulated
            assert f'id="fw-{fw.id}"' not in html
    unlisted = html[html.index('id="app-crosswalk"'):]
    assert "項目の一覧を一次資料で確認できていないため" in unlisted
    # the summary table first: one row per listed framework, its counts adding up to its items
    summary = unlisted[unlisted.index('<table class="coverage-summary">'):]
    summary = summary[:summary.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", summary.split("<tbody>", 1)[1], re.S)
    listed = [fw for fw in corpus.frameworks.values() if fw.items]
    assert len(rows) == len(listed)
    for fw, row in zip(listed, rows, strict=True):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        n = len(fw.items)
        assert cells[0] == fw.name.ja and cells[2].startswith(str(n))
        assert int(cells[3]) + int(cells[4]) + int(cells[5]) == n, fw.id
        assert int(cells[5]) == len(fw.gaps)


def test_guideline_common_principles_all_31_with_coverage_or_reason(shipped):
    corpus, html, _plan = shipped
    rows = _table(html, "ai-business-guideline-1-2")
    assert len(rows) == 31
    excluded = [r for r in rows if r[2].startswith("対象外")]
    assert len(excluded) == 5 and all(len(r[2]) > 20 for r in excluded)  # a reason follows the label
    assert not [r for r in rows if r[2] == "未対応"]
    covered = [r for r in rows if not r[2].startswith("対象外")]
    assert all(re.search(r"\b[RM]-[A-Z]", r[2]) for r in covered)
    # clauses come in the policy's order
    order = [cl.id for cl in corpus.policy.clauses]
    for r in covered:
        ids = [c for c in r[3].split("、") if c != "—"]
        assert ids == sorted(ids, key=order.index), r


def test_comparison_appendix_only_after_a_first_edition(shipped):
    corpus, html, plan = shipped
    assert "comparison" in corpus.publication.report.appendices
    later = len(corpus.publication.editions) > 1
    assert ("app-comparison" in [c.anchor for c in plan.chapters]) == later
    assert ('id="app-comparison"' in html) == later
