"""The registry of diagnostic codes (src/casebook/messages/diagnostics.yaml): every code is complete in both
languages, is triggered by a fixture, and is the only source of what the validator says."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook import messages
from casebook.cli import main
from casebook.diagnostics import Diagnostic
from casebook.errors import Location
from test_validate import CASES, CORPUS, expectations

SRC = Path(__file__).parents[1] / "src" / "casebook"

@dataclass(frozen=True)
class Trigger:
    """A code no record file can carry (a link, a folder, a missing catalogue, a command-line argument): how
    to make a fresh copy of the fixture corpus trigger it, and what `casebook validate` must then report."""

    name: str
    code: str
    setup: Callable[[Path], object]
    args: tuple[str, ...]
    path: str
    line: int
    column: int
    ja: str  # must appear in the Japanese message or hint


def _link_catalogue(root: Path) -> None:
    target = root.parent / "glossary.yaml"
    (root / "content" / "catalog" / "glossary.yaml").rename(target)
    (root / "content" / "catalog" / "glossary.yaml").symlink_to(target)


TRIGGERS = [
    Trigger("a catalogue file that is a link", "symlink", _link_catalogue, (),
            "content/catalog/glossary.yaml", 1, 1, "ファイルそのものを置いてください"),
    Trigger("a case folder that is a link", "symlink",
            lambda r: (r / "casestudies" / "linked").symlink_to("sample-chatbot"), (),
            "casestudies/linked", 0, 0, "実際のフォルダを置いてください"),
    Trigger("a link inside a case folder", "symlink",
            lambda r: (r / "casestudies" / "sample-chatbot" / "figure.png").symlink_to("/etc/hostname"), (),
            "casestudies/sample-chatbot/figure.png", 0, 0, "ファイルをフォルダにコピーしてください"),
    Trigger("a folder named like a catalogue file", "unreadable",
            lambda r: (r / "content" / "catalog" / "extra.yaml").mkdir(), (),
            "content/catalog/extra.yaml", 1, 1, "ファイルを読めません（ファイルではなくフォルダです）"),
    Trigger("no scoring catalogue", "missing-catalog",
            lambda r: (r / "content" / "catalog" / "scoring.yaml").unlink(), (),
            "content/catalog", 0, 0, "最上位のキーが `scoring:` のファイルを置いてください"),
    Trigger("mappings but no frameworks catalogue", "missing-catalog",
            lambda r: (r / "content" / "catalog" / "frameworks.yaml").unlink(), (),
            "content/catalog/risks.yaml", 8, 5, "照合する `frameworks:` のカタログがありません"),
    Trigger("no legal-checks catalogue", "missing-catalog",
            lambda r: (r / "content" / "catalog" / "legal-checks.yaml").unlink(), (),
            "content/catalog/legal-checks.yaml", 0, 0, "法令・要配慮情報の検査ができません"),
    Trigger("a case folder name with a typo", "path-missing", lambda r: None, ("casestudies/sample-chatbo",),
            "casestudies/sample-chatbo", 0, 0, "`casestudies/sample-chatbot` のことですか？"),
    Trigger("a path that does not exist", "path-missing", lambda r: None, ("does/not/exist",),
            "does/not/exist", 0, 0, "事例のフォルダは casestudies/<ID> です"),
    Trigger("a folder that is not a case", "path-not-case", lambda r: None, ("content",),
            "content", 0, 0, "casestudies/<ID> のフォルダか、その中の case.yaml を指定してください"),
    Trigger("a case.yml file", "path-wrong-file",
            lambda r: (r / "casestudies" / "sample-chatbot" / "case.yml").write_text("id: x\n", encoding="utf-8"),
            ("casestudies/sample-chatbot/case.yml",),
            "casestudies/sample-chatbot/case.yml", 0, 0, "ファイル名を case.yaml に変えてください"),
]


def fixture_codes() -> set[str]:
    return {e.code for files in CASES.values() for dest, src in files.items() for e in expectations(dest, src)}


def test_every_code_has_a_fixture_that_triggers_it() -> None:
    covered = fixture_codes() | {t.code for t in TRIGGERS}
    missing = set(messages.registry()) - covered
    assert not missing, f"codes without a fixture in tests/fixtures/invalid or a trigger here: {sorted(missing)}"
    assert {t.code for t in TRIGGERS} <= set(messages.registry())


_JAPANESE = re.compile(r"[ぁ-んァ-ン一-龥]")


def test_every_code_is_asserted_with_its_place_and_japanese_text() -> None:
    """Every expectation states line and column; every code has one whose text is Japanese (the message or
    hint a contributor reads), so a code cannot drift into English or lose its fix unnoticed."""
    found = [(name, e) for name, files in CASES.items() for dest, src in files.items()
             for e in expectations(dest, src)]
    assert not [(name, str(e)) for name, e in found if e.col is None], "state the column: CODE@LINE:COL"
    asserted = {e.code for _name, e in found if e.text and _JAPANESE.search(e.text)}
    asserted |= {t.code for t in TRIGGERS if _JAPANESE.search(t.ja)}
    assert set(messages.registry()) <= asserted, sorted(set(messages.registry()) - asserted)


def test_yaml_problems_read_in_japanese() -> None:
    from casebook.messages import yaml_problem

    assert yaml_problem("did not find expected key") == {
        "ja": "キーがあるはずの位置に別のものがあります。字下げと、値の後ろの余分な文字を確かめてください",
        "en": "did not find expected key"}
    assert yaml_problem("something the table does not know") == "something the table does not know"


def test_every_fixture_names_a_registered_code() -> None:
    unknown = {(name, e.code) for name, files in CASES.items() for dest, src in files.items()
               for e in expectations(dest, src) if e.code not in messages.registry()}
    assert not unknown, f"fixtures expect codes the registry does not have: {sorted(unknown)}"


def test_a_fixture_header_with_an_unknown_code_is_caught(tmp_path: Path) -> None:
    bad = tmp_path / "x.yaml"
    bad.write_text("# expect: no-such-code@3\nid: x\n", encoding="utf-8")
    (found,) = expectations("casestudies/x/case.yaml", bad)
    assert found.code not in messages.registry()


@pytest.mark.parametrize("trigger", TRIGGERS, ids=lambda t: t.name)
def test_triggered_through_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, trigger: Trigger) -> None:
    """The real `casebook validate` on a copy of the fixture corpus: the code, its place and its Japanese
    text (machine output keeps both languages)."""
    root = tmp_path / "project"
    shutil.copytree(CORPUS, root)
    trigger.setup(root)
    monkeypatch.chdir(root)
    status = main(["validate", "--format", "json", *trigger.args])
    found = json.loads(capsys.readouterr().out)
    hits = [d for d in found if d["code"] == trigger.code and d["path"] == trigger.path]
    assert hits, found
    (hit,) = hits
    assert (hit["line"], hit["column"]) == (trigger.line, trigger.column)
    assert trigger.ja in hit["message_ja"] + hit["hint_ja"], hit
    assert hit["message_en"] and hit["message"] == hit["message_ja"]
    assert status == (2 if trigger.code.startswith("path-") else 0 if hit["severity"] != "error" else 1)


def _keywords(node: object) -> set[str]:
    """The keywords a JSON schema uses (property names and definitions are not keywords)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "$defs", "patternProperties"):
                for sub in value.values():
                    found |= _keywords(sub)
                continue
            found.add(key)
            if isinstance(value, dict):
                found |= _keywords(value)
            elif isinstance(value, list):
                for sub in value:
                    found |= _keywords(sub)
    return found


def test_every_schema_keyword_has_a_diagnostic_code() -> None:
    """The validator has no generic "schema" message: each keyword that can fail has its own code, so a
    new keyword in a shipped schema must be given one (the reporter refuses to guess)."""
    import json

    from jsonschema.validators import Draft202012Validator

    from casebook.schema import REPORTED

    not_failing = {"$ref", "items", "additionalProperties", "prefixItems", "allOf", "contains", "not", "if",
                   "then", "else", "dependentSchemas", "propertyNames", "unevaluatedItems", "unevaluatedProperties"}
    used = set().union(*(_keywords(json.loads(p.read_text(encoding="utf-8")))
                         for p in (SRC / "schemas").glob("*.schema.json")))
    failing = (used & set(Draft202012Validator.VALIDATORS)) - not_failing
    assert {"enum", "pattern", "required", "type", "minItems"} <= failing, "the walk no longer sees the keywords"
    assert failing <= REPORTED, sorted(failing - REPORTED)


def test_a_keyword_without_a_code_is_refused_not_guessed() -> None:
    from casebook import schema as schema_module
    from casebook.load import Document, load_text

    doc = load_text("x: 1\n", Document(Path("t.yaml")))
    err = next(schema_module._Validator({"type": "object", "properties": {"x": {"const": 2}}}).iter_errors(doc.data))
    with pytest.raises(ValueError, match="`const` has no diagnostic code"):
        schema_module._report(doc, err, set(), set())


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
    ({"CASEBOOK_LANG": "en", "LC_ALL": "ja_JP.UTF-8"}, "en"), ({"CASEBOOK_LANG": "xx", "LANG": "en_US"}, "en"),
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
