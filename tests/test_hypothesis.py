"""Property-based: whatever the input, the loader and validate() answer with data or diagnostics, never
an exception."""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from casebook.load import Document, load_bytes, load_text
from casebook.validate import validate
from projects import CORPUS

CASE_TEXT = (CORPUS / "casestudies" / "sample-chatbot" / "case.yaml").read_text(encoding="utf-8")
TODAY = dt.date(2026, 11, 1)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def answered(doc: Document) -> None:
    """Every input gives either data or at least one diagnostic, and every diagnostic has a place."""
    assert doc.data is not None or doc.diagnostics
    for d in doc.diagnostics:
        assert d.code and d.message
        assert d.location.line >= 1 and d.location.column >= 1
        assert d.severity in ("error", "warning")


# -- strategies -------------------------------------------------------------------------------------------

# Characters YAML cares about, so random text often looks like YAML.
YAMLISH = st.text(alphabet=st.sampled_from([*"abcXYZ019 :-[]{},#&*!|>'\"\n\t?%@`~.<=", "が", "\u200b", "１"]),
                  max_size=200)
# YAML 1.1 reads NEL, LS and PS as line breaks (a plain "a\x85b" folds to "a b"): leave them out where
# the test compares data after a round trip.
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85\u2028\u2029"), max_size=30)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
    TEXT,
    st.sampled_from(["no", "on", "yes", "12:30", "0755", "1e3", "2026-04-01", "~", "null", "<<", "*a", "&a",
                     "!!python/object:os.system", "R-HALLUCINATION", "【要記入】", "090-1234-5678", "a@b.co.jp"]),
)
keys = st.one_of(TEXT, st.sampled_from(["id", "title", "ja", "en", "risk", "assessments",
                                                        "mitigations", "pii_allow", "text", "period"]))
structures = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(keys, inner, max_size=4),
), max_leaves=25)


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


def dump(data: object, flow: bool | None, width: int) -> str:
    return yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, default_flow_style=flow, width=width,
                     sort_keys=False)


def nfc(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    return value


@st.composite
def mutated_case(draw: st.DrawFn) -> str:
    """The fixture case with a few random edits: realistic near-misses of a valid record."""
    text = CASE_TEXT
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "dup-line", "drop-line"]))
        if op == "insert":
            text = text[:pos] + draw(YAMLISH.filter(bool)) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)):]
        elif op == "replace":
            text = text[:pos] + draw(st.sampled_from(list(": -[]{}#&*!'\"\n\t\u3000\x00\x07"))) + text[pos + 1:]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i:i + 1] = [lines[i], lines[i]] if op == "dup-line" else []
            text = "\n".join(lines)
    return text


# -- the loader -------------------------------------------------------------------------------------------


@FAST
@given(st.text(max_size=300))
def test_loader_never_raises_on_text(text: str) -> None:
    answered(load_text(text, Document(Path("t.yaml"))))


@FAST
@given(st.binary(max_size=300))
def test_loader_never_raises_on_bytes(raw: bytes) -> None:
    answered(load_bytes(raw, Document(Path("t.yaml"))))


@FAST
@given(YAMLISH)
def test_loader_never_raises_on_yamlish_text(text: str) -> None:
    answered(load_text(text, Document(Path("t.yaml"))))


@FAST
@given(mutated_case())
def test_loader_never_raises_on_mutated_records(text: str) -> None:
    answered(load_text(text, Document(Path("t.yaml"))))


@FAST
@given(structures, st.sampled_from([None, True, False]), st.integers(20, 200))
def test_dumped_structures_load_back_with_positions(data: object, flow: bool | None, width: int) -> None:
    """Anything a YAML dumper writes (no anchors) loads to the same data and every value has a place."""
    assume("<<" not in list(_all_keys(data)))  # the merge key is refused on purpose, at any depth
    assume(_nfc_keys_unique(data))
    text = dump(data, flow, width)
    doc = load_text(text, Document(Path("t.yaml")))
    errors = [d for d in doc.diagnostics if d.severity == "error"]
    if data is None:
        assert [d.code for d in errors] == ["empty-file"]
        return
    assert errors == [], (text, errors)
    assert doc.data == nfc(data)
    lines = text.split("\n")
    for ptr in _pointers(doc.data):
        loc = doc.location(ptr)
        assert 1 <= loc.line <= len(lines) and loc.column >= 1


def _all_keys(value: object):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _all_keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from _all_keys(v)


def _nfc_keys_unique(value: object) -> bool:
    if isinstance(value, dict):
        normal = [unicodedata.normalize("NFC", k) for k in value]
        return len(set(normal)) == len(normal) and all(_nfc_keys_unique(v) for v in value.values())
    if isinstance(value, list):
        return all(_nfc_keys_unique(v) for v in value)
    return True


def _pointers(value: object, ptr: tuple = ()):
    yield ptr
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _pointers(v, (*ptr, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _pointers(v, (*ptr, i))


# -- the whole validator ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hypo") / "project"
    shutil.copytree(CORPUS, root)
    (root / "casestudies" / "fuzz-case").mkdir()
    return root


def check_validate(root: Path, target: Path, body: bytes) -> None:
    target.write_bytes(body)
    try:
        result = validate(root, today=TODAY)
    finally:
        target.unlink()
    diags = result.report.diagnostics
    assert result.ok == (not result.report.errors)
    assert (result.corpus is not None) == result.ok
    if result.ok:
        assert "sample-chatbot" in result.corpus.cases
    for d in diags:
        assert d.code and d.message and d.severity in ("error", "warning")
        assert d.location.line >= 0 and d.location.column >= 0
        d.text(root)
        d.github(root)


@SLOW
@given(body=st.one_of(mutated_case().map(str.encode), YAMLISH.map(str.encode), st.binary(max_size=200),
                      structures.map(lambda d: dump(d, None, 80).encode())))
def test_validate_never_raises_on_a_case_file(project: Path, body: bytes) -> None:
    check_validate(project, project / "casestudies" / "fuzz-case" / "case.yaml", body)


@SLOW
@given(kind=st.sampled_from(["risks", "mitigations", "provisions", "metrics", "glossary", "scoring", "policy"]),
       body=structures)
def test_validate_never_raises_on_a_catalogue_file(project: Path, kind: str, body: object) -> None:
    text = dump({kind: body}, None, 80)
    check_validate(project, project / "content" / "catalog" / "zz-fuzz.yaml", text.encode())
