"""render/prose.py: record prose becomes inert, safe Markdown/HTML with only the allowed subset live."""

from __future__ import annotations

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


def test_headings_and_collapsible_boxes_cannot_be_written_in_prose():
    text = '要約。\n\n??? danger "偽の枠"\n    中身\n\n# 偽の見出し\n\n偽\n===\n\n別\n---\n\n## 二'
    md = to_markdown(text)
    html = to_html(text)
    assert "<h1" not in html and "<h2" not in html and "<details" not in html
    for line in md.splitlines():
        assert not line.startswith(("#", "???", "===", "---")), line
    assert "# 偽の見出し" in html and "?? danger" in html  # still shown, as text


def test_list_items_and_hyphenated_words_are_untouched():
    md = to_markdown("- 項目\n- on-premises と 1-2 件")
    assert md == "- 項目\n- on-premises と 1-2 件"
