"""`casebook preview`: one case study's page and PDF chapter, with the catalogues, quickly."""

from __future__ import annotations

import subprocess
from pathlib import Path

from casebook.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_preview_builds_the_page_and_the_chapter_only(tmp_path, capsys):
    case = ROOT / "casestudies" / "sample-sme-loan-intake"
    assert main(["--root", str(ROOT), "preview", str(case), "-o", str(tmp_path)]) == 0
    page = tmp_path / "site" / "casestudies" / "sample-sme-loan-intake" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "信用金庫" in html
    # only the previewed case study is built; the catalogues are all there
    built = {p.name for p in (tmp_path / "site" / "casestudies").iterdir() if p.is_dir()}
    assert built == {"sample-sme-loan-intake"}
    assert (tmp_path / "site" / "risks" / "R-HALLUCINATION" / "index.html").is_file()
    pdf = tmp_path / "sample-sme-loan-intake.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "目次" not in text  # the chapter, not the whole report
    title = "信用金庫"
    assert title in text
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    assert 3 <= pages <= 30


def test_preview_refuses_a_folder_without_case_file(tmp_path, capsys):
    assert main(["--root", str(ROOT), "preview", str(tmp_path)]) == 2
    assert "not a case-study folder" in capsys.readouterr().err
