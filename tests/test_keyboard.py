"""What a Japanese keyboard types where half-width was meant, folded back and named by kind."""

from __future__ import annotations

import pytest

from casebook import keyboard


@pytest.mark.parametrize("typed, half", [
    ("Ｍ－ＲＡＧ－ＣＩＴＡＴＩＯＮ", "M-RAG-CITATION"), ("２００", "200"), ("ｕｓｅ＿ｌｅｖｅｌ", "use_level"),
    ("“region”", "region"), ("‘kinki’", "kinki"), ("＂kinki＂", "kinki"), ("R−HALLUCINATION", "R-HALLUCINATION"),
    ("plain", "plain"), ('"quoted"', '"quoted"'),  # straight quotes inside a value are the value's own
])
def test_fold(typed: str, half: str) -> None:
    assert keyboard.fold(typed) == half


def test_wide_kinds_name_each_kind_once_in_order() -> None:
    assert keyboard.wide_kinds("Ｍ－ＲＡＧ－１") == [("letter", ["Ｍ", "Ｒ", "Ａ", "Ｇ"]), ("hyphen", ["－"]),
                                                  ("digit", ["１"])]
    assert keyboard.wide_kinds("“region”") == [("quote", ["“", "”"])]
    assert keyboard.wide_kinds("region") == []


def test_the_kinds_read_as_japanese_in_a_message() -> None:
    from pathlib import Path

    from casebook.diagnostics import Diagnostic
    from casebook.errors import Location
    from casebook.messages import Phrase

    chars = [Phrase(f"wide-{kind}", {"chars": found}) for kind, found in keyboard.wide_kinds("Ｍ－1")]
    d = Diagnostic(Location(Path("x"), 1, 1), "fullwidth-character", {"value": "Ｍ－1", "chars": chars,
                                                                       "ascii": "M-1"})
    assert d.message == "`Ｍ－1` に全角の英字（Ｍ）、全角のハイフン（－）があります"
    assert d.message_en == "`Ｍ－1` holds full-width letters (Ｍ), full-width hyphens or dashes (－)"
