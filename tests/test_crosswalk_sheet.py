"""The crosswalk sheet of the self-assessment workbook, opened with openpyxl and round-tripped by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casebook.site.adoption import messages
from casebook.site.workbook import workbook
from casebook.validate import validate
from projects import REPO

SOFFICE = shutil.which("soffice")
GUIDELINE = "AI事業者ガイドライン 共通の指針"


@pytest.fixture(scope="module")
def corpus():
    result = validate(REPO)
    assert result.corpus is not None
    return result.corpus


@pytest.fixture(scope="module")
def book(corpus, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "self-assessment.xlsx"
    path.write_bytes(workbook(corpus))
    return path


def _rows(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]


def test_one_row_per_listed_item_with_status_and_check_items(corpus, book):
    wb = load_workbook(book)
    sheets = messages()["sheets"]
    ws = wb[sheets["crosswalk"]]
    rows = _rows(ws)
    assert len(rows) == sum(len(fw.items) for fw in corpus.frameworks.values())
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    guideline = [r for r in rows if r["枠組み"] == GUIDELINE]
    assert len(guideline) == 31
    assert sum(r["状態"] == "対応あり" for r in guideline) == 26
    excluded = [r for r in guideline if r["状態"] == "対象外"]
    assert len(excluded) == 5 and all(r["対象外とした理由"] for r in excluded)
    assert {r["項目ID"] for r in excluded} >= {"1)⑥", "9)"}
    assert all(r["一覧の確認"] == "要確認" for r in guideline)  # the guideline's titles are not confirmed yet
    # a covered item names its risks and mitigations, and check items that the checklist sheet holds
    checklist_ids = {c.value for c in wb[sheets["checklist"]]["A"][1:]}
    llm01 = next(r for r in rows if r["項目ID"] == "LLM01" and r["版"] == "2025")
    assert "R-PROMPT-INJECTION" in llm01["対応するリスク"] and "M-AI-FIREWALL" in llm01["対応する軽減策"]
    named = set(llm01["確認項目ID"].split("\n"))
    assert named and named <= checklist_ids
    # every gap the catalogue has is flagged, and only those
    gaps = {(fw.name.ja, fw.edition, i.id) for fw in corpus.frameworks.values() for i in fw.gaps}
    assert {(r["枠組み"], r["版"], r["項目ID"]) for r in rows if r["状態"] == "未対応"} == gaps


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice missing: run scripts/bootstrap.sh")
def test_crosswalk_sheet_survives_libreoffice(book, tmp_path):
    out = tmp_path / "out"
    run = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={(out / 'profile').as_uri()}",
                          "--convert-to", "xlsx", "--outdir", str(out), str(book)],
                         capture_output=True, text=True, timeout=180)
    converted = out / book.name
    assert run.returncode == 0 and converted.is_file(), run.stdout + run.stderr
    name = messages()["sheets"]["crosswalk"]
    before, after = _rows(load_workbook(book)[name]), _rows(load_workbook(converted)[name])
    key = ("枠組み", "版", "項目ID", "状態")
    assert [tuple(r[k] for k in key) for r in after] == [tuple(r[k] for k in key) for r in before]
