"""scripts/prose_for_lint.py writes what textlint reads: the published text, not the YAML source."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("prose_for_lint", ROOT / "scripts" / "prose_for_lint.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_writes_site_pages_and_policy_with_references_resolved(tmp_path: Path) -> None:
    assert _script().main([str(tmp_path), "--no-report"]) == 0
    from casebook.commands import load_corpus

    policy = load_corpus(ROOT, show_warnings=False).policy
    chapters = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "policy").glob("*.md")}
    assert sorted(chapters) == sorted(ch.id for ch in policy.chapters)
    for chapter in policy.chapters:
        text = chapters[chapter.id]
        for clause in chapter.clauses:  # each clause under its own heading, so a message names it
            assert text.count(f"### {clause.id} {clause.title.ja}\n") == 1
    everything = "\n".join(chapters.values())
    assert "[[" not in everything
    # P1-2 refers to chapters by id; the site's policy page numbers them 第1章…, so the lint reads that.
    assert re.search(r"第6章（個人情報・機密情報の取扱い）", chapters["P1"])
    site = {p.relative_to(tmp_path / "site").as_posix(): p for p in (tmp_path / "site").rglob("*.md")}
    assert {"index.md", "about.md", "guide/adoption.md", "guide/methodology.md"} <= set(site)
    for rel, path in site.items():
        source = (ROOT / "content" / rel).read_text(encoding="utf-8")
        written = path.read_text(encoding="utf-8")
        assert "[[ref:" not in written and "[[num:" not in written
        assert written.count("\n") == source.count("\n"), rel  # messages keep the source's line numbers
    assert not (tmp_path / "report").exists()


def test_refuses_unknown_arguments(tmp_path: Path) -> None:
    assert _script().main([str(tmp_path), "--what"]) == 2
