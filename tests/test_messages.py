"""The registry of diagnostic codes (src/casebook/messages/diagnostics.yaml): every code is complete in both
languages, is triggered by a fixture, and is the only source of what the validator says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook import messages
from casebook.cli import main
from casebook.diagnostics import Diagnostic
from casebook.errors import Location
from test_validate import CASES, CORPUS, expectations

SRC = Path(__file__).parents[1] / "src" / "casebook"

# Codes that come from the command line, not from a record: the argument that triggers each (run below).
CLI_TRIGGERS = {
    "path-missing": ["casestudies/sample-chatbo"],
    "path-not-case": ["content"],
    "path-wrong-file": ["casestudies/sample-chatbot/case.yml"],
}

# Codes no shipped schema or record can reach, each with the test that triggers it instead.
NO_FIXTURE = {
    "schema": "test_schema_fallback_names_the_keyword_message",
    "report-layout": "tests/report/test_structure.py::test_layout_names_what_cannot_be_used",
    "unknown-insert": "tests/report/test_structure.py::test_an_unknown_insert_is_named_with_its_line",
}

# Registered codes whose fixture is still to be written (issue 15). The test below fails when one of them
# gets a fixture and is not removed from here, so this list can only shrink.
AWAITING_FIXTURE: set[str] = {"missing-catalog", "symlink", "unreadable"}


def fixture_codes() -> set[str]:
    return {e.code for files in CASES.values() for dest, src in files.items() for e in expectations(dest, src)}


def test_every_code_has_a_fixture_that_triggers_it() -> None:
    covered = fixture_codes() | set(CLI_TRIGGERS) | set(NO_FIXTURE)
    missing = set(messages.registry()) - covered - AWAITING_FIXTURE
    assert not missing, f"codes without a fixture in tests/fixtures/invalid: {sorted(missing)}"
    stale = AWAITING_FIXTURE & covered
    assert not stale, f"remove from AWAITING_FIXTURE, they have fixtures now: {sorted(stale)}"


def test_every_fixture_names_a_registered_code() -> None:
    unknown = {(name, e.code) for name, files in CASES.items() for dest, src in files.items()
               for e in expectations(dest, src) if e.code not in messages.registry()}
    assert not unknown, f"fixtures expect codes the registry does not have: {sorted(unknown)}"


def test_a_fixture_header_with_an_unknown_code_is_caught(tmp_path: Path) -> None:
    bad = tmp_path / "x.yaml"
    bad.write_text("# expect: no-such-code@3\nid: x\n", encoding="utf-8")
    (found,) = expectations("casestudies/x/case.yaml", bad)
    assert found.code not in messages.registry()


@pytest.mark.parametrize("code", sorted(CLI_TRIGGERS))
def test_command_line_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            code: str) -> None:
    import shutil

    root = tmp_path / "project"
    shutil.copytree(CORPUS, root)
    (root / "casestudies" / "sample-chatbot" / "case.yml").write_text("id: x\n", encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["validate", *CLI_TRIGGERS[code]]) == 2
    assert f"error[{code}]" in capsys.readouterr().out


def test_schema_fallback_names_the_keyword_message() -> None:
    from casebook import schema as schema_module
    from casebook.load import Document, load_text

    doc = load_text("x: 1\n", Document(Path("t.yaml")))
    err = next(schema_module._Validator({"type": "object", "properties": {"x": {"const": 2}}}).iter_errors(doc.data))
    schema_module._report(doc, err, set(), set())
    (d,) = doc.diagnostics
    assert d.code == "schema" and d.message == "記録の形が違います（2 was expected）"


# -- the registry's own consistency ---------------------------------------------------------------------


def _templates(entry: messages.Code) -> list[tuple[str, dict[str, str]]]:
    out: list[tuple[str, dict[str, str]]] = [("message", entry.message)]
    if entry.hint:
        out.append(("hint", entry.hint))
    for name, v in entry.variants.items():
        out.append((f"{name}.message", v.message))
        if v.hint:
            out.append((f"{name}.hint", v.hint))
    return out


@pytest.mark.parametrize("code", sorted(messages.registry()))
def test_code_is_complete_in_both_languages(code: str) -> None:
    entry = messages.registry()[code]
    assert entry.group in messages.groups(), entry.group
    assert entry.severity in ("error", "warning", "note")
    for where, texts in _templates(entry):
        assert set(texts) == set(messages.LANGUAGES), (where, texts)
        assert all(t.strip() for t in texts.values()), where
        # both languages use the same parameters: a value shown in one is never lost in the other
        assert messages.placeholders(texts["ja"]) == messages.placeholders(texts["en"]), where
        assert re.search(r"[ぁ-んァ-ン一-龥]", texts["ja"]) or where.endswith("hint"), (where, texts["ja"])


def test_hints_never_send_contributors_into_the_catalogue() -> None:
    """CONTRIBUTING forbids case contributors to edit content/catalog/: only editors' codes may name it."""
    for code, entry in messages.registry().items():
        if entry.group == "catalog":
            continue
        for where, texts in _templates(entry):
            if where.startswith("catalog."):
                continue  # dangling-ref in a catalogue file, which only editors touch
            assert "content/catalog" not in texts["ja"] + texts["en"], (code, where)


def _second_argument_literals(source: str) -> set[str]:
    """The string literal given as second argument of every `.error(` / `Diagnostic(` call."""
    found = set()
    for m in re.finditer(r"(?:\.error|\bDiagnostic)\(", source):
        depth, i = 0, m.end()
        while i < len(source):  # skip the first argument (a pointer or a Location, possibly nested)
            c = source[i]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif c == "," and depth == 0:
                literal = re.match(r'\s*"([a-z0-9-]+)"', source[i + 1:])
                if literal:
                    found.add(literal[1])
                break
            i += 1
    return found


def test_every_code_the_source_names_is_registered() -> None:
    """Static check of src/: a code written in `doc.error(...)` / `Diagnostic(...)` must be in the registry."""
    found = set().union(*(_second_argument_literals(p.read_text(encoding="utf-8")) for p in SRC.rglob("*.py")))
    assert len(found) > 40, "the scan no longer finds the emitting calls"
    assert found <= set(messages.registry()), sorted(found - set(messages.registry()))


def test_unregistered_code_or_variant_fails_where_it_is_written() -> None:
    with pytest.raises(KeyError, match="unregistered"):
        Diagnostic(Location(Path("x")), "no-such-code")
    with pytest.raises(KeyError, match="no variant"):
        Diagnostic(Location(Path("x")), "enum", {"value": "v", "allowed": "a"}, variant="no-such-variant")


def test_registry_is_read_once() -> None:
    assert messages.registry() is messages.registry()


@pytest.mark.parametrize("env, lang", [
    ({}, "ja"), ({"LANG": "C.UTF-8"}, "ja"), ({"LANG": "ja_JP.UTF-8"}, "ja"), ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "ja_JP.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"), ({"LANG": "en_US.UTF-8", "LC_ALL": "C"}, "ja"),
    ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "ja_JP.UTF-8"}, "en"),
])
def test_language_follows_the_locale(env: dict[str, str], lang: str) -> None:
    assert messages.language(None, env) == lang
    assert messages.language("ja", env) == "ja"


def test_a_diagnostic_in_both_languages() -> None:
    d = Diagnostic(Location(Path("casestudies/x/case.yaml"), 3, 9), "missing-field",
                   {"name": "region", "description": {"ja": "地域ブロック。", "en": "Region."}})
    assert d.text(lang="ja") == ("casestudies/x/case.yaml:3:9: error[missing-field]: 必須の項目 `region` がありません"
                                 "\n  ヒント: `region:` を書いてください（地域ブロック。）")
    assert d.text(lang="en") == ("casestudies/x/case.yaml:3:9: error[missing-field]: missing required field "
                                 "`region`\n  hint: add `region:` — Region.")


# -- the contributors' page 「検査メッセージ一覧」 -----------------------------------------------------------


def test_the_site_lists_every_code_with_both_texts() -> None:
    from casebook import site
    from casebook.site.links import MESSAGES
    from casebook.validate import validate

    corpus = validate(CORPUS).corpus
    assert corpus is not None
    page = next(p for p in site.render_pages(corpus) if p.path == MESSAGES).resolved()
    assert page.startswith("# 検査メッセージ一覧")
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    listed = {re.match(r"\| `([a-z0-9-]+)`", row)[1] for row in rows}
    assert listed == set(messages.registry())
    enum = next(row for row in rows if row.startswith("| `enum`<br>（label）"))
    assert "表示名ではなくコード" in enum and "not the label" in enum
    for title in ("日本語入力で起きやすい誤り", "個人情報", "コマンドの指定"):
        assert f"## {title}" in page
