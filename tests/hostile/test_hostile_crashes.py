"""Inputs that crashed a step before: each now gives a diagnostic or runs within its bound."""

from __future__ import annotations

import time
from pathlib import Path

from casebook import search
from casebook.load import Document, load_text


def test_a_17000_character_katakana_run_does_not_crash_the_search_step() -> None:
    start = time.perf_counter()
    words = search.hidden_terms("題", "カ" * 17_000 + "。プロンプトインジェクションの対策。")
    assert time.perf_counter() - start < 10
    assert "インジェクション" in words  # ordinary words of the same page still get their suffixes
    assert not any(len(w) > 200 for w in words)


def test_a_5000_digit_integer_is_a_diagnostic_not_a_traceback() -> None:
    doc = load_text("n: " + "9" * 5000 + "\n", Document(Path("case.yaml"), max_int_digits=15))
    assert [(d.code, d.field) for d in doc.diagnostics] == [("limit", "/n")]
    assert doc.data == {"n": None}


def test_a_case_over_its_page_limit_fails_the_build_naming_it() -> None:
    import pytest

    from casebook.errors import RenderError
    from casebook.report.html import ChapterEntry
    from casebook.report.pdf import _check_pages_per_case

    class _Case:
        id = "long-case"

    class _Plan:
        def __init__(self) -> None:
            self.chapters = [ChapterEntry("c1", "第1章", "chapter"),
                             ChapterEntry("case-long", "長い事例", "case", _Case()),
                             ChapterEntry("a1", "付録A", "appendix")]

    _check_pages_per_case(_Plan(), {"c1": 3, "case-long": 5, "a1": 45}, 60, 40)  # 40 pages: within
    with pytest.raises(RenderError, match=r"long-case \(41 pages\)"):
        _check_pages_per_case(_Plan(), {"c1": 3, "case-long": 5, "a1": 46}, 60, 40)


def test_a_part_over_its_time_budget_fails_naming_its_cases() -> None:
    import pytest

    from casebook.errors import RenderError
    from casebook.limits import Budgets, Images, Limits
    from casebook.report.html import ChapterEntry, Section
    from casebook.report.parts import Part
    from casebook.report.pdf import _within_budget

    class _Case:
        id = "slow-case"

    limits = Limits(1, {}, 1, {}, 1, 1, 1, 1, 1, Images(1, 1, 1, 1, 1),
                    Budgets(pdf_part_seconds=0.2, pdf_part_memory_mb=100_000, search_seconds=1))
    part = Part("cases-001", [Section("case", ChapterEntry("case-slow", "遅い事例", "case", _Case()))])
    start = time.perf_counter()
    with pytest.raises(RenderError, match=r"slow-case.*0\.2 s"), _within_budget(part, limits):
        while time.perf_counter() - start < 5:
            pass
    assert time.perf_counter() - start < 2  # stopped by the budget, not by the loop
