"""Readers' search words (content/catalog/aliases.yaml): validated like any record, placed in the index."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from casebook.search import WORDS_FIELD, article_forms, enhance_index, record_words
from casebook.validate import validate
from projects import fixture_copy as make_project

TODAY = dt.date(2026, 11, 1)
ROOT = Path(__file__).resolve().parents[1]


def _with_aliases(tmp_path: Path, body: str) -> Path:
    root = make_project(tmp_path)
    (root / "content/catalog/aliases.yaml").write_text(body, encoding="utf-8")
    return root


def test_words_reach_the_corpus(tmp_path: Path) -> None:
    root = _with_aliases(tmp_path, "aliases:\n  - id: R-HALLUCINATION\n    words: [誤回答, 嘘の回答, 誤回答]\n"
                                   "  - id: APPI\n    words: [個情法]\n")
    result = validate(root, today=TODAY)
    assert result.ok, [d.text(root) for d in result.report.errors]
    assert result.corpus.aliases == {"R-HALLUCINATION": ("誤回答", "嘘の回答"), "APPI": ("個情法",)}


def test_unknown_id_is_an_error_with_a_guess(tmp_path: Path) -> None:
    root = _with_aliases(tmp_path, "aliases:\n  - id: R-HALUCINATION\n    words: [誤回答]\n")
    errors = validate(root, today=TODAY).report.errors
    assert [(d.code, d.field, d.location.line) for d in errors] == [("dangling-ref", "/aliases/0/id", 2)]
    assert "R-HALLUCINATION" in errors[0].hint and errors[0].location.path.name == "aliases.yaml"


def test_second_entry_for_one_record_is_an_error(tmp_path: Path) -> None:
    root = _with_aliases(tmp_path, "aliases:\n  - id: R-HALLUCINATION\n    words: [誤回答]\n"
                                   "  - id: R-HALLUCINATION\n    words: [嘘]\n")
    errors = validate(root, today=TODAY).report.errors
    assert [(d.code, d.field) for d in errors] == [("duplicate-id", "/aliases/1/id")]
    assert "aliases.yaml:2" in errors[0].message


def test_bad_entries_are_schema_errors(tmp_path: Path) -> None:
    root = _with_aliases(tmp_path, 'aliases:\n  - id: R-HALLUCINATION\n    words: [""]\n'
                                   "  - id: APPI\n    words: []\n    extra: 1\n")
    errors = validate(root, today=TODAY).report.errors
    got = sorted((d.field, d.code) for d in errors)
    assert got == [("/aliases/0/words/0", "length"), ("/aliases/1/extra", "unknown-field"),
                   ("/aliases/1/words", "count")], [d.text(root) for d in errors]


def test_a_word_is_one_line(tmp_path: Path) -> None:
    root = _with_aliases(tmp_path, 'aliases:\n  - id: R-HALLUCINATION\n    words: [誤回答, "嘘の\\n回答"]\n')
    errors = validate(root, today=TODAY).report.errors
    assert [(d.field, d.code, d.location.line) for d in errors] == [("/aliases/0/words/1", "alias-word", 3)]


def test_article_forms() -> None:
    assert article_forms("第27条") == ["第27条", "27条"]
    assert article_forms("第12条の2") == ["第12条の2", "12条の2"]
    assert article_forms("II-3-1") == ["II-3-1"]


def test_record_words_place_words_and_law_article_pairs(tmp_path: Path) -> None:
    root = _with_aliases(tmp_path, "aliases:\n  - id: R-HALLUCINATION\n    words: [誤回答]\n"
                                   "  - id: APPI\n    words: [個情法]\n")
    corpus = validate(root, today=TODAY).corpus
    words = record_words(corpus)
    assert words["risks/R-HALLUCINATION/"] == ["誤回答"]
    assert words["regulations/APPI/"] == ["個情法"]
    appi27 = words["regulations/APPI/#APPI-27"]
    assert {"個人情報保護法第27条", "個人情報保護法27条", "個情法第27条", "個情法27条"} <= set(appi27)
    assert record_words(corpus, directory_urls=False)["risks/R-HALLUCINATION.html"] == ["誤回答"]


def test_enhance_index_adds_the_words_as_a_hidden_field() -> None:
    index = {"config": {"fields": {"title": {"boost": 1000}, "text": {"boost": 1}}},
             "docs": [{"location": "risks/R-X/", "title": "X", "text": "本文"},
                      {"location": "risks/", "title": "リスク", "text": "一覧"}]}
    enhance_index(index, {"risks/R-X/": ["誤回答", "嘘の回答"]})
    assert WORDS_FIELD in index["config"]["fields"]
    assert index["docs"][0][WORDS_FIELD] == "誤回答\n嘘の回答"
    assert WORDS_FIELD not in index["docs"][1]


def test_shipped_aliases_name_records_that_exist() -> None:
    result = validate(ROOT)
    assert result.ok
    assert len(result.corpus.aliases) >= 50
    assert "マネーロンダリング" in result.corpus.aliases["R-FINANCIAL-CRIME"]


def test_glossary_heading_names() -> None:
    from casebook.search import term_names

    assert term_names("ジェイルブレイク（脱獄）") == ["ジェイルブレイク", "脱獄"]
    assert term_names("温度（temperature）") == ["温度", "temperature"]
    assert term_names("生成AI") == ["生成AI"]


def test_synonyms_reach_the_query_data(tmp_path: Path) -> None:
    """synonyms.yaml groups and endings, glossary names and law names all reach the ranker's data."""
    from casebook.search import query_config

    root = _with_aliases(tmp_path, "aliases:\n  - id: APPI\n    words: [個情法]\n")
    (root / "content/catalog/synonyms.yaml").write_text(
        "synonyms:\n  - words: [テスト, 試験]\n  - role: definition\n    words: [とは]\n", encoding="utf-8")
    result = validate(root, today=TODAY)
    assert result.ok, [d.text(root) for d in result.report.errors]
    config = query_config(result.corpus)
    assert ["テスト", "試験"] in config["synonyms"]
    assert config["definition"] == ["とは"] and config["question"] == []
    appi = result.corpus.instruments["APPI"]
    assert any(appi.name.ja in g and "個情法" in g for g in config["synonyms"])
    index = enhance_index({"config": {}, "docs": []}, {}, config)
    assert index["config"]["casebook"]["definition"] == ["とは"]
