"""The rules template (DOCX): the 利用方針 as internal rules in 条 form, ready to adapt.

第n章 are Word "Heading 1" and 第n条 "Heading 2", so the navigation pane lists them; placeholders such as
【金融機関名】 are highlighted; a clause id named in the text (P6-2) becomes its 条 number; the sources of each
条 are listed in an appendix table. Same records, same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt

from ..model import Corpus, Mitigation, Provision, Risk
from ..render.xref import REF, Target, label
from .adoption import article_numbers, messages, normalise_zip

_PLACEHOLDER = re.compile(r"(【[^】]{1,20}】)")
_MARKUP = re.compile(r"\*\*|__|`")
FONT = "Noto Sans CJK JP"


def _runs(paragraph, text: str) -> None:
    """Text into runs; placeholders highlighted so they are easy to find and replace."""
    for part in _PLACEHOLDER.split(text):
        if part:
            run = paragraph.add_run(part)
            if _PLACEHOLDER.fullmatch(part):
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _resolver(corpus: Corpus) -> Callable[[str], Target | None]:
    """References by id as this document numbers them: chapters 第n章, clauses 第n条, records by name."""
    policy = corpus.policy
    chapters = {ch.id: (f"第{n}章", ch.title.ja) for n, ch in enumerate(policy.chapters if policy else [], 1)}
    clauses = {cl.id: (f"第{n}条", cl.title.ja) for cl_id, n in article_numbers(policy).items()
               for cl in (policy.clauses if policy else []) if cl.id == cl_id}

    def resolve(record_id: str) -> Target | None:
        if record_id in chapters or record_id in clauses:
            number, title = chapters.get(record_id) or clauses[record_id]
            return Target(number, title)
        record = corpus.record(record_id)
        name = getattr(record, "name", None) or getattr(record, "title", None)
        return Target("", name.ja) if name is not None else None

    return resolve


def _text(text: str, numbers: dict[str, int], replace: list[list[str]],
          resolve: Callable[[str], Target | None]) -> list[tuple[bool, str]]:
    """Prose → (is list item, line) paragraphs; references by id become this document's 章 and 条 numbers."""

    def ref(m: re.Match) -> str:
        target = resolve(m.group(2))
        return label(m.group(1), target) if target else m.group(2)

    text = _MARKUP.sub("", REF.sub(ref, text))
    for old, new in replace:
        text = text.replace(old, new)
    text = re.sub(r"\b(P\d+-\d+)\b", lambda m: f"第{numbers[m.group(1)]}条" if m.group(1) in numbers
                  else m.group(1), text)
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        for line in block.splitlines():
            line = line.strip()
            if line.startswith(("- ", "* ")):
                out.append((True, line[2:].strip()))
            elif out and not out[-1][0] and not block.startswith(line) and line:
                out[-1] = (False, out[-1][1] + line)
            elif line:
                out.append((False, line))
    return out


def rules_docx(corpus: Corpus) -> bytes:
    msg = messages()["rules"]
    policy = corpus.policy
    pub = corpus.publication
    numbers = article_numbers(policy)
    resolve = _resolver(corpus)
    doc = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        style = doc.styles[name]
        style.font.name = FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    doc.styles["Normal"].font.size = Pt(10.5)
    section = doc.sections[0]
    section.page_height, section.page_width = Pt(841.9), Pt(595.3)  # A4 portrait

    _runs(doc.add_paragraph(style="Title"), msg["title"])
    _runs(doc.add_paragraph(), msg["note"].format(policy=policy.title.ja if policy else "", edition=pub.edition,
                                                  date=pub.date))
    for n, chapter in enumerate(policy.chapters if policy else [], 1):
        doc.add_heading(msg["chapter"].format(n=n, title=chapter.title.ja), level=1)
        for clause in chapter.clauses:
            doc.add_heading(msg["article"].format(n=numbers[clause.id], title=clause.title.ja), level=2)
            paragraphs = _text(clause.text.ja, numbers, msg["replace"], resolve)
            numbered = sum(1 for is_item, _ in paragraphs if not is_item) > 1
            k = 0
            for is_item, line in paragraphs:
                if is_item:
                    _runs(doc.add_paragraph(style="List Bullet"), line)
                else:
                    k += 1
                    _runs(doc.add_paragraph(), (f"{_zenkaku(k)}　" if numbered and k > 1 else "") + line)
    doc.add_heading(msg["supplementary"], level=1)
    for line in msg["supplementary_lines"]:
        _runs(doc.add_paragraph(), line)

    doc.add_heading(msg["sources_heading"], level=1)
    table = doc.add_table(rows=1, cols=len(msg["sources_columns"]))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, msg["sources_columns"], strict=True):
        cell.text = heading
    for clause in policy.clauses if policy else []:
        provisions = [r.citation for r in clause.cites if isinstance(r, Provision)]
        records = [f"{r.name.ja}（{r.id}）" for r in clause.cites if isinstance(r, Risk | Mitigation)]
        cells = table.add_row().cells
        for cell, value in zip(cells, (f"第{numbers[clause.id]}条", clause.id, "、".join(provisions) or "—",
                                       "、".join(records) or "—"), strict=True):
            cell.text = value

    when = dt.datetime.fromisoformat(str(pub.date))
    props = doc.core_properties
    props.created = props.modified = when
    props.last_printed = when
    props.title = msg["title"]
    props.author = props.last_modified_by = ""
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue(), str(pub.date))


def _zenkaku(n: int) -> str:
    """Paragraph (項) numbers as in Japanese rules: ２, ３ … in full-width digits."""
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
