"""The validator end to end: every bad record in tests/fixtures/invalid/ gives exactly the diagnostics its
header promises, and the shipped fixture corpus is clean.

Fixture layout (see tests/fixtures/invalid/README.md):

- ``case/<name>.yaml``     is copied to ``casestudies/<name>/case.yaml``
- ``catalog/<name>.yaml``  is copied to ``content/catalog/<name>.yaml``
- ``tree/<name>/…``        is copied over the project root as it is

each on top of a fresh copy of tests/fixtures/corpus. A file states what it must produce in header lines
``# expect: CODE@LINE[:COL] [at PATH] [~ TEXT]`` (TEXT must appear in the message or hint, in Japanese or
English; PATH names the place when it is not the file itself, e.g. a folder). The errors reported for
the run must be exactly the expected ones; an expected warning must be present.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook.diagnostics import Diagnostic
from casebook.validate import discover, validate
from projects import FIXTURES
from projects import fixture_copy as make_project

CORPUS = FIXTURES / "corpus"
INVALID = FIXTURES / "invalid"
TODAY = dt.date(2026, 11, 1)  # the fixtures' future-date case is judged against this day

_EXPECT = re.compile(rb"^# expect: ([a-z0-9-]+)@(\d+)(?::(\d+))?(?: at (\S+))?(?: ~ (.+))?$")


@dataclass(frozen=True)
class Expect:
    path: str
    code: str
    line: int
    col: int | None
    text: str | None

    def matches(self, d: Diagnostic, root: Path) -> bool:
        return (_rel(d, root) == self.path and d.code == self.code and d.location.line == self.line
                and (self.col is None or d.location.column == self.col))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col or '*'} {self.code}" + (f" ~ {self.text}" if self.text else "")


def _texts(d: Diagnostic) -> tuple[str, ...]:
    """Message and hint in Japanese and English: a fixture's `~ TEXT` may quote either language."""
    return (*d.render("ja"), *d.render("en"))


def _rel(d: Diagnostic, root: Path) -> str:
    try:
        return d.location.path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(d.location.path)


def fixture_cases() -> dict[str, dict[str, Path]]:
    """Fixture name → {destination inside the project: source file}."""
    out: dict[str, dict[str, Path]] = {}
    for f in sorted((INVALID / "case").glob("*.yaml")):
        out[f"case/{f.stem}"] = {f"casestudies/{f.stem}/case.yaml": f}
    for f in sorted((INVALID / "catalog").glob("*.yaml")):
        out[f"catalog/{f.stem}"] = {f"content/catalog/{f.name}": f}
    for d in sorted(p for p in (INVALID / "tree").iterdir() if p.is_dir()):
        out[f"tree/{d.name}"] = {p.relative_to(d).as_posix(): p for p in sorted(d.rglob("*")) if p.is_file()}
    return out


def expectations(dest: str, src: Path) -> list[Expect]:
    found = []
    with src.open("rb") as fh:
        for raw in fh:
            if not raw.startswith(b"#"):
                break  # expectations live in the header
            m = _EXPECT.match(raw.rstrip(b"\r\n"))
            if m:
                # `at PATH`: the diagnostic is about another path of the fixture (a folder, a link)
                found.append(Expect(m[4].decode() if m[4] else dest, m[1].decode(), int(m[2]),
                                    int(m[3]) if m[3] else None, m[5].decode() if m[5] else None))
    return found


CASES = fixture_cases()
# Fixtures whose scoring catalogue is refused (bands or levels): no case can be scored, so the corpus is not built.
SCORING_REFUSED = {"tree/band-gap", "tree/band-order", "tree/band-overlap", "tree/levels-likelihood"}


def check_expectations(root: Path, diags: list[Diagnostic], expected: list[Expect]) -> None:
    problems = []
    for exp in expected:
        hits = [d for d in diags if exp.matches(d, root)]
        if not hits:
            problems.append(f"missing: {exp}")
        elif exp.text and not any(exp.text in part for d in hits for part in _texts(d)):
            problems.append(f"wrong text: {exp} — got {[' | '.join(_texts(d)) for d in hits]}")
    for d in diags:
        if d.severity == "error" and not any(exp.matches(d, root) for exp in expected):
            problems.append(f"unexpected: {d.text(root)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(CASES))
def test_invalid_fixture(tmp_path: Path, name: str) -> None:
    files = CASES[name]
    expected = [e for dest, src in files.items() for e in expectations(dest, src)]
    assert expected, f"{name} states no `# expect:` line"
    root = make_project(tmp_path, files)
    result = validate(root, today=TODAY)
    assert result.report.diagnostics
    assert (result.corpus is None) == bool(result.report.errors)
    check_expectations(root, result.report.diagnostics + result.notes, expected)


def test_fixture_set_is_large_and_covers_the_contract() -> None:
    assert len(CASES) >= 35
    codes = {e.code for files in CASES.values() for dest, src in files.items() for e in expectations(dest, src)}
    required = {
        "duplicate-key", "alias", "anchor", "yaml-tag", "file-too-large", "encoding", "too-deep",
        "multiple-documents", "yaml-syntax", "type", "yaml11-trap", "unknown-field", "missing-field", "enum",
        "dangling-ref", "duplicate-id", "id-folder-mismatch", "non-ascii-id", "mitigation-mismatch",
        "residual-above-inherent", "range", "future-date", "date-order", "image-path", "placeholder",
        "sample-not-illustrative", "name-without-consent", "pii-my-number", "pii-card", "pii-phone",
        "pii-email", "pii-account", "pii-address",
    }
    assert required <= codes, sorted(required - codes)


def test_three_unrelated_errors_are_reported_in_one_run(tmp_path: Path) -> None:
    files = CASES["case/three-unrelated-errors"]
    root = make_project(tmp_path, files)
    errors = validate(root, today=TODAY).report.errors
    # schema (enum), reference (dangling-ref) and PII (pii-email) — three stages, three lines, one run
    assert sorted((d.code, d.location.line) for d in errors) == sorted(
        (e.code, e.line) for dest, src in files.items() for e in expectations(dest, src))
    assert len({d.location.line for d in errors}) == 3


def test_all_fixtures_together_report_every_problem(tmp_path: Path) -> None:
    """One project holding every bad case at once: nothing is lost, nothing masks anything else."""
    files: dict[str, Path] = {}
    for name, fs in CASES.items():
        if name == "tree/duplicate-case-id":
            continue  # its copy of sample-chatbot would also collide with the copies below
        if any(dest.startswith("content/catalog/") and dest in files for dest in fs):
            continue  # a second replacement of the same catalogue file (the first one is kept)
        if name == "tree/one-bad-risk":
            continue  # it refuses a risk that the other fixtures refer to (their did-you-mean hints name it)
        if name in SCORING_REFUSED:
            continue  # a refused band table stops every check that needs a score, which the others test
        files.update(fs)
    root = make_project(tmp_path, files)
    expected = [e for dest, src in files.items() for e in expectations(dest, src)]
    result = validate(root, today=TODAY)
    check_expectations(root, result.report.diagnostics + result.notes, expected)


def test_fixture_corpus_is_clean() -> None:
    result = validate(CORPUS, today=TODAY)
    assert [d.text(CORPUS) for d in result.report.diagnostics] == []
    assert result.ok and result.corpus is not None
    assert set(result.corpus.cases) == {"sample-chatbot"}
    assert len(result.documents) == 16  # 13 catalogues + limits + reserved ids, 1 case study


def test_fixture_corpus_is_clean_today() -> None:
    """Without a fixed day: the corpus must not drift into error as the calendar moves on."""
    assert validate(CORPUS).ok


def test_fixture_future_date_depends_on_today(tmp_path: Path) -> None:
    root = make_project(tmp_path, CASES["case/future-date"])
    assert validate(root, today=dt.date(2027, 1, 15)).ok
    assert [d.code for d in validate(root, today=dt.date(2027, 1, 14)).report.errors] == ["future-date"]


def test_only_cases_limits_the_case_studies(tmp_path: Path) -> None:
    root = make_project(tmp_path, CASES["case/dangling-risk"])
    assert not validate(root, today=TODAY).ok
    only = validate(root, today=TODAY, only_cases=[root / "casestudies" / "sample-chatbot"])
    assert only.ok and set(only.corpus.cases) == {"sample-chatbot"}


def test_missing_catalogues_are_named(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    for name in ("publication", "scoring"):
        (root / "content" / "catalog" / f"{name}.yaml").unlink()
    errors = validate(root, today=TODAY).report.errors
    assert sorted((d.code, d.message) for d in errors) == [
        ("missing-catalog", "content/catalog に `publication:` のカタログがありません"),
        ("missing-catalog", "content/catalog に `scoring:` のカタログがありません"),
    ]


def test_second_singleton_catalogue_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    shutil.copyfile(root / "content/catalog/publication.yaml", root / "content/catalog/publication2.yaml")
    errors = validate(root, today=TODAY).report.errors
    assert [(d.code, _rel(d, root), d.location.line) for d in errors] == [
        ("duplicate-catalog", "content/catalog/publication2.yaml", 1)]


@pytest.mark.parametrize("body", ["- a\n", "just text\n", "42\n", "[1, 2]\n", "~\n"])
def test_case_file_that_is_not_a_mapping(tmp_path: Path, body: str) -> None:
    root = make_project(tmp_path)
    folder = root / "casestudies" / "odd"
    folder.mkdir()
    (folder / "case.yaml").write_text(body, encoding="utf-8")
    errors = validate(root, today=TODAY).report.errors
    assert errors and all(_rel(d, root) == "casestudies/odd/case.yaml" for d in errors)
    assert {d.code for d in errors} <= {"type", "empty-file"}


def test_pii_allow_with_malformed_entries_gives_diagnostics(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    case = root / "casestudies" / "sample-chatbot" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8") + "pii_allow: [7, {text: 12345}]\n", encoding="utf-8")
    codes = sorted(d.code for d in validate(root, today=TODAY).report.errors)
    assert codes == ["missing-field", "type", "type"]


# -- discover() -----------------------------------------------------------------------------------------


def test_discover_lists_catalogues_and_cases() -> None:
    catalog, cases, diags = discover(CORPUS)
    assert [p.name for p in catalog] == sorted(p.name for p in (CORPUS / "content/catalog").glob("*.yaml"))
    assert [p.parent.name for p in cases] == ["sample-chatbot"]
    assert diags == []


def test_discover_reports_odd_entries(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    cases = root / "casestudies"
    (cases / "Bad_Name").mkdir()
    (cases / "Bad_Name" / "case.yaml").write_text("id: x\n", encoding="utf-8")
    (cases / "no-file").mkdir()
    (cases / "stray.yaml").write_text("a: 1\n", encoding="utf-8")
    (cases / "README.md").write_text("# cases\n", encoding="utf-8")
    (cases / ".hidden").mkdir()
    (root / "content/catalog/extra.yml").write_text("a: 1\n", encoding="utf-8")
    (cases / "linked").symlink_to(cases / "sample-chatbot")
    (cases / "sample-chatbot" / "figure.png").symlink_to("/etc/hostname")
    _, found, diags = discover(root)
    assert [p.parent.name for p in found] == ["sample-chatbot"]
    got = sorted((d.code, d.location.path.name) for d in diags)
    assert got == [("file-name", "extra.yml"), ("folder-name", ".hidden"), ("folder-name", "Bad_Name"),
                   ("missing-case-file", "no-file"), ("stray-file", "stray.yaml"), ("symlink", "figure.png"),
                   ("symlink", "linked")]
    # and validate() turns them into errors
    errors = validate(root, today=TODAY).report.errors
    assert sorted(d.code for d in errors) == sorted(c for c, _ in got)


def test_symlinked_case_file_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    folder = root / "casestudies" / "linked-file"
    folder.mkdir()
    (folder / "case.yaml").symlink_to(root / "casestudies" / "sample-chatbot" / "case.yaml")
    codes = {d.code for d in validate(root, today=TODAY).report.errors}
    assert "symlink" in codes


def test_glossary_see_also_must_name_a_term_or_record(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    glossary = root / "content/catalog/glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "    see_also: [R-HALLUCINATION, rgg]\n",
                        encoding="utf-8")
    errors = validate(root, today=TODAY).report.errors
    assert [(d.code, d.field) for d in errors] == [("dangling-ref", "/glossary/0/see_also/1")]
    assert "rag" in errors[0].hint


def test_images_must_be_png_or_jpeg_by_content(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    folder = root / "casestudies/sample-chatbot"
    (folder / "fig.png").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    from PIL import Image

    Image.new("RGB", (4, 4)).save(folder / "ok.png")  # a real PNG: a bare signature is refused as a fake
    (folder / "fake.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    case = folder / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8") + "images:\n  - {path: fig.png, alt: {ja: 図}}\n"
                    "  - {path: ok.png, alt: {ja: 図}}\n  - {path: fake.png, alt: {ja: 図}}\n", encoding="utf-8")
    errors = validate(root, today=TODAY).report.errors
    assert [(d.code, d.field) for d in errors] == [("image-content", "/images/0/path"),
                                                   ("image-content", "/images/2/path")]


def test_github_annotation_properties_are_escaped() -> None:
    from casebook.errors import Location

    d = Diagnostic(Location(Path("casestudies/x,title=a::b\n::error file=README.md/case.yaml"), 3, 1), "enum",
                   {"value": "bad", "allowed": "a, b"})
    line = d.github()
    assert "\n" not in line and line.count("::") == 2
    assert "file=casestudies/x%2Ctitle=a%3A%3Ab%0A%3A%3Aerror file=README.md/case.yaml," in line
