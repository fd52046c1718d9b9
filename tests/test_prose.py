"""render/prose.py: record prose becomes inert, safe Markdown/HTML with only the allowed subset live."""

from __future__ import annotations

import pytest

from casebook.render.prose import to_html, to_markdown


def href(record_id: str) -> str | None:
    return {"R-HALLUCINATION": "../risks/R-HALLUCINATION.md"}.get(record_id)


def test_allowed_subset_stays_live():
    html = to_html("**強調** と [出典](https://example.org/a) と R-HALLUCINATION\n\n- 一\n- 二", href)
    assert "<strong>強調</strong>" in html
    assert '<a href="https://example.org/a">出典</a>' in html
    assert '<a href="../risks/R-HALLUCINATION.md">R-HALLUCINATION</a>' in html
    assert "<ul>" in html


def test_raw_html_and_unsafe_links_are_text():
    html = to_html('<script>alert(1)</script> [x](javascript:alert(1)) ![i](file:///etc/hostname)', href)
    assert "<script" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html and "<img" not in html


HEADING_TRICKS = [
    "# 偽の見出し",
    "要約。\n\n## 二つ目の見出し",
    "偽の見出し\n===",
    "別の見出し\n---",
    "要約。\r# 裸の CR の後の見出し",
    "要約。\r\n# CRLF の後の見出し",
    "要約。\u2028# 行区切りの後の見出し",
    "- 項目\n\n    # リストの中の見出し",
    "- # リスト項目そのものが見出し",
    "1. 一\n   1. 二\n      # 入れ子のリストの中の見出し",
    "`code\r# 見出し` の後",
    "> # 引用の中の見出し",
    "    # 字下げの中の見出し",
    "* * *\n\n見出しの前の区切り線",
    "??? danger \"偽の枠\"\n    中身",
    "!!! note \"偽の注記\"\n    中身",
]


@pytest.mark.parametrize("text", HEADING_TRICKS)
def test_no_heading_rule_quote_or_box_whatever_the_line_endings_or_nesting(text):
    html = to_html(text)
    for tag in ("<h1", "<h2", "<h3", "<h4", "<h5", "<h6", "<hr", "<blockquote", "<pre", "<details", "<div"):
        assert tag not in html, (text, html)
    assert "見出し" in html or "中身" in html  # nothing is dropped: shown as text


def test_link_text_that_reads_as_another_address_shows_the_real_target():
    html = to_html("[https://www.fsa.go.jp/](https://evil.example/login) と [www.fsa.go.jp](https://evil.example/)")
    assert '<a href="https://evil.example/login">https://www.fsa.go.jp/</a>' not in html
    assert "https://www.fsa.go.jp/ (" in html
    assert '<a href="https://evil.example/login">https://evil.example/login</a>' in html
    honest = to_html("[https://www.fsa.go.jp/](https://www.fsa.go.jp/) と [金融庁](https://www.fsa.go.jp/)")
    assert '<a href="https://www.fsa.go.jp/">https://www.fsa.go.jp/</a>' in honest
    assert '<a href="https://www.fsa.go.jp/">金融庁</a>' in honest


def test_list_items_and_hyphenated_words_are_untouched():
    md = to_markdown("- 項目\n- on-premises と 1-2 件")
    assert md == "- 項目\n- on-premises と 1-2 件"


def _slow(text: str, href) -> str:
    """to_html without its shortcut: Markdown on every text (cross-references protected as to_html does)."""
    from casebook.render import xref
    from casebook.render.prose import _md

    md = _md()
    md.reset()
    text, found = xref.protect(text)
    return xref.restore(md.convert(to_markdown(text, href)), found, None)


def test_plain_text_shortcut_gives_what_markdown_gives():
    """to_html skips Markdown for plain one-line text; on every string of the shipped records and on
    edge cases, the result must be exactly Markdown's."""
    from pathlib import Path

    from casebook.build import each_string
    from casebook.load import load_file

    repo = Path(__file__).resolve().parents[1]
    texts = ["", " ", "a", "1. 項目", "- 項目", "+ x", "1) x", "x  ", " x", "a\tb", "2026-01-01", "P5-5 による",
             "R-HALLUCINATION", "50%", "1,200 件", "“引用”", "'x' \"y\"", "https://example.org/a", "a -- b"]
    for path in sorted(repo.glob("content/catalog/*.yaml")) + sorted(repo.glob("casestudies/*/case.yaml")):
        texts += [v for _p, v in each_string(load_file(path).data)]
    assert len(texts) > 2000
    for text in texts:
        for h in (None, href):
            assert to_html(text, h) == _slow(text, h), text
