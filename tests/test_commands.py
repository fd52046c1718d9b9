"""Build-level guards in casebook.commands that need no full build."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.commands import check_chapters
from casebook.errors import RenderError
from casebook.validate import validate

FIXTURE = Path(__file__).parent / "fixtures" / "corpus"


def test_every_case_needs_a_pdf_chapter():
    corpus = validate(FIXTURE).corpus
    title = corpus.cases["sample-chatbot"].title.ja
    check_chapters(corpus, ["第1章 エグゼクティブサマリー", f"第3章 {title}"])
    with pytest.raises(RenderError, match="sample-chatbot"):
        check_chapters(corpus, ["第1章 エグゼクティブサマリー", "付録A 参照法令"])


def test_chapter_check_ignores_whitespace_and_needs_the_whole_title():
    corpus = validate(FIXTURE).corpus
    case = corpus.cases["sample-chatbot"]
    title = case.title.ja
    case.title = type(case.title)(title.replace("（", "  （"), case.title.en)  # double space, as YAML allows
    check_chapters(corpus, [f"第3章 {title.replace('（', ' （')}"])  # the PDF collapses whitespace
    case.title = type(case.title)("チャットボット", None)
    with pytest.raises(RenderError):  # a longer title containing it is another chapter
        check_chapters(corpus, ["第3章 新しいチャットボット"])
