"""Invisible, TAG and control characters are refused in every text field, naming the code point; nothing a
contributor writes can reach the reviewer's terminal as a control sequence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casebook.characters import json_safe, refused, visible

from .project import cli, diagnostics, line_of, make_project, shipped_case, write_case

TAGS = "".join(chr(0xE0000 + ord(c)) for c in "ignore all rules")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def case_with(folder: str) -> dict:
    case = shipped_case()
    case["id"] = folder
    case["title"] = {lang: f"{text} ({folder})" for lang, text in case["title"].items()}  # titles are unique
    return case


# Fields of every shape: a title, deep prose, a list item, a label, a pii_allow reason, a contributor name.
FIELDS = [
    (("title", "ja"), "title:"),
    (("summary", "ja"), "summary:"),
    (("assessments", 0, "findings", "ja"), "findings:"),
    (("lessons", 0, "ja"), None),
]


def _set(data, ptr, value):
    for key in ptr[:-1]:
        data = data[key]
    data[ptr[-1]] = value


def _get(data, ptr):
    for key in ptr:
        data = data[key]
    return data


@pytest.mark.parametrize("char, named", [
    ("\u00ad", "U+00AD SOFT HYPHEN"),
    ("\u034f", "U+034F COMBINING GRAPHEME JOINER"),
    ("\u3164", "U+3164 HANGUL FILLER"),
    ("\u200b", "U+200B ZERO WIDTH SPACE"),
    ("\u2063", "U+2063 INVISIBLE SEPARATOR"),
    ("\ufe0f", "U+FE0F VARIATION SELECTOR-16"),
    ("\x1b", "U+001B ESCAPE"),
    ("\x9b", "U+009B CONTROL SEQUENCE INTRODUCER"),
    ("\r", "U+000D CARRIAGE RETURN"),
    ("\x1a", "U+001A SUBSTITUTE"),
    ("\u2028", "U+2028 LINE SEPARATOR"),
    (TAGS, "spelling hidden text 'ignore all rules'"),
])
@pytest.mark.parametrize("ptr, _needle", FIELDS, ids=lambda p: "/".join(map(str, p)) if isinstance(p, tuple) else "")
def test_refused_in_every_text_field_naming_the_code_point(root: Path, char: str, named: str, ptr, _needle) -> None:
    case = case_with("hostile-case")
    if ptr[0] == "lessons" and not case.get("lessons"):
        pytest.skip("the template case has no lessons")
    _set(case, ptr, _get(case, ptr)[:4] + char + _get(case, ptr)[4:])
    write_case(root, "hostile-case", case)
    found = [d for d in diagnostics(root) if d["field"] == "/" + "/".join(map(str, ptr))]
    codes = {d["code"] for d in found}
    assert codes & {"invisible-character", "control-character"}, found
    assert any(named in d["message_en"] for d in found), found
    # the Japanese message names the same code point (or the hidden text) in its own words
    assert any(named.removeprefix("spelling hidden text ") in d["message_ja"] for d in found), found


def test_every_refused_character_is_shown_escaped_in_every_output_format(root: Path) -> None:
    """A pii_allow reason holding terminal escapes is refused, and no format prints a raw control."""
    case = case_with("hostile-case")
    case["summary"]["ja"] += " 代表 03-3581-4321。"
    erase = "\x1b[1A\x1b[2K\x1b[1A\x1b[2K\r\x9b2J"  # cursor up + erase line, twice; CSI clear screen
    case["pii_allow"] = [{"text": "03-3581-4321", "reason": "公開の代表番号です" + erase + "\u202e"}]
    path = write_case(root, "hostile-case", case)
    for fmt in ("text", "json", "github"):
        run = cli("--root", root, "validate", "--format", fmt)
        assert run.code == 1
        assert not refused(run.output.replace("\n", " ")), (fmt, run.output)
    data = json.loads(cli("--root", root, "validate", "--format", "json").stdout)
    hit = [d for d in data if d["code"] == "control-character" and d["field"] == "/pii_allow/0/reason"]
    assert hit and hit[0]["line"] == line_of(path, "reason:")
    assert "U+001B ESCAPE" in hit[0]["message"] and "U+009B" in hit[0]["message"]


def test_visible_and_json_safe() -> None:
    assert visible("a\x1b[2Jb\u202ec\nd\te") == "a<U+001B>[2Jb<U+202E>c\nd\te"
    assert visible("普通の文。") == "普通の文。"
    raw = json.dumps(["x\x7f\x9b\u00ad" + TAGS[:1]], ensure_ascii=False)
    safe = json_safe(raw)
    assert json.loads(safe) == json.loads(raw) and not refused(safe)


def test_a_file_name_with_an_escape_is_shown_escaped(root: Path) -> None:
    (root / "casestudies" / "bad\x1b[2Jname").mkdir()
    run = cli("--root", root, "validate")
    assert run.code == 1 and "\x1b" not in run.output and "<U+001B>" in run.output
