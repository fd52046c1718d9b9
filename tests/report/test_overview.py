"""The 概要版: 2–6 pages from the same records and the editor's summary, tagged and embedded like the report."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from casebook.report.overview import render_overview
from casebook.validate import validate

from .conftest import pdftotext, squash

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def overview(tmp_path_factory):
    corpus = validate(REPO).corpus
    out = tmp_path_factory.mktemp("overview") / "report-summary.pdf"
    pages, digest = render_overview(corpus, out)
    return corpus, out, pages, digest


def test_overview_is_two_to_six_pages_from_the_records(overview):
    corpus, out, pages, _ = overview
    assert 2 <= pages <= 6
    text = squash(pdftotext(out))
    assert "概要版" in text and squash(corpus.publication.title.ja) in text
    assessed = {a.risk.name.ja for case in corpus.cases.values() for a in case.assessments}
    assert all(squash(name) in text for name in assessed)
    assert all(squash(ch.title.ja) in text for ch in corpus.policy.chapters)
    assert "[[" not in text


def test_overview_is_tagged_pdf_ua_with_embedded_fonts(overview):
    _, out, _, _ = overview
    with pikepdf.Pdf.open(out) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang).startswith("ja")
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.get("/FontDescriptor")
                assert descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                                                   "/FontFile3"))
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = [re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line) for line in fonts.splitlines()[2:]]
    assert rows and all(row is not None and row.group(1) == "yes" for row in rows), fonts


def test_overview_is_byte_identical_when_rendered_again(overview, tmp_path):
    corpus, _, _, digest = overview
    _, again = render_overview(corpus, tmp_path / "again.pdf")
    assert again == digest
