"""The report's structure comes from the publication record; the editor's chapters sit between the
generated parts, and a structure that names something that does not exist is refused."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from casebook.report.html import Plan, build_html
from casebook.validate import validate
from projects import CORPUS as FIXTURE

REPO = Path(__file__).resolve().parents[2]


def _project(tmp_path: Path, report: dict, chapters: dict[str, str]) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    pub = root / "content" / "catalog" / "publication.yaml"
    data = yaml.safe_load(pub.read_text(encoding="utf-8"))
    data["publication"]["report"] = report
    pub.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    folder = root / "content" / "report"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in chapters.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def test_shipped_report_has_the_chapters_of_a_demonstration_report():
    corpus = validate(REPO).corpus
    titles = [c.title for c in Plan(corpus).chapters]
    for title in ("はじめに", "実施内容", "評価の方法", "結果の概要", "事例横断分析", "考察", "今後の課題", "おわりに",
                  "未確認事項一覧"):
        assert title in titles
    assert titles.index("はじめに") < titles.index("実施内容") < titles.index("考察") < titles.index("おわりに")


def test_editor_chapters_are_placed_where_the_record_says_with_generated_blocks(tmp_path):
    root = _project(tmp_path, {"chapters": ["intro", "cases", "summary", "closing"], "appendices": ["glossary"],
                               "dates": "wareki"},
                    {"intro": "# はじめに\n\n## 背景\n\n本文。[[ref:ch-summary]]を見よ。\n\n[[insert:participants]]\n",
                     "closing": "# おわりに\n\n終わり。\n"})
    corpus = validate(root).corpus
    assert corpus is not None
    plan = Plan(corpus)
    assert [c.title for c in plan.chapters if c.kind != "case"] == ["はじめに", "結果の概要", "おわりに", "用語集"]
    html, _ = build_html(corpus)
    assert html.index('id="ch-intro"') < html.index('id="case-') < html.index('id="ch-summary"')
    summary_number = next(c.number for c in plan.chapters if c.anchor == "ch-summary")
    link = f'<a class="xref" href="#ch-summary">{summary_number}<span class="nobr">（結果の概要）</span></a>'
    assert link + "を見よ" in html
    assert '<table class="participants">' in html and '<h2 id="ch-intro-s1">背景</h2>' in html
    assert re.search(r"令和\d+年", html)


def test_layout_names_what_cannot_be_used(tmp_path):
    root = _project(tmp_path, {"chapters": ["intro", "missing", "summary", "summary"], "appendices": ["nothing"]},
                    {"intro": "題のない章\n"})
    found = sorted((d.code, d.variant) for d in validate(root).report.errors)
    assert found == [("report-layout", "appendix"), ("report-layout", "chapter"), ("report-layout", "title"),
                     ("report-layout", "twice")]


def test_an_unknown_insert_is_named_with_its_line(tmp_path):
    root = _project(tmp_path, {"chapters": ["intro", "cases"]}, {"intro": "# はじめに\n\n[[insert:everything]]\n"})
    errors = [d for d in validate(root).report.errors if d.code == "unknown-insert"]
    assert len(errors) == 1 and errors[0].location.line == 3 and "participants" in errors[0].hint


def test_inserts_with_hyphenated_names_are_placed(tmp_path):
    """``[[insert:policy-outline]]`` was left in the text as its private-use token (names matched [a-z]+)."""
    root = _project(tmp_path, {"chapters": ["intro", "cases", "policy"]},
                    {"intro": "# はじめに\n\n[[insert:policy-outline]]\n\n[[insert:key-results]]\n\n"
                              "[[insert:named-risks]]\n"})
    corpus = validate(root).corpus
    assert corpus is not None
    html, _ = build_html(corpus)
    intro = html[html.index('id="ch-intro"'):html.index('id="case-')]
    assert "\ue002" not in html and "<p>policy-outline</p>" not in intro
    assert '<ol class="policy-outline">' in intro and corpus.policy.chapters[0].title.ja in intro
    assert '<table class="key-results">' in intro
    named = [r.name.ja for r in corpus.risks.values() if r.programme_named]
    assert named and all(f"<li>{name}</li>" in intro for name in named)
