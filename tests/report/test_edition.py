"""Draft and final editions: the draft lists what is still 要確認, the final build refuses while any remains."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import yaml

from casebook.cli import main
from casebook.report.edition import open_items
from casebook.report.html import build_html
from casebook.validate import validate

REPO = Path(__file__).resolve().parents[2]


def _site_project(dest: Path) -> Path:
    spec = importlib.util.spec_from_file_location("site_conftest", REPO / "tests" / "site" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_project(dest, hostile=False)


def test_final_build_refuses_on_the_shipped_content_naming_each_item(tmp_path, capsys):
    corpus = validate(REPO).corpus
    items = open_items(corpus)
    assert items, "the shipped edition still has unverified facts"
    rc = main(["--root", str(REPO), "build", "--final", "--no-pdf", "--site-dir", str(tmp_path / "site")])
    err = capsys.readouterr().err
    assert rc == 1 and "--final: refused" in err
    for item in items:
        assert f"`{item.id}`" in err
    assert not (tmp_path / "site").exists()


def _resolve(root: Path) -> None:
    for path in (root / "content" / "catalog").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        resolved = re.sub(r"^(\s*verified:\s*)false\s*$", r"\1true", text, flags=re.MULTILINE)
        if resolved != text:
            path.write_text(resolved, encoding="utf-8")
    for case in (root / "casestudies").glob("*/case.yaml"):
        data = yaml.safe_load(case.read_text(encoding="utf-8"))
        assert data.get("status") != "draft"


def test_final_build_passes_once_everything_is_resolved(tmp_path, capsys):
    root = _site_project(tmp_path / "project")
    assert open_items(validate(root).corpus), "the fixture starts with unverified facts"
    _resolve(root)
    assert open_items(validate(root).corpus) == []
    rc = main(["--root", str(root), "build", "--final", "--no-pdf", "--site-dir", str(tmp_path / "site")])
    assert rc == 0, capsys.readouterr().err
    assert (tmp_path / "site" / "index.html").is_file()


def test_an_editors_check_note_keeps_the_edition_a_draft(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".venv", "site", "node_modules", "src", "tests",
                                                               "__pycache__", "*.pdf"))
    page = root / "content" / "report" / "discussion.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n件数は[[check:参加機関に確認する]]。\n", encoding="utf-8")
    corpus = validate(root).corpus
    notes = [i for i in open_items(corpus) if i.kind == "本文の確認事項"]
    assert [(n.path.name, n.note) for n in notes] == [("discussion.md", "参加機関に確認する")]
    html, _ = build_html(corpus)
    assert '<span class="check-marker"><span class="tag warn">要確認</span>参加機関に確認する</span>' in html


def test_draft_lists_every_open_item_with_its_id_and_keeps_badges_out_of_headings(corpus):
    html, plan = build_html(corpus)
    section = html[html.index('id="app-unverified"'):]
    section = section[:section.index("</section>")]
    for item in plan.open_items:
        assert item.id in section
    for heading in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S):
        assert "要確認" not in heading and "tag" not in heading, heading
