"""The shipped report's typesetting, read back from the real PDF: continued tables, page fill, joins.

Every test here reads the one shipped-content PDF rendered for the session (``shipped_pdf``).
"""

from __future__ import annotations

import itertools
import re

import pypdf
import pytest

from casebook.report.typeset import ID_CHARS, PAREN_CHARS

from .conftest import REPO, PageText, page_texts, pdftotext, squash

pytestmark = pytest.mark.slow

#: The body area of a page in points (report.css: A4 with margins of 22 mm top, 20 mm bottom; the landscape
#: page 18 mm and 16 mm): the running head sits above it, the folio below it.
_MM = 72 / 25.4
_CAPTION = re.compile(r"^表(\d+)")
_CHAPTER_START = re.compile(r"^(第\d+章|付録[A-Z])")
_SHORT_PAREN = re.compile(rf"（[^（）\s]{{1,{PAREN_CHARS}}}）")
_ID = re.compile(r"(?<![A-Za-z0-9-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?![A-Za-z0-9-])")


def _body(page: PageText) -> tuple[float, float]:
    top, bottom = (18, 16) if page.landscape else (22, 20)
    return top * _MM, page.height - bottom * _MM


def _head(page: PageText) -> list[str]:
    top, _ = _body(page)
    return [text for y0, y1, text in page.lines if y1 <= top]


def _content(page: PageText) -> list[tuple[float, float, str]]:
    top, bottom = _body(page)
    return [line for line in page.lines if line[0] >= top - 1 and line[1] <= bottom + 1]


@pytest.fixture(scope="module")
def pages(shipped_pdf):
    return page_texts(shipped_pdf[0])


def test_a_table_running_on_to_a_page_is_named_there_as_continued(pages):
    captions: dict[int, int] = {}  # table number → page of its caption
    continued: dict[int, list[int]] = {}
    for page in pages:
        for _, _, text in _content(page):
            if (m := _CAPTION.match(text)) and not text.startswith(f"表{m.group(1)}（"):
                captions.setdefault(int(m.group(1)), page.number)
        for text in _head(page):
            for m in re.finditer(r"表(\d+)（続き）", text):
                continued.setdefault(int(m.group(1)), []).append(page.number)
    assert len(continued) >= 5, "the shipped report has long tables running over several pages"
    for table, where in continued.items():
        first = captions.get(table)
        assert first is not None, f"表{table}（続き） on page {where[0]} names a table without a caption"
        # the pages of a continued table follow its caption without a gap
        assert where == list(range(first + 1, first + 1 + len(where))), (table, first, where)
        for number in where:
            top = _content(pages[number - 1])[0][2]
            assert not _CAPTION.match(top) or top.startswith(f"表{table}（"), \
                f"page {number} starts with a new table {top!r} but is headed 表{table}（続き）"


def test_no_half_empty_page_before_a_page_that_is_not_a_new_chapter(pages):
    """A page is left at least 60 % full unless the next page starts a chapter (h1 starts a page)."""
    short = []
    for page, nxt in itertools.pairwise(pages):
        if page.number <= 2:  # the cover and the 目次
            continue
        lines, nxt_lines = _content(page), _content(nxt)
        if not lines or not nxt_lines or _CHAPTER_START.match(nxt_lines[0][2]) or nxt.landscape:
            continue
        top, bottom = _body(page)
        fill = (lines[-1][1] - top) / (bottom - top)
        if fill < 0.6:
            short.append(f"page {page.number} is {fill:.0%} full before {nxt_lines[0][2][:30]!r}")
    assert short == []


def test_no_sentence_is_joined_to_a_list_or_another_by_a_comma(shipped_pdf):
    """Items joined in a row never give 「。、」, 「。。」 or 「、。」 (was 48 times in the 付録 of 軽減策)."""
    text = squash(pdftotext(shipped_pdf[0]))
    joins = [text[max(0, m.start() - 20):m.end() + 10] for m in re.finditer(r"。、|。。|、。", text)]
    assert joins == []


def test_front_matter_is_numbered_apart_from_the_body(pages, shipped_pdf):
    """Cover and 目次 are i, ii …; the first chapter is page 1, in the folio, the 目次 and /PageLabels."""
    labels = pypdf.PdfReader(shipped_pdf[0]).page_labels
    front = labels.index("1")
    assert front >= 2 and labels[:front] == [_roman(n) for n in range(1, front + 1)]
    first = _content(pages[front])
    assert first[0][2].startswith("第1章"), first[0]
    body = len(pages) - front
    assert pages[front].lines[-1][2] == f"1/{body}"  # the folio, below the body area
    assert all(page.lines[-1][2] == _roman(page.number) for page in pages[1:front])


def test_toc_lists_sections_with_the_pages_they_start_on(pages, shipped_pdf, shipped_corpus):
    labels = pypdf.PdfReader(shipped_pdf[0]).page_labels
    front = labels.index("1")
    toc = [text for page in pages[1:front] for _, _, text in _content(page)]
    sections = [re.match(r"^(\d+)\.(\d+)(.+?)\.{4,}(\d+)$", line) for line in toc]
    sections = [m for m in sections if m]
    assert len(sections) >= 20
    for m in sections:
        page = pages[labels.index(m[4])]
        heading = f"{m[1]}.{m[2]}{m[3]}"
        assert any(text.startswith(heading) for _, _, text in _content(page)), f"{heading} not on page {m[4]}"
    assert not any("要確認" in line for line in toc)


def _roman(n: int) -> str:
    return ["", "i", "ii", "iii", "iv", "v", "vi"][n]


def test_no_line_breaks_inside_a_short_parenthesised_word_or_an_id(shipped_pdf, shipped_corpus):
    """「（モデル方針）」 and ids such as APPI-27 stay on one line (report/typeset.py); was 51 breaks."""
    c = shipped_corpus
    ids = {*c.risks, *c.mitigations, *c.provisions, *c.instruments}
    if c.policy is not None:
        ids |= {clause.id for clause in c.policy.clauses}
    ids = {i for i in ids if "-" in i and len(i) <= ID_CHARS}
    lines = [line for line in pdftotext(shipped_pdf[0]).splitlines() if line.strip()]
    broken = []
    for line, following in itertools.pairwise(lines):
        tail, head = line.rstrip()[-20:], following.lstrip()[:20]
        joined, at = tail + head, len(tail)
        spans = [m for m in _SHORT_PAREN.finditer(joined)]
        spans += [m for m in _ID.finditer(joined) if m.group(0) in ids]
        broken += [joined for m in spans if m.start() < at < m.end()]
    assert len(ids) > 50 and broken == []


def test_running_text_names_records_instead_of_showing_their_ids(shipped_pdf, shipped_corpus):
    """An id next to Japanese words is an id in a sentence (「措置の不備（APPI-23）」, 「M-PII-MASKING の」);
    ids stay in their own table cells and appendix lines. Fragments are cut at the layout's column gaps."""
    c = shipped_corpus
    ids = {*c.risks, *c.mitigations, *c.provisions, *c.instruments, *c.metrics}
    ids = {i for i in ids if "-" in i}
    alternatives = "|".join(sorted(map(re.escape, ids), key=len, reverse=True))
    wide = r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]"
    # (a list of ids alone, 「M-RED-TEAM、M-LLM-JUDGE」, is a table cell of the crosswalk appendix)
    in_sentence = re.compile(rf"(?:{wide}|（) ?(?:{alternatives})(?![A-Za-z0-9-])"
                             rf"|(?<![A-Za-z0-9-])(?:{alternatives}) ?(?:{wide}|[。）])")
    found = []
    for line in pdftotext(shipped_pdf[0], layout=True).splitlines():
        found += [fragment.strip() for fragment in re.split(r"\s{2,}", line) if in_sentence.search(fragment)]
    assert len(ids) > 100 and found == []


def test_one_title_on_the_cover_in_the_metadata_and_for_the_site(shipped_pdf, shipped_corpus):
    title = shipped_corpus.publication.title.ja
    reader = pypdf.PdfReader(shipped_pdf[0])
    assert reader.metadata.title == title
    assert squash(title) in squash(pdftotext(shipped_pdf[0], 1, 1))
    # the site's name comes from the same record (plugin.py); the home page and mkdocs.yml say it too
    assert f"site_name: {title}\n" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert (REPO / "content" / "index.md").read_text(encoding="utf-8").startswith(f"# {title}\n")
