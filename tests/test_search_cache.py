"""Sudachi's answers kept on disk: a warm build's search index is the cold build's, with no tokenising."""

from __future__ import annotations

import copy
import json

import pytest

from casebook import search

TEXTS = [
    ("お問合せの手続",
     "お問合せは窓口で受け付けます。個人情報の漏洩を防ぐ手続を定めた。プロンプトインジェクションへの対策。"),
    ("委託先", "委託先の監督について、申込書の取扱いを確認した。"),
]


def _index() -> dict:
    return {"config": {}, "docs": [{"location": f"p{i}/", "title": t, "text": x} for i, (t, x) in enumerate(TEXTS)]}


def _fresh(monkeypatch: pytest.MonkeyPatch, folder) -> None:
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(folder))
    monkeypatch.setattr(search, "_DISK", None)
    monkeypatch.setattr(search, "_DISK_CHANGED", False)
    monkeypatch.setattr(search, "_NORMALISED", {})


def test_a_warm_cache_gives_the_same_index_without_tokenising(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    cold = search.enhance_index(_index())
    assert "問い合わせ" in cold["docs"][0]["kw"]  # Sudachi really ran
    path = search.cache_file()
    assert path is not None and path.is_file()
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored and not any("問合せ" in key for key in stored)  # digests, not record text

    _fresh(monkeypatch, tmp_path)

    def refuse():
        raise AssertionError("tokenised although every answer was on disk")

    monkeypatch.setattr(search, "_tokenizer", refuse)
    warm = search.enhance_index(_index())
    assert warm == cold


def test_no_cache_when_the_folder_is_empty_string(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", "")
    assert search.cache_file() is None
    index = search.enhance_index(_index())
    assert index["docs"][0]["kw"]
    assert not list(tmp_path.iterdir())


def test_a_damaged_cache_file_is_only_slower(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    expected = search.enhance_index(_index())
    search.cache_file().write_text("{not json", encoding="utf-8")
    _fresh(monkeypatch, tmp_path)
    assert search.enhance_index(copy.deepcopy(_index())) == expected
