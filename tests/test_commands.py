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
