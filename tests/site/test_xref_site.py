"""Cross-references on the site: the policy page's own chapter numbers, as links, in record prose and on
hand-written pages."""

from __future__ import annotations

import re

import yaml

from casebook.mkdocs_build import build_site
from conftest import make_project


def test_site_resolves_references_in_prose_and_content_pages(tmp_path):
    root = make_project(tmp_path / "proj", hostile=False)
    policy = root / "content" / "catalog" / "policy.yaml"
    data = yaml.safe_load(policy.read_text(encoding="utf-8"))
    data["policy"]["chapters"][0]["clauses"][0]["text"]["ja"] = "方法は[[ref:P1]]と[[num:P1-1]]による。"
    policy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "content" / "guide" / "adoption.md").write_text(
        "# 手引き\n\n| 段階 | 参照 |\n|---|---|\n| 1 | 利用方針 [[num:P1]] |\n\n[[ref:P1-1]]を読む。\n",
        encoding="utf-8")
    site = tmp_path / "site"
    build_site(root, site, strict=True)
    page = (site / "policy" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="xref" href="\./#P1">第1章（目的）</a>と<a class="xref" href="\./#P1-1">P1-1</a>',
                     page)
    guide = (site / "guide" / "adoption" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../policy/#P1">第1章</a>' in guide
    assert '<a href="../../policy/#P1-1">P1-1（適用範囲）</a>を読む' in guide
    assert "[[" not in guide and "[[" not in page
