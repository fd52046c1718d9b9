"""JSON Schemas and the diagnostics schema.check() turns their failures into."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from casebook import schema
from casebook.load import Document, load_file, load_text
from casebook.schemas import CATALOG_KINDS, all_schemas
from projects import CORPUS

CASE = (CORPUS / "casestudies" / "sample-chatbot" / "case.yaml").read_text(encoding="utf-8")


def check(text: str, stem: str = "casestudy") -> Document:
    doc = load_text(text, Document(Path("case.yaml")))
    assert doc.data is not None, doc.diagnostics
    schema.check(doc, stem)
    return doc


def case(*subs: tuple[str, str]) -> Document:
    text = CASE
    for old, new in subs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return check(text)


def diags(doc: Document) -> list[tuple[str, int, int, str]]:
    return [(d.code, d.location.line, d.location.column, d.field) for d in doc.diagnostics]


# -- the schemas themselves -----------------------------------------------------------------------------


def _walk(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}/{i}")


@pytest.mark.parametrize("name", sorted(all_schemas()))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    body = all_schemas()[name]
    assert body["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(body)


@pytest.mark.parametrize("name", sorted(all_schemas()))
def test_every_object_is_closed_and_every_property_described_in_two_languages(name: str) -> None:
    for path, node in _walk(all_schemas()[name]):
        if "properties" not in node:
            continue
        assert node.get("additionalProperties") is False, f"{name}{path}"
        for key, prop in node["properties"].items():
            desc = prop.get("description", "")
            ja, _, en = desc.partition("\n")
            assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", ja), f"{name}{path}/{key}: no Japanese"
            assert re.search(r"[A-Za-z]{3}", en), f"{name}{path}/{key}: no English"


@pytest.mark.parametrize("path", sorted((CORPUS / "content" / "catalog").glob("*.yaml")), ids=lambda p: p.name)
def test_fixture_catalogues_pass_their_schema(path: Path) -> None:
    doc = load_file(path)
    (kind,) = doc.data
    schema.check(doc, CATALOG_KINDS[kind])
    assert doc.diagnostics == []


def test_fixture_case_passes() -> None:
    assert check(CASE).diagnostics == []


# -- diagnostics ----------------------------------------------------------------------------------------


def test_unknown_field_suggests_the_closest_name() -> None:
    doc = case(("use_level: 3", "use_levl: 3\nuse_level: 3"))
    assert diags(doc) == [("unknown-field", 7, 1, "/use_levl")]
    assert doc.diagnostics[0].hint == "`use_level` のことですか？"


def test_unknown_field_without_a_close_name_lists_the_allowed_ones() -> None:
    doc = case(("use_level: 3", "use_level: 3\nzzz: 1"))
    (d,) = doc.diagnostics
    assert d.code == "unknown-field" and d.hint.startswith("書ける項目: assessments, channels")


def test_unknown_field_inside_a_list_item() -> None:
    doc = case(("{id: M-PII-MASKING, status: partial}", "{id: M-PII-MASKING, status: partial, notes: x}"))
    assert diags(doc) == [("unknown-field", 39, 46, "/assessments/1/mitigations/0/notes")]
    assert doc.diagnostics[0].hint == "`note` のことですか？"


def test_each_missing_field_is_reported_once() -> None:
    doc = check("id: only-an-id\n")
    missing = [d.message for d in doc.diagnostics if d.code == "missing-field"]
    assert len(missing) == len(set(missing)) == 13
    assert all(d.location.line == 1 and d.location.column == 1 for d in doc.diagnostics)
    assert "必須の項目 `title` がありません" in missing


def test_missing_field_hint_quotes_the_description() -> None:
    doc = case(("    findings: {ja: マスキングの検出漏れが残る。}\n", ""))
    (d,) = doc.diagnostics
    assert (d.code, d.location.line, d.location.column) == ("missing-field", 35, 5)
    assert d.hint.startswith("`findings:` を書いてください（") and "評価" in d.hint
    assert d.hint_en.startswith("add `findings:` — ")  # the English half of the schema's description


def test_plain_string_for_text_gets_the_mapping_hint() -> None:
    doc = case(("service: {ja: 商品や手続の問合せに回答する。}", "service: 商品や手続の問合せに回答する。"))
    (d,) = doc.diagnostics
    assert (d.code, d.location.line, d.location.column) == ("type", 9, 10)
    assert d.message.startswith("ここには対応表（mapping）を書きます（`商品や") and d.message.endswith("は文字列です）")
    assert d.hint.startswith("文章は `{ja: \"…\"}` の形で")


def test_wrong_scalar_type() -> None:
    doc = case(("use_level: 3", 'use_level: "3"'))
    assert diags(doc) == [("type", 7, 12, "/use_level")]
    assert doc.diagnostics[0].message == "ここには整数を書きます（`3` は文字列です）"


def test_enum_lists_allowed_values_and_suggests() -> None:
    doc = case(("model_hosting: dedicated-cloud", "model_hosting: private"))
    (d,) = doc.diagnostics
    assert d.code == "enum" and d.field == "/system/model_hosting"
    assert d.hint == ("`private-cloud` のことですか？ 使える値: public-api, dedicated-cloud, private-cloud, "
                      "on-premises")


def test_enum_alias_suggests_by_meaning_not_spelling() -> None:
    # 関西 is `kinki`; by spelling alone the closest value would be `kanto`
    doc = case(("region: tohoku", "region: Kansai"))
    (d,) = doc.diagnostics
    assert d.code == "enum" and d.hint.startswith("`kinki` のことですか？")


def test_enum_without_a_close_value_still_lists_them() -> None:
    doc = case(("channels: [web, app]", "channels: [web, fax]"))
    (d,) = doc.diagnostics
    assert d.code == "enum" and d.hint.startswith("使える値: web, app, chat")
    assert (d.location.line, d.location.column) == (8, 17)


def test_pattern_on_ascii_id() -> None:
    doc = case(("risk: R-HALLUCINATION", "risk: r-hallucination"))
    (d,) = doc.diagnostics
    assert d.code == "pattern" and "（形式 ^R-" in d.hint


@pytest.mark.parametrize("bad, name", [
    ("R-HALLUCINATIОN", "CYRILLIC CAPITAL LETTER O"),
    ("R-HALLUCINATION\u200b", "ZERO WIDTH SPACE"),
    ("R-\u202eHALLUCINATION", "RIGHT-TO-LEFT OVERRIDE"),
    ("R-HALLUCINATION\u2060", "WORD JOINER"),
])
def test_non_ascii_ids_name_the_character(bad: str, name: str) -> None:
    doc = case(("risk: R-HALLUCINATION", f"risk: {bad}"))
    (d,) = doc.diagnostics
    assert d.code == "non-ascii-id" and name in d.message
    assert (d.location.line, d.location.column) == (21, 11)


@pytest.mark.parametrize("bad", ["Ｒ-HALLUCINATION", "R\u2010HALLUCINATION", "R－HALLUCINATION", "R-HALLUCINATIＯN"])
def test_ids_typed_full_width_get_the_half_width_form(bad: str) -> None:
    """Full-width letters, digits and IME dashes fold to an id that fits: say so and give the id to type
    (they used to be non-ascii-id, which named the character but not the fix)."""
    doc = case(("risk: R-HALLUCINATION", f"risk: {bad}"))
    (d,) = doc.diagnostics
    assert d.code == "fullwidth-character" and d.hint == "半角で `R-HALLUCINATION` と書いてください"
    assert (d.location.line, d.location.column) == (21, 11)


def test_non_ascii_case_id() -> None:
    doc = case(("id: sample-chatbot", "id: sample-chatbot１"))
    (d,) = doc.diagnostics
    assert d.code == "fullwidth-character" and "`sample-chatbot1`" in d.hint


@pytest.mark.parametrize("old, new, code", [
    ("trl: {level: 6", "trl: {level: 10", "range"),
    ("trl: {level: 6", "trl: {level: 0", "range"),
    ("inherent: {likelihood: 4", "inherent: {likelihood: 6", "range"),
    ("use_level: 3", "use_level: 4", "range"),
    ("n: 200", "n: 0", "range"),
    ("channels: [web, app]", "channels: []", "count"),
    ("channels: [web, app]", "channels: [web, web]", "duplicate-item"),
    ('start: "2026-04-01"', 'start: "2026-02-29"', "date"),
    ('start: "2026-04-01"', 'start: "2026/04/01"', "japanese-date"),
    ('start: "2026-04-01"', 'start: "２０２６－０４－０１"', "fullwidth-character"),
    ('n: 200', 'n: "１２０"', "fullwidth-character"),
    ('start: "2026-04-01"', "start: 2026-04-01", None),  # unquoted dates stay text
])
def test_value_constraints(old: str, new: str, code: str | None) -> None:
    doc = case((old, new))
    assert [d.code for d in doc.diagnostics] == ([code] if code else [])


def test_range_message_names_the_bounds() -> None:
    (d,) = case(("trl: {level: 6", "trl: {level: 10")).diagnostics
    assert d.message == "10 は範囲 1–9 の外です"
    assert (d.location.line, d.location.column) == (17, 16)


def test_length_bound() -> None:
    doc = case(("summary: {ja: 試験用の架空の事例。数値は測定結果ではない。}", 'summary: {ja: ""}'))
    assert [d.code for d in doc.diagnostics] == ["length"]


# -- YAML 1.1 traps meet the schema ---------------------------------------------------------------------


def test_no_in_a_text_field_is_a_type_error_with_quote_hint() -> None:
    doc = case(("findings: {ja: マスキングの検出漏れが残る。}", "findings: {ja: no}"))
    (d,) = doc.diagnostics
    assert (d.code, d.location.line, d.location.column) == ("type", 41, 20)
    assert d.message == "ここには文字列を書きます（`no` は真偽値（true/false）です）"
    assert '引用符で囲み（"no"）' in d.hint


def test_time_in_a_text_field() -> None:
    doc = check(CASE + "contributors:\n  - {name: 12:30, role: author}\n")
    (d,) = doc.diagnostics
    assert d.code == "type" and "60 進数（750）" in d.hint


def test_exponent_for_an_integer() -> None:
    (d,) = case(("n: 200", "n: 1e3")).diagnostics
    assert d.code == "type" and "`1e3` は文字列" in d.message and "省略せずに" in d.hint


def test_exponent_in_a_number_field_is_not_an_error() -> None:
    # `before` takes any number; YAML 1.1 reads 1e-1 as text, so it is still a type error
    (d,) = case(("before: 0.12", "before: 1e-1")).diagnostics
    assert d.code == "type"


def test_leading_zero_that_still_fits_is_a_trap_error() -> None:
    (d,) = case(("n: 200", "n: 0200")).diagnostics
    assert (d.code, d.severity) == ("yaml11-trap", "error")
    assert "8 進数（128）" in d.hint


def test_leading_zero_out_of_range_is_one_range_error_with_the_trap_hint() -> None:
    (d,) = case(("trl: {level: 6", "trl: {level: 011")).diagnostics  # octal 9 — in range
    assert d.code == "yaml11-trap"
    (d,) = case(("trl: {level: 6", "trl: {level: 012")).diagnostics  # octal 10 — out of range
    assert d.code == "range" and "8 進数（10）" in d.hint


def test_yes_in_a_boolean_field_is_only_a_warning() -> None:
    (d,) = case(("illustrative: true", "illustrative: yes")).diagnostics
    assert (d.code, d.severity) == ("yaml11-trap", "warning")


def test_refused_alias_is_not_also_a_type_error() -> None:
    doc = case(("summary: {ja", "summary: &s {ja"), ("service: {ja: 商品や手続の問合せに回答する。}", "service: *s"))
    assert [d.code for d in doc.diagnostics] == ["anchor", "alias"]


def test_refused_tag_is_not_also_a_type_error() -> None:
    doc = case(("findings: {ja: マスキングの検出漏れが残る。}", "findings: {ja: !!python/name:os.system x}"))
    assert [d.code for d in doc.diagnostics] == ["yaml-tag"]


def test_missing_field_at_root_survives_a_merge_key() -> None:
    doc = check("<<: {id: x}\ntitle: {ja: t}\n")
    got = [d.code for d in doc.diagnostics]
    assert got.count("alias") == 1 and "missing-field" in got


@pytest.mark.parametrize("stem", sorted(set(CATALOG_KINDS.values())))
def test_every_catalogue_schema_reports_a_wrong_top_level(stem: str) -> None:
    kind = next(k for k, v in CATALOG_KINDS.items() if v == stem)
    doc = check(f"{kind}: 3\n", stem)
    assert [d.code for d in doc.diagnostics] == ["type"]
    assert (doc.diagnostics[0].location.line, doc.diagnostics[0].location.column) == (1, len(kind) + 3)



def test_pattern_end_is_the_end_of_the_text() -> None:
    """JSON Schema patterns are ECMA-262: `$` does not match before a final newline (Python's does)."""
    (d,) = case(("risk: R-HALLUCINATION", 'risk: "R-HALLUCINATION\\n"')).diagnostics
    assert d.code == "non-ascii-id" and "U+000A" in d.message
    risks = ('risks:\n  - id: "R-NEW\\n"\n    name: {ja: 新, en: New}\n    category: conduct\n'
             '    description: {ja: 説明}\n    provisions: []\n    mappings: {}\n')
    assert [d.code for d in check(risks, "risks").diagnostics] == ["non-ascii-id"]
    assert check(risks.replace("\\n", ""), "risks").diagnostics == []


def test_whole_number_with_a_decimal_point_is_not_an_integer() -> None:
    doc = case(("use_level: 3", "use_level: 3.0"))
    (d,) = doc.diagnostics
    assert d.code == "type" and d.field == "/use_level" and d.hint == "小数点を付けずに 3 と書いてください"
