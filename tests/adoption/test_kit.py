"""The adoption kit: checklist CSV, self-assessment workbook and rules template, opened for real.

The LibreOffice tests convert the files with ``soffice --headless`` (Debian ``libreoffice-calc`` and
``libreoffice-writer``, installed by scripts/bootstrap.sh) and read the result back.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casebook.model import Corpus
from casebook.site.adoption import article_numbers, messages
from casebook.site.exports import REGISTRY, casebook_json, checklist_csv, exports
from casebook.site.rulesdoc import rules_docx
from casebook.site.workbook import column_index, workbook
from casebook.validate import validate

REPO = Path(__file__).resolve().parents[2]
SOFFICE = shutil.which("soffice")
needs_office = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice missing: run scripts/bootstrap.sh")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    result = validate(REPO)
    assert result.corpus is not None
    return result.corpus


def soffice(src: Path, fmt: str, out: Path) -> Path:
    profile = out / "profile"
    run = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to",
                          fmt, "--outdir", str(out), str(src)], capture_output=True, text=True, timeout=180)
    result = out / (src.stem + "." + fmt.split(":")[0])
    assert run.returncode == 0 and result.is_file(), run.stdout + run.stderr
    return result


# -- registry ---------------------------------------------------------------------------------------

def test_registry_is_the_list_of_downloads(corpus):
    files = exports(corpus)
    assert [e.path for e in REGISTRY] == [p for p in files if not p.startswith("data/schemas/")]
    assert {e.audience for e in REGISTRY} == {"reader", "developer"}
    assert all(files[e.path] for e in REGISTRY)


# -- CSV --------------------------------------------------------------------------------------------

def test_checklist_csv_one_row_per_item_with_japanese_headers(corpus):
    raw = checklist_csv(corpus)
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["項目ID", "確認項目"] and header[-4:] == ["担当部署", "実施状況", "証跡の保管場所", "確認日"]
    ids = [r[0] for r in body]
    assert len(ids) == len(set(ids)) == len(corpus.check_items)
    masking = next(r for r in body if r[0] == "M-PII-MASKING-1")
    assert "R-PRIVACY-LEAK" in masking[header.index("対象リスクID")].split()
    red_team = [r for r in body if r[2] == "M-RED-TEAM"]
    assert red_team and all(len(r[4].split()) == len(corpus.mitigations["M-RED-TEAM"].risks) for r in red_team)


def test_casebook_json_lists_check_items(corpus):
    data = json.loads(casebook_json(corpus))
    items = {i["id"]: i for i in data["check_items"]}
    assert list(items) == list(corpus.check_items)
    assert items["M-PII-MASKING-1"]["mitigation"] == "M-PII-MASKING"
    assert "R-PRIVACY-LEAK" in items["M-PII-MASKING-1"]["risks"]


# -- workbook -----------------------------------------------------------------------------------------

def test_workbook_shape(corpus, tmp_path):
    data = workbook(corpus)
    assert data == workbook(corpus), "same records, same bytes"
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(2000, 1, 1, 0, 0, 0)}
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    wb = load_workbook(path)
    sheets = messages()["sheets"]
    names = ("howto", "checklist", "summary", "clauses", "provisions", "crosswalk")
    assert wb.sheetnames == [sheets[k] for k in names]
    ws = wb[sheets["checklist"]]
    header = [c.value for c in ws[1]]
    for label in ("対応箇所", "分類", "検討にあたって重要な事項", "検討対象（該当しない場合はその理由）",
                  "他の主体との関係", "✓", "具体的なアプローチ", "最終検討日", "担当部署", "実施状況",
                  "証跡の保管場所", "確認日"):
        assert label in header, label
    assert ws.max_row == len(corpus.check_items) + 1
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"実施済み,一部実施,未実施,該当なし"' in lists
    how = wb[sheets["howto"]]
    assert {"作成者", "確認者", "責任者"} <= {c.value for c in how["A"]}
    links = [c.hyperlink.target for c in wb[sheets["provisions"]]["F"] if c.hyperlink]
    assert links and all(u.startswith(("http://", "https://")) for u in links)


@pytest.mark.slow
@needs_office
def test_workbook_summary_counts_in_libreoffice(corpus, tmp_path):
    """Fill some statuses, let LibreOffice Calc recalculate, read the per-risk counts back."""
    path = tmp_path / "filled.xlsx"
    path.write_bytes(workbook(corpus))
    wb = load_workbook(path)
    ws = wb[messages()["sheets"]["checklist"]]
    status_col = column_index("status")
    filled = {"M-PII-MASKING-1": "実施済み", "M-PII-MASKING-2": "実施済み", "M-OUTPUT-PII-FILTER-1": "一部実施",
              "M-RED-TEAM-1": "未実施", "M-RED-TEAM-2": "該当なし"}
    row_of = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for item, status in filled.items():
        ws.cell(row=row_of[item], column=status_col, value=status)
    wb.save(path)
    out = soffice(path, "xlsx", tmp_path / "out")
    summary = load_workbook(out, data_only=True)[messages()["sheets"]["summary"]]
    header = [c.value for c in summary[1]]
    got = {r[0]: dict(zip(header, r, strict=True)) for r in summary.iter_rows(min_row=2, values_only=True)}
    for risk in corpus.risks.values():
        if risk.id not in got:
            continue
        items = [i for i in corpus.check_items.values() if risk in i.risks]
        expect = {s: sum(1 for i in items if filled.get(i.id) == s) for s in messages()["statuses"]}
        row = got[risk.id]
        assert row["項目数"] == len(items), risk.id
        for status, n in expect.items():
            assert row[status] == n, (risk.id, status)
        assert row["未記入"] == len(items) - sum(expect.values())
    assert got["R-PRIVACY-LEAK"]["実施済み"] == 2


# -- rules template -------------------------------------------------------------------------------------

def test_rules_docx_headings_and_placeholders(corpus, tmp_path):
    from docx import Document

    data = rules_docx(corpus)
    assert data == rules_docx(corpus), "same records, same bytes"
    path = tmp_path / "rules.docx"
    path.write_bytes(data)
    doc = Document(str(path))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert h1[0].startswith("第1章") and "附則" in h1
    assert len(h2) == len(corpus.policy.clauses) and h2[0].startswith("第1条（")
    highlighted = {r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color is not None}
    assert {"【金融機関名】", "【所管部署】", "【施行日】"} <= highlighted
    assert "[[" not in "\n".join(p.text for p in doc.paragraphs)


@pytest.mark.slow
@needs_office
def test_rules_docx_converts_to_pdf_with_article_numbers(corpus, tmp_path):
    path = tmp_path / "rules.docx"
    path.write_bytes(rules_docx(corpus))
    pdf = soffice(path, "pdf", tmp_path / "out")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    n = len(article_numbers(corpus.policy))
    for k in (1, n // 2, n):
        assert f"第{k}条（" in flat, k
    assert "第1章" in flat and "附則" in flat and "【施行日】から施行する" in flat
