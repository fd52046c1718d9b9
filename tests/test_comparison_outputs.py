"""The 新旧対照表 outside the site: the PDF appendix and the DOCX download, from a real two-commit repository.

The repository is the small test corpus: its first commit is edition 1.0 (tag v1.0); its work tree is edition
1.1, where clause P1-1 gains two characters. The changed characters must come out marked: bold and underlined
in the PDF, underlined runs in the DOCX (read with python-docx, and converted by LibreOffice and read back).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from casebook.comparison import edition_table
from casebook.diff import edition_history
from casebook.report import render_report
from casebook.site.comparisondoc import comparison_docx
from casebook.site.exports import REGISTRY
from casebook.validate import validate
from projects import CORPUS, tag_first_edition

OLD = "顧客向けの生成AIサービスに適用する。"
NEW = "顧客向けの生成AIサービス全般に適用する。"
SOFFICE = shutil.which("soffice")



def _project(dest: Path) -> Path:
    shutil.copytree(CORPUS, dest)
    pub = dest / "content" / "catalog" / "publication.yaml"
    pub.write_text(pub.read_text(encoding="utf-8") + "  report:\n    appendices: [crosswalk, comparison]\n",
                   encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory) -> Path:
    root = _project(tmp_path_factory.mktemp("editions") / "project")
    tag_first_edition(root)
    policy = root / "content" / "catalog" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert OLD in text
    policy.write_text(text.replace(OLD, NEW, 1), encoding="utf-8")
    pub = root / "content" / "catalog" / "publication.yaml"
    text = pub.read_text(encoding="utf-8")
    old_list = '  editions:\n    - {edition: "1.0", date: "2026-01-31", summary: {ja: 初版}}\n'
    assert old_list in text
    new_list = ('  editions:\n    - {edition: "1.1", date: "2026-03-01", summary: {ja: 改訂}}\n'
                '    - {edition: "1.0", date: "2026-01-31", summary: {ja: 初版}, ref: v1.0}\n')
    pub.write_text(text.replace(old_list, new_list)
                   .replace('edition: "1.0"\n  date: "2026-01-31"', 'edition: "1.1"\n  date: "2026-03-01"'),
                   encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def corpus(two_editions):
    result = validate(two_editions)
    assert result.corpus is not None, [str(d) for d in result.report.errors]
    return result.corpus


def test_edition_table_is_the_changelog_history_newest_entry(corpus):
    table = edition_table(edition_history(corpus.root, corpus.publication.editions))
    assert table is not None and table.computed
    assert (table.edition.edition, table.previous.edition) == ("1.1", "1.0")
    [row] = [r for r in table.rows if r.record == "P1-1"]
    assert [s.text for s in row.new if s.changed] == ["全般"]
    assert not any(s.changed for s in row.old) and row.old_text.startswith(OLD)


def test_cross_references_compare_as_their_ids():
    from casebook.comparison import rows
    from casebook.diff import FieldChange, RecordChange

    change = RecordChange("policy", "policy", "changed", [FieldChange(
        "chapters/P5/clauses/P5-5/text/ja", "詳細は[[ref:P6]]による。", "詳細は[[ref:P7]]及び[[num:P8]]による。")])
    [row] = rows([change])
    assert (row.record, row.label) == ("P5-5", "本文")
    assert row.new_text == "詳細はP7及びP8による。" and row.old_text == "詳細はP6による。"
    assert [s.text for s in row.new if s.changed] == ["7及びP8"]


def test_control_characters_from_an_old_edition_are_dropped(tmp_path):
    """The old side comes from git unvalidated; Word's XML refuses control characters, so no output gets them."""
    from docx import Document

    from casebook.comparison import rows
    from casebook.diff import FieldChange, RecordChange

    change = RecordChange("policy", "policy", "changed", [FieldChange(
        "chapters/P5/clauses/P5-5/text/ja", "旧\x07い\x1b[31m文", "新しい\n文")])
    [row] = rows([change])
    assert row.old_text == "旧い[31m文" and row.new_text == "新しい\n文"
    doc = Document()
    doc.add_paragraph(row.old_text)  # python-docx raises on a control character


def test_first_edition_has_no_table_and_no_appendix(tmp_path):
    from casebook.report.html import Plan

    root = _project(tmp_path / "project")
    result = validate(root)
    assert result.corpus is not None
    assert edition_table(edition_history(root, result.corpus.publication.editions)) is None
    plan = Plan(result.corpus)
    assert [c.section for c in plan.chapters if c.kind == "appendix"] == ["crosswalk"]


def test_report_html_marks_the_changed_characters(corpus):
    """The changelog page's marking is tested on the shipped corpus (tests/hostile/test_comparison.py)."""
    from casebook.report.html import build_html

    html, _plan = build_html(corpus)
    table = html[html.index('id="app-comparison"'):]
    assert '<span class="chg">全般</span>' in table and "改正前" in table


def _bold_runs(page) -> list[str]:
    """The text the page draws in a bold font, run by run (pypdf's text visitor reports each run's font)."""
    runs: list[str] = []

    def visit(text, _cm, _tm, font, _size):
        if font and "Bold" in str(font.get("/BaseFont", "")) and text.strip():
            runs.append(text.strip())

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.slow
def test_pdf_appendix_marks_the_changed_characters(corpus, tmp_path):
    out = tmp_path / "report.pdf"
    render_report(corpus, out)
    reader = PdfReader(str(out))
    pages = [p for p in reader.pages if "新旧対照表" in (t := p.extract_text()) and "改正前" in t]
    assert len(pages) == 1, "one page holds the 新旧対照表 of this small change"
    text = "".join(pages[0].extract_text().split())
    assert "第1.1版の新旧対照表" in text and NEW.rstrip("。") in text and OLD.rstrip("。") in text
    bold = _bold_runs(pages[0])
    assert "全般" in bold, bold
    assert not any("顧客向け" in run for run in bold), "unchanged characters are not marked"
    # the coverage appendix comes before it, with its gaps marked
    whole = "".join(page.extract_text() for page in reader.pages)
    assert "外部の枠組みとの対応" in whole and "未対応" in whole


def test_docx_table_underlines_the_changed_characters(corpus, tmp_path):
    from docx import Document

    data = comparison_docx(corpus)
    assert data == comparison_docx(corpus), "same records, same bytes"
    assert "data/comparison.docx" in [e.path for e in REGISTRY]
    path = tmp_path / "comparison.docx"
    path.write_bytes(data)
    doc = Document(str(path))
    [table] = doc.tables
    assert [c.text for c in table.rows[0].cells] == ["箇所", "改正後", "改正前"]
    [row] = [r for r in table.rows[1:] if r.cells[0].text.startswith("P1-1")]
    new_runs, old_runs = row.cells[1].paragraphs[0].runs, row.cells[2].paragraphs[0].runs
    assert [r.text for r in new_runs if r.font.underline] == ["全般"]
    assert "".join(r.text for r in new_runs).startswith(NEW)
    assert not any(r.font.underline for r in old_runs) and "".join(r.text for r in old_runs).startswith(OLD)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice missing: run scripts/bootstrap.sh")
def test_docx_converts_in_libreoffice(corpus, tmp_path):
    path = tmp_path / "comparison.docx"
    path.write_bytes(comparison_docx(corpus))
    out = tmp_path / "out"
    run = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={(out / 'profile').as_uri()}",
                          "--convert-to", "pdf", "--outdir", str(out), str(path)],
                         capture_output=True, text=True, timeout=180)
    pdf = out / "comparison.pdf"
    assert run.returncode == 0 and pdf.is_file(), run.stdout + run.stderr
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "新旧対照表（第1.1版）" in text and "改正後" in text and "改正前" in text
    assert NEW.rstrip("。") in text and OLD.rstrip("。") in text


def test_docx_of_a_first_edition_says_so(tmp_path):
    from docx import Document

    root = _project(tmp_path / "project")
    result = validate(root)
    assert result.corpus is not None
    path = tmp_path / "comparison.docx"
    path.write_bytes(comparison_docx(result.corpus))
    doc = Document(str(path))
    assert not doc.tables
    assert any("初版であり" in p.text for p in doc.paragraphs)
