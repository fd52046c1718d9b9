"""The glossary's 五十音 index: terms grouped by the row of their reading, with links to each row."""

from __future__ import annotations

import re
from pathlib import Path

from casebook import site
from casebook.model import GlossaryTerm, Text
from casebook.site.kana import first_kana, kana_rows, row_of
from casebook.validate import validate

REPO = Path(__file__).resolve().parents[2]


def _term(tid: str, term: str, reading: str | None = None) -> GlossaryTerm:
    return GlossaryTerm(id=tid, term=Text(term), definition=Text("定義。"), reading=reading)


def test_rows_follow_the_reading():
    assert first_kana("ガードレール") == "が"
    assert row_of("がーどれーる") == ("か行", "kana-ka")
    assert row_of("じょうほう") == ("さ行", "kana-sa")
    assert row_of("RAG") == ("英数字・その他", "kana-other")
    rows = kana_rows([_term("a", "安全管理措置", "あんぜんかんりそち"), _term("b", "RAG"),
                      _term("c", "委託先", "いたくさき"), _term("d", "マスキング", "ますきんぐ")])
    assert [(label, [t.id for t in terms]) for label, _a, terms in rows] == [
        ("あ行", ["a", "c"]), ("ま行", ["d"]), ("英数字・その他", ["b"])]


def test_shipped_glossary_page_has_an_index_and_every_term_once():
    corpus = validate(REPO).corpus
    page = next(p for p in site.render_pages(corpus) if p.path == "glossary/index.md")
    text = page.resolved()
    index = text[text.index('<nav class="cb-kana-index"'):text.index("</nav>")]
    rows = re.findall(r"^## (\S+行|英数字・その他) \{#(kana-[a-z]+)\}", text, re.M)
    assert len(rows) >= 8 and rows[0][0] == "あ行"
    assert all(f"(#{anchor})" in index for _label, anchor in rows)
    terms = re.findall(r"^### .* \{#([A-Za-z0-9-]+)\}$", text, re.M)
    assert sorted(terms) == sorted(g.id for g in corpus.glossary)


def test_katakana_terms_sort_among_the_readings():
    from casebook.site.kana import sort_key

    words = ["おんど", "エージェント", "いたく", "カナリア", "かじょう"]
    assert sorted(words, key=sort_key) == ["いたく", "エージェント", "おんど", "かじょう", "カナリア"]
