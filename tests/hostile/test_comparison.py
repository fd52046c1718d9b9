"""comparison.py: the 新旧対照表 between two editions of a real git repository, on the built site."""

from __future__ import annotations

import re

import pytest

from casebook.comparison import char_diff, rows
from casebook.diff import diff_against_ref
from casebook.mkdocs_build import build_site
from projects import tag_first_edition

from .project import make_project

OLD = "融資の可否、その顧客に適用される金利"
NEW = "融資の可否、その顧客に個別に適用される金利"


def test_char_diff_marks_only_the_changed_characters():
    new, old = char_diff("金利を公表してはならない。", "金利は公表しなければならない。")
    assert [s.text for s in new if s.changed] == ["は", "なければ"]
    assert [s.text for s in old if s.changed] == ["を", "ては"]
    assert "".join(s.text for s in new) == "金利は公表しなければならない。"
    added, gone = char_diff("", "新設")
    assert added == (added[0],) and added[0].changed and gone == ()



@pytest.fixture(scope="module")
def two_editions(tmp_path_factory):
    """A repository whose first commit is edition 1.0 (tag v1.0) and whose work tree is edition 1.1."""
    root = make_project(tmp_path_factory.mktemp("editions") / "project")
    tag_first_edition(root)
    policy = root / "content" / "catalog" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert OLD in text
    policy.write_text(text.replace(OLD, NEW, 1), encoding="utf-8")
    pub = root / "content" / "catalog" / "publication.yaml"
    text = pub.read_text(encoding="utf-8")
    text = text.replace('  editions:\n    - edition: "1.0"\n',
                        '  editions:\n    - edition: "1.1"\n      date: "2026-12-01"\n'
                        '      summary: {ja: 試験用の改訂。, en: Test revision.}\n'
                        '    - edition: "1.0"\n      ref: v1.0\n', 1)
    pub.write_text(text, encoding="utf-8")
    return root


def test_rows_hold_the_changed_clause(two_editions):
    found = [r for r in rows(diff_against_ref(two_editions, "v1.0")) if r.record == "P5-5"]
    assert len(found) == 1 and found[0].label == "本文"
    # "その顧客に|個別に|適用" and "その顧客|に個別|に適用" are the same insertion; either is right
    assert [s.text for s in found[0].new if s.changed] in (["個別に"], ["に個別"])
    assert not any(s.changed for s in found[0].old)


@pytest.mark.slow
def test_the_changelog_page_shows_the_comparison_with_marked_characters(two_editions):
    site = two_editions / "site"
    build_site(two_editions, site, strict=True)
    page = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "第1.1版の新旧対照表" in page
    table = page[page.rindex("第1.1版の新旧対照表"):]  # the heading, after the sidebar's table of contents
    row = re.search(r"<tr>\s*<td>(?:(?!</tr>).)*P5-5(?:(?!</tr>).)*</tr>", table, re.S)
    assert row, "no row for P5-5"
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    assert re.search(r'<ins class="cb-diff">(個別に|に個別)</ins>', cells[1]), cells[1]
    assert "cb-diff" not in cells[2] and "その顧客に適用される金利" in cells[2]
