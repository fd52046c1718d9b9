"""The 新旧対照表 as a Word document (DOCX): the report appendix's rows, in a table 箇所 | 改正後 | 改正前.

The rows are :func:`casebook.comparison.edition_table`'s (this edition against the previous one, as on the
changelog page and in the PDF appendix); a changed run of characters is an underlined run (傍線). The table is
A4 landscape with its header row repeated on every page. A first edition has nothing to compare: the
document then says so in one sentence (the download stays listed on the data page). Same records, same
bytes.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from ..comparison import Segment, edition_table
from ..diff import edition_history
from ..model import Corpus
from .adoption import messages, normalise_zip
from .rulesdoc import FONT


def _segments(paragraph, segments: tuple[Segment, ...]) -> None:
    if not segments:
        paragraph.add_run("—")
    for seg in segments:
        run = paragraph.add_run(seg.text)
        if seg.changed:
            run.font.underline = True


def comparison_docx(corpus: Corpus) -> bytes:
    msg = messages()["comparison"]
    pub = corpus.publication
    table_data = edition_table(edition_history(corpus.root, pub.editions))
    doc = Document()
    for name in ("Normal", "Title"):
        style = doc.styles[name]
        style.font.name = FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    doc.styles["Normal"].font.size = Pt(9)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Pt(841.9), Pt(595.3)  # A4 landscape
    section.left_margin = section.right_margin = Pt(42)

    doc.add_paragraph(msg["title"].format(title=pub.title.ja, edition=pub.edition), style="Title")
    if table_data is None:
        doc.add_paragraph(msg["first_edition"].format(edition=pub.edition))
    elif not table_data.computed:
        doc.add_paragraph(msg["unreadable"].format(previous=table_data.previous.edition,
                                                   reason=table_data.reason))
    elif not table_data.rows:
        doc.add_paragraph(msg["no_changes"].format(previous=table_data.previous.edition))
    else:
        doc.add_paragraph(msg["intro"].format(previous=table_data.previous.edition))
        table = doc.add_table(rows=1, cols=len(msg["columns"]))
        table.style = "Table Grid"
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on every page
        for cell, heading in zip(header.cells, msg["columns"], strict=True):
            cell.text = heading
            cell.paragraphs[0].runs[0].font.bold = True
        for row in table_data.rows:
            place, new, old = table.add_row().cells
            place.text = row.record
            place.add_paragraph(row.label)
            _segments(new.paragraphs[0], row.new)
            _segments(old.paragraphs[0], row.old)
        for cells, width in zip(zip(*(r.cells for r in table.rows), strict=True), (Pt(90), Pt(334), Pt(334)),
                                strict=True):
            for cell in cells:
                cell.width = width

    when = dt.datetime.fromisoformat(str(pub.date))
    props = doc.core_properties
    props.created = props.modified = when
    props.last_printed = when
    props.title = msg["title"].format(title=pub.title.ja, edition=pub.edition)
    props.author = props.last_modified_by = ""
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue(), str(pub.date))
