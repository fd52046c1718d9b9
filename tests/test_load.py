"""The safe positional loader: what it refuses, where it says so, and what it keeps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casebook.load import MAX_DEPTH, Document, load_bytes, load_file, load_text
from casebook.messages import render

P = Path("t.yaml")


def load(text: str) -> Document:
    return load_text(text, Document(P))


def codes(doc: Document) -> list[tuple[str, int, int]]:
    return [(d.code, d.location.line, d.location.column) for d in doc.diagnostics]


# -- what is kept -------------------------------------------------------------------------------------


def at(doc: Document, *ptr: str | int, key: bool = False) -> tuple[int, int]:
    loc = doc.location(ptr, key=key)
    return loc.line, loc.column


def test_positions_of_values_and_keys() -> None:
    doc = load("id: a\nbody:\n  items:\n    - {k: v}\n    - plain\n")
    assert doc.diagnostics == []
    assert doc.data == {"id": "a", "body": {"items": [{"k": "v"}, "plain"]}}
    assert at(doc, "id") == (1, 5)
    assert at(doc, "id", key=True) == (1, 1)
    assert at(doc, "body", "items", 0) == (4, 7)
    assert at(doc, "body", "items", 0, "k") == (4, 11)
    assert at(doc, "body", "items", 0, "k", key=True) == (4, 8)
    assert at(doc, "body", "items", 1) == (5, 7)
    # unknown pointers fall back to the closest parent
    assert at(doc, "body", "items", 0, "missing", 3) == (4, 7)
    assert at(doc, "body", "items", 9) == (4, 5)  # the sequence itself starts at its first dash
    assert at(doc) == (1, 1)


def test_position_of_a_key_found_after_nfc() -> None:
    doc = load("a: 1\nか\u3099: 2\n")
    assert at(doc, "が", key=True) == (2, 1)
    assert at(doc, "が") == (2, 5)


def test_columns_count_characters_not_bytes() -> None:
    doc = load("名前: {ja: 値}\n")
    assert at(doc, "名前", "ja") == (1, 10)


def test_scalars_keep_their_types_and_dates_stay_text() -> None:
    doc = load("a: 3\nb: 0.5\nc: true\nd: ~\ne: 2026-04-01\nf: '3'\ng: -7\nh: 2026-04-01T10:00:00\n")
    assert doc.data == {"a": 3, "b": 0.5, "c": True, "d": None, "e": "2026-04-01", "f": "3", "g": -7,
                        "h": "2026-04-01T10:00:00"}
    assert doc.diagnostics == [] and doc.traps == {}


def test_text_is_normalised_to_nfc() -> None:
    decomposed = "か\u3099いしゃ"  # が written as か + combining voiced mark
    doc = load(f"name: {decomposed}\n{decomposed}: x\n")
    assert doc.data == {"name": "がいしゃ", "がいしゃ": "x"}


def test_byte_order_mark_is_ignored() -> None:
    doc = load_bytes("\ufeffid: a\n".encode(), Document(P))
    assert doc.data == {"id": "a"} and doc.diagnostics == []
    assert at(doc, "id") == (1, 5)


# -- what is refused ----------------------------------------------------------------------------------


def test_duplicate_key_keeps_the_first_and_says_where() -> None:
    doc = load("id: a\nx:\n  k: 1\n  j: 2\n  k: 3\n")
    assert codes(doc) == [("duplicate-key", 5, 3)]
    assert doc.data["x"] == {"k": 1, "j": 2}
    assert doc.diagnostics[0].message == "キー `k` が重複しています（最初は 3 行目）"
    assert doc.diagnostics[0].field == "/x/k"


def test_keys_equal_after_nfc_are_duplicates() -> None:
    doc = load("が: 1\nか\u3099: 2\n")
    assert codes(doc) == [("duplicate-key", 2, 1)]


def test_anchor_and_alias() -> None:
    doc = load("a: &x {k: v}\nb: *x\nc: [*x]\n")
    got = codes(doc)
    assert ("anchor", 1, 4) in got
    assert ("alias", 2, 1) in got  # at the key that used it
    assert [c for c, _, _ in got].count("alias") == 2
    assert doc.data["b"] is None and doc.data["c"] == [None]
    assert doc.data["a"] == {"k": "v"}


def test_anchor_on_a_scalar_without_alias() -> None:
    assert codes(load("a: &only text\n")) == [("anchor", 1, 4)]


def test_merge_key_is_refused() -> None:
    doc = load("a:\n  <<: {k: v}\n  j: 1\n")
    assert codes(doc) == [("alias", 2, 3)]
    assert doc.data == {"a": {"j": 1}}


@pytest.mark.parametrize("text, where", [
    ("a: !!python/object:os.system {k: v}\n", (1, 4)),
    ("a: !!python/object/apply:os.system [ls]\n", (1, 4)),
    ("a: !custom x\n", (1, 4)),
    ("a: !!binary aGVsbG8=\n", (1, 4)),
    ("a: !!set {x}\n", (1, 4)),
    ("- !!omap [a: 1]\n", (1, 3)),
])
def test_custom_tags_are_refused(text: str, where: tuple[int, int]) -> None:
    doc = load(text)
    assert [(c, line, col) for c, line, col in codes(doc)] == [("yaml-tag", *where)]


def test_standard_explicit_tags_are_allowed() -> None:
    doc = load("a: !!str 3\nb: !!int '4'\n")
    assert doc.data == {"a": "3", "b": 4} and doc.diagnostics == []


def test_non_scalar_key() -> None:
    doc = load("? [a, b]\n: 1\nc: 2\n")
    assert codes(doc) == [("yaml-key", 1, 3)]
    assert doc.data == {"c": 2}


def test_multiple_documents_reports_the_second() -> None:
    doc = load("a: 1\n---\nb: 2\n")
    assert codes(doc) == [("multiple-documents", 3, 1)]
    assert doc.data == {"a": 1}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "~\n", "null\n", "--- ~\n...\n"])
def test_empty_or_null_file(text: str) -> None:
    doc = load(text)
    assert [c for c, _, _ in codes(doc)] == ["empty-file"]
    assert doc.data is None


def test_yaml_syntax_error_has_a_place() -> None:
    doc = load("a: [1, 2\nb: 3\n")
    (d,) = doc.diagnostics
    assert d.code == "yaml-syntax" and d.location.line == 2 and d.hint
    doc = load("a: 'unclosed\n")
    assert [c for c, _, _ in codes(doc)] == ["yaml-syntax"]
    doc = load("a: 1\n b: 2\n")
    assert [c for c, line, _ in codes(doc)] == ["yaml-syntax"]


def test_invalid_utf8_is_located() -> None:
    raw = "id: a\nname: 漢字".encode() + b"\xff\xfe" + b"\n"
    doc = load_bytes(raw, Document(P))
    assert codes(doc) == [("encoding", 2, 9)]
    assert "0xff" in doc.diagnostics[0].message
    assert doc.data is None


def test_shift_jis_file_is_refused() -> None:
    doc = load_bytes("名前: 山田\n".encode("shift_jis"), Document(P))
    assert codes(doc) == [("encoding", 1, 1)]


def test_nul_character_is_located() -> None:
    doc = load("id: a\nname: ab\x00c\n")
    assert codes(doc) == [("encoding", 2, 9)]


@pytest.mark.parametrize("char", ["\x01", "\x07", "\x1b", "\x7f", "\x9f", "\ufffe"])
def test_control_characters_are_located(char: str) -> None:
    doc = load(f"id: a\nname: 日本{char}\n")
    assert codes(doc) == [("yaml-syntax", 2, 9)]
    assert f"U+{ord(char):04X}" in doc.diagnostics[0].message


def test_flow_nesting_limit_is_checked_before_parsing() -> None:
    ok = load("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert ok.diagnostics == []
    # beyond MAX_DEPTH the walker reports the place where nesting gets too deep
    doc = load("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n")
    assert [(c, line) for c, line, _ in codes(doc)] == [("too-deep", 1)]
    # a bracket bomb is refused before the parser sees it
    hostile = load("[" * 200_000)
    assert [c for c, _, _ in codes(hostile)] == ["too-deep"] and hostile.data is None
    # brackets inside quoted text are not nesting
    text = load('a: "' + "[" * 60 + '"\n')
    assert text.diagnostics == [] and text.data == {"a": "[" * 60}


def test_block_nesting_limit() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "x\n"
    doc = load(text)
    assert [c for c, _, _ in codes(doc)] == ["too-deep"]
    (d,) = doc.diagnostics
    # reported at the value that is too deep: the mapping under k40, which starts on the next line
    assert (d.location.line, d.location.column) == (MAX_DEPTH + 2, 2 * (MAX_DEPTH + 1) + 1)
    assert d.field.endswith(f"/k{MAX_DEPTH}")


def test_pathological_block_nesting_does_not_crash() -> None:
    doc = load("- " * 100_000 + "x\n")
    assert [c for c, _, _ in codes(doc)] in (["yaml-syntax"], ["too-deep"])


# -- YAML 1.1 traps -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, value, kind", [
    ("no", False, "bool"), ("on", True, "bool"), ("Yes", True, "bool"), ("OFF", False, "bool"),
    ("y", "y", None), ("n", "n", None),  # PyYAML reads these as text; no trap
    ("12:30", 750, "number"), ("1:20:30", 4830, "number"), ("0755", 493, "number"), ("-012", -10, "number"),
    ("1e3", "1e3", "text"), ("2E-5", "2E-5", "text"), ("1.5e3", "1.5e3", "text"), (".inf", float("inf"), "number"),
    ("1:30.5", 90.5, "number"),
    ("true", True, None), ("false", False, None), ("1000", 1000, None), ("0", 0, None), ("0.5", 0.5, None),
    ("1.0e+3", 1000.0, None),
])
def test_yaml11_traps(raw: str, value: object, kind: str | None) -> None:
    doc = load(f"v: {raw}\n")
    assert doc.diagnostics == []  # traps are judged by the schema, which knows the expected type
    assert doc.data == {"v": value}
    trap = doc.traps.get(("v",))
    assert (trap.kind if trap else None) == kind
    if trap:
        assert trap.raw == raw and "引用符で囲" in render("yaml11-trap", trap.params, "ja", trap.why)[1]


@pytest.mark.parametrize("raw", ['"no"', "'12:30'", '"0755"', "'1e3'"])
def test_quoted_values_are_text_without_trap(raw: str) -> None:
    doc = load(f"v: {raw}\n")
    assert doc.data == {"v": raw[1:-1]} and doc.traps == {}


def test_nan_is_a_trap() -> None:
    doc = load("v: .nan\n")
    assert doc.traps[("v",)].kind == "number"


# -- files ----------------------------------------------------------------------------------------------


def test_load_file_reads_utf8(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("id: あ\n", encoding="utf-8")
    doc = load_file(f)
    assert doc.data == {"id": "あ"} and doc.path == f


def test_file_size_bound(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("id: a\n" + "# pad\n" * 20, encoding="utf-8")
    size = f.stat().st_size
    assert load_file(f, max_bytes=size).diagnostics == []
    doc = load_file(f, max_bytes=size - 1)
    assert codes(doc) == [("file-too-large", 1, 1)] and doc.data is None
    assert f"{size:,}" in doc.diagnostics[0].message


def test_default_size_bound_is_one_megabyte(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_bytes(b"a: 1\n" + b"#" * 1_000_000)
    assert [c for c, _, _ in codes(load_file(f))] == ["file-too-large"]


def test_symlink_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("a: 1\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert [c for c, _, _ in codes(load_file(link))] == ["symlink"]


def test_unreadable_path_gives_a_diagnostic(tmp_path: Path) -> None:
    assert [c for c, _, _ in codes(load_file(tmp_path / "missing.yaml"))] == ["unreadable"]
    assert [c for c, _, _ in codes(load_file(tmp_path))] == ["unreadable"]  # a directory


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of their mode")
def test_permission_denied(tmp_path: Path) -> None:
    f = tmp_path / "secret.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    f.chmod(0)
    assert [c for c, _, _ in codes(load_file(f))] == ["unreadable"]
