"""The shipped report's typesetting, read back from the real PDF: continued tables, page fill, joins.

Every test here reads the one shipped-content PDF rendered for the session (``shipped_pdf``).
"""

from __future__ import annotations

import itertools
import re

import pytest

from .conftest import PageText, page_texts

pytestmark = pytest.mark.slow

#: The body area of a page in points (report.css: A4 with margins of 22 mm top, 20 mm bottom; the landscape
#: page 18 mm and 16 mm): the running head sits above it, the folio below it.
_MM = 72 / 25.4
_CAPTION = re.compile(r"^表(\d+)")
_CHAPTER_START = re.compile(r"^(第\d+章|付録[A-Z])")


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
