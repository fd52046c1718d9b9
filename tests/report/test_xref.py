"""Cross-references by id: each output numbers them its own way, and the validator refuses bad ones."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from casebook.render import xref
from casebook.render.prose import to_html
from casebook.report import render_report
from casebook.report.html import Plan
from casebook.site.links import Links
from casebook.validate import validate

from .conftest import FIXTURE, pdftotext, squash

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped():
    result = validate(REPO)
    assert result.corpus is not None, [str(d) for d in result.report.errors]
    return result.corpus


def test_a_policy_chapter_is_numbered_by_each_output(shipped):
    plan = Plan(shipped)
    policy = next(c for c in plan.chapters if c.anchor == "ch-policy")
    pdf = plan.target("P4")
    assert pdf is not None and pdf.number == f"{policy.ordinal}.4節" and pdf.href == "#pch-P4"
    site = Links(shipped).refs("guide/adoption.md")("P4")
    assert site is not None and site.number == "第4章" and site.title == pdf.title == "リスク評価の方法"
    assert site.href and site.href.endswith("policy/#P4")
    html = to_html("[[ref:P4]]に定める方法で評価する。[[num:P12-2]]", refs=plan.target)
    assert f'<a class="xref" href="#pch-P4">{policy.ordinal}.4節（リスク評価の方法）</a>に定める' in html
    assert ">P12-2</a>" in html


def test_a_case_and_a_record_resolve_to_their_names(shipped):
    plan = Plan(shipped)
    case = next(iter(shipped.cases.values()))
    chapter = next(c for c in plan.chapters if c.case is case)
    assert xref.label("ref", plan.target(case.id)) == f"{chapter.number}（{case.title.ja}）"
    risk = next(iter(shipped.risks.values()))
    assert xref.label("ref", plan.target(risk.id)) == risk.name.ja


def test_a_record_cannot_forge_a_reference_token():
    forged = "前\ue0000\ue001後[[ref:P4]]"
    html = to_html(forged, refs=lambda ident: xref.Target("第4章", "題", "#x"))
    assert html.count("<a ") == 1 and "\ue000" not in html and "\ufffd" in html


def test_an_unresolved_reference_shows_its_id_as_text():
    assert to_html("[[ref:P4]]を見る", refs=None) == "<p>P4を見る</p>"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def _set_clause_text(root: Path, text: str) -> tuple[Path, str]:
    path = root / "content" / "catalog" / "policy.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    clause = data["policy"]["chapters"][0]["clauses"][0]
    clause["text"]["ja"] = text
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    chapter_id = data["policy"]["chapters"][0]["id"]
    return path, chapter_id


def test_validator_names_an_unknown_reference_with_file_line_and_did_you_mean(tmp_path):
    root = _project(tmp_path)
    path, chapter_id = _set_clause_text(root, "")
    _set_clause_text(root, f"方法は[[ref:{chapter_id}x]]に定める。")
    errors = [d for d in validate(root).report.errors if d.code == "unknown-ref"]
    assert len(errors) == 1, errors
    line = path.read_text(encoding="utf-8").splitlines()[errors[0].location.line - 1]
    assert errors[0].location.path == path and f"[[ref:{chapter_id}x]]" in line
    assert f"`{chapter_id}x`" in errors[0].message and f"[[ref:{chapter_id}]]" in errors[0].hint


def test_validator_refuses_a_typed_chapter_number_with_a_hint(tmp_path):
    root = _project(tmp_path)
    path, _ = _set_clause_text(root, "第4章の方法で評価する。")
    errors = [d for d in validate(root).report.errors if d.code == "hard-number"]
    assert len(errors) == 1 and errors[0].location.path == path
    assert "第4章" in errors[0].message and "[[ref:" in errors[0].hint


def test_validator_checks_content_pages(tmp_path):
    root = _project(tmp_path)
    page = root / "content" / "guide.md"
    page.write_text("# 手引き\n\n利用方針の第2章と[[num:Pnine]]を読む。\n", encoding="utf-8")
    found = {(d.code, d.location.line) for d in validate(root).report.errors if d.location.path == page}
    assert found == {("hard-number", 3), ("unknown-ref", 3)}


def _check_references(pdf: Path) -> int:
    """Every 「第N章（題）」 and 「N.M節（題）」 the text mentions is a heading of that number and title."""
    text = squash(pdftotext(pdf))
    seen = 0
    for number, title in re.findall(r"(第\d+章)（([^（）]+)）", text):
        assert f"{number}{title}" in text, f"{number}（{title}） points at no such chapter"
        seen += 1
    for number, title in re.findall(r"(\d+\.\d+)節（([^（）]+)）", text):
        assert f"{number}{title}" in text, f"{number}節（{title}） points at no such section"
        seen += 1
    return seen


def test_policy_references_in_the_shipped_pdf_point_at_the_right_sections(shipped_pdf):
    assert _check_references(shipped_pdf[0]) >= 8


def test_policy_references_follow_the_chapters_with_twelve_more_cases(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from synth_corpus import write_project
    finally:
        sys.path.pop(0)
    root = write_project(12, tmp_path / "synth")  # the shipped case studies are copied too
    corpus = validate(root).corpus
    assert corpus is not None and len(corpus.cases) == 12 + len(list((REPO / "casestudies").glob("*/case.yaml")))
    plan = Plan(corpus)
    policy = next(c for c in plan.chapters if c.anchor == "ch-policy")
    assert plan.target("P4").number == f"{policy.ordinal}.4節"
    out = tmp_path / "report.pdf"
    render_report(corpus, out)
    text = squash(pdftotext(out))
    assert f"{policy.ordinal}.4節（リスク評価の方法）" in text
    assert _check_references(out) >= 8
