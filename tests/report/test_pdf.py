"""Read the real PDF back: text, fonts, outline, 目次 page numbers, metadata, tags, reproducibility."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pypdf
import pytest

from casebook.report import render_report, render_report_subprocess
from casebook.validate import validate

from .conftest import FIXTURE, HOSTILE, pdftotext, squash

TOC_LINE = re.compile(r"^\s*(第\d+章|付録[A-Z])\s*(.*?)\s*\.{4,}\s*(\d+)\s*$")


def toc_entries(pdf: Path, last_page: int = 12) -> list[tuple[str, str, int]]:
    """(label, title, page) for every chapter line of the 目次, read from the layout text of the first pages.

    The 目次 prints body page numbers (the first chapter is page 1); ``page`` is the physical page they name,
    found through the PDF's /PageLabels, which must say the same."""
    physical = {label: n for n, label in enumerate(pypdf.PdfReader(pdf).page_labels, start=1)}
    entries: list[tuple[str, str, int]] = []
    pending = ""
    for line in pdftotext(pdf, 1, last_page, layout=True).splitlines():
        candidate = (pending + " " + line.strip()) if pending else line
        m = TOC_LINE.match(candidate)
        if m:
            entries.append((m[1], m[2], physical[m[3]]))
            pending = ""
        elif re.match(r"^\s*(第\d+章|付録[A-Z])", line) and "...." not in line:
            pending = line.strip()  # a long title wrapped: the leader and number are on the next line
        else:
            pending = ""
    return entries


def struct_elements(reader: pypdf.PdfReader):
    """Every structure element of the tagged PDF (depth first)."""
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        if isinstance(node, pypdf.generic.IndirectObject):
            node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            stack.extend(node)
            continue
        if not isinstance(node, pypdf.generic.DictionaryObject):
            continue
        if "/S" in node:
            yield node
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    out: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return out


def test_every_case_title_and_risk_name_appears(rendered, corpus):
    pdf, info = rendered
    text = squash(pdftotext(pdf))
    for case in corpus.cases.values():
        assert squash(case.title.ja) in text
    for risk in corpus.risks.values():
        assert squash(risk.name.ja) in text
    assert info.pages == len(pypdf.PdfReader(pdf).pages)
    assert info.cases == len(corpus.cases)


def test_every_font_is_embedded(rendered):
    pdf, _ = rendered
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = lines[2:]
    assert rows, "no fonts listed"
    names = " ".join(row.split()[0] for row in rows)
    assert "Noto-Sans-CJK-JP" in names and "Noto-Serif-CJK-JP" in names
    for row in rows:
        # name type [type] encoding emb sub uni object ID — emb is the 5th field from the end
        assert row.split()[-5] == "yes", f"font not embedded: {row}"


def test_toc_page_numbers_match_where_headings_land(rendered):
    pdf, info = rendered
    entries = toc_entries(pdf)
    assert [title for _, title, _ in entries] == info.chapters
    pages = {p: squash(pdftotext(pdf, p, p, layout=True)) for p in {page for *_, page in entries} | {
        page - 1 for *_, page in entries}}
    for label, title, page in entries:
        heading = squash(label + title)
        assert heading in pages[page], f"{label} {title}: not on page {page}"
        if page - 1 > 2:  # the page before (when it is not the 目次) does not hold the heading
            assert heading not in pages[page - 1], f"{label} {title}: already on page {page - 1}"


def test_outline_has_an_entry_per_chapter_and_case(rendered, corpus):
    pdf, info = rendered
    reader = pypdf.PdfReader(pdf)
    top = [(title, page) for level, title, page in outline(reader) if level == 1]
    toc = {title: page for _, title, page in toc_entries(pdf)}
    titles = [title for title, _ in top]
    for chapter in info.chapters:
        match = [(t, p) for t, p in top if t.endswith(" " + chapter)]
        assert len(match) == 1, (chapter, titles)
        assert match[0][1] == toc[chapter]
    for case in corpus.cases.values():
        assert any(t.endswith(case.title.ja) for t in titles)


def test_metadata_language_and_tags(rendered, corpus):
    pdf, _ = rendered
    pub = corpus.publication
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    assert fields["Title"] == pub.title.ja
    assert fields["Author"] == pub.publisher.ja
    assert fields["Subject"]
    assert fields["Keywords"]
    assert fields["Tagged"] == "yes"
    assert fields["Page size"].startswith("595.276 x 841.89")  # A4
    assert fields["CreationDate"].startswith("Sat Jan 31 00:00:00 2026") or pub.date not in ("2026-01-31",)
    reader = pypdf.PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "ja"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.creation_date == reader.metadata.modification_date


def test_header_cells_carry_scope(rendered):
    pdf, _ = rendered
    reader = pypdf.PdfReader(pdf)
    scopes = [e["/A"].get("/Scope") for e in struct_elements(reader) if e["/S"] == "/TH"]
    assert scopes and all(s in ("/Column", "/Row") for s in scopes)
    assert {"/Column", "/Row"} <= set(scopes)


def test_pdfua_checker_reports_no_errors_or_warnings(rendered):
    pdfua = pytest.importorskip("pdfua")
    pdf, _ = rendered
    report = pdfua.validate(str(pdf))
    bad = [(f.rule_id, f.severity.name, f.message) for f in report.findings
           if f.severity.name in ("ERROR", "WARNING")]
    assert bad == []


def test_same_inputs_give_byte_identical_pdf_even_in_a_subprocess(rendered, tmp_path):
    pdf, info = rendered
    again = render_report_subprocess(FIXTURE, tmp_path / "again.pdf")
    assert again.sha256 == info.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert again.pages == info.pages


def test_pdf_a_3b_variant(corpus, tmp_path):
    out = tmp_path / "a3b.pdf"
    info = render_report(corpus, out, variant="pdf/a-3b")
    reader = pypdf.PdfReader(out)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "pdfaid" in xmp and re.search(r"pdfaid:part[^0-9]*3", xmp)
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert info.variant == "pdf/a-3b"


def test_unknown_variant_is_refused(corpus, tmp_path):
    from casebook.errors import RenderError

    with pytest.raises(RenderError, match="unknown PDF variant"):
        render_report(corpus, tmp_path / "x.pdf", variant="pdf/x-9")


def test_hostile_case_text_renders_as_inert_text(hostile_root, secret, tmp_path):
    corpus = validate(hostile_root).corpus
    out = tmp_path / "hostile.pdf"
    render_report(corpus, out)
    text = pdftotext(out)
    flat = squash(text)
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    if hostname and len(hostname) >= 6:
        assert hostname not in text
    assert secret[1] not in text
    assert secret[1].encode() not in out.read_bytes()
    for markup in HOSTILE:
        assert squash(markup) in flat, markup  # shown as typed, not interpreted
    assert squash('<b style="color:red">悪意ある題名</b>') in flat
    reader = pypdf.PdfReader(out)
    images = {image.name for page in reader.pages for image in page.images}
    assert len(images) == 1  # the case's own figure only
    figures = [e for e in struct_elements(reader) if e["/S"] == "/Figure"]
    assert [f.get("/Alt") for f in figures] == ["システム構成の図"]



def test_subprocess_reports_an_invalid_project_as_a_render_error(tmp_path):
    from casebook.errors import RenderError

    (tmp_path / "content" / "catalog").mkdir(parents=True)
    with pytest.raises(RenderError, match="subprocess"):
        render_report_subprocess(tmp_path, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
