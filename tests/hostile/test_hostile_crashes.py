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
