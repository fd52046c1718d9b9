"""crosswalk.py on the shipped catalogue and site: every mapping pinned to a listed edition, full coverage.

Kept beside the hostile suite for its helper that copies the real project (tests/hostile/project.py)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from casebook.mkdocs_build import build_site
from casebook.validate import validate

from .project import make_project

REPO = Path(__file__).resolve().parents[2]
AIGL = "ai-business-guideline-1-2"


@pytest.fixture(scope="module")
def corpus():
    result = validate(REPO)
    assert result.corpus is not None, [d.text(REPO) for d in result.report.errors]
    return result.corpus


def test_every_shipped_mapping_resolves_against_a_list(corpus):
    by_key = {fw.mapping_key: fw for fw in corpus.frameworks.values() if fw.mapping_key}
    count = 0
    for record in [*corpus.risks.values(), *corpus.mitigations.values()]:
        for key, values in record.mappings.items():
            assert key in by_key, (record.id, key)
            for value in values:
                assert by_key[key].item(value) is not None, (record.id, key, value)
                count += 1
    assert count > 150


def test_the_ai_guideline_has_31_items_each_covered_or_out_of_scope(corpus):
    fw = corpus.frameworks[AIGL]
    assert fw.complete and len(fw.items) == 31
    assert fw.items[0].id == "1)①" and fw.items[-1].id == "10)③"
    assert fw.gaps == []
    for item in fw.items:
        assert item.covered or (item.out_of_scope and item.out_of_scope.ja.strip()), item.id


def test_an_unverified_edition_lists_nothing_and_says_so(corpus):
    fw = corpus.frameworks["owasp-llm-2026"]
    assert not fw.verified and fw.items == [] and "要確認" not in fw.name.ja
    assert fw.verification_note and "一次資料" in fw.verification_note.ja


@pytest.mark.slow
def test_the_coverage_page_lists_all_31_items_with_coverage_or_a_reason(tmp_path):
    root = make_project(tmp_path / "project")
    build_site(root, root / "site", strict=True)
    page = (root / "site" / "crosswalks" / AIGL / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>\s*<td><span id=\"(i-[^\"]+)\"></span>([^<]+)</td>(.*?)</tr>", page, re.S)
    assert len(rows) == 31
    for _anchor, item_id, rest in rows:
        status = unescape(re.sub(r"<[^>]+>", "", rest.rsplit("<td>", 1)[1]))
        assert status.startswith(("対応あり", "対象外: ")), (item_id, status)
        if status.startswith("対象外"):
            assert len(status) > 20, item_id  # a reason, not just the label
    # a risk page links its mapped items to the coverage page
    risk = (root / "site" / "risks" / "R-PRIVACY-LEAK" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../crosswalks/{AIGL}/#i-4-29-2460"' in risk
    index = (root / "site" / "crosswalks" / "index.html").read_text(encoding="utf-8")
    assert "要確認" in index and "OWASP" in index
