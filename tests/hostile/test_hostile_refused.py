"""Hostile input that must be refused: ``casebook build --strict`` exits 1 naming the code, file and line,
and writes no site. Each case is a tmp copy of the real project with one hostile file or folder.

These runs stop at validation, so they are cheap; the resource-bound ones (huge, deep, alias bomb) run
in a child process under a time and memory limit.
"""

from __future__ import annotations

import json
import resource
from pathlib import Path

import pytest

from .project import cli, cli_subprocess, diagnostics, line_of, make_project, refused, shipped_case, write_case

MB = 1024 * 1024


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def case_with(folder: str, **changes) -> dict:
    case = shipped_case()
    case["id"] = folder
    case["title"] = {lang: f"{text} ({folder})" for lang, text in case["title"].items()}  # titles are unique
    case.update(changes)
    return case


def errors(root: Path) -> list[tuple[str, str, int]]:
    """(code, path, line) of every error, as ``casebook validate --format json`` reports them."""
    return [(d["code"], d["path"], d["line"]) for d in diagnostics(root) if d["severity"] == "error"]


def assert_refused(root: Path, *expected: tuple[str, str, int | None]) -> list[tuple[str, str, int]]:
    """The build is refused and every expected (code, path, line or None) is among its errors."""
    run = refused(root, root.parent / "site")
    got = errors(root)
    for code, path, line in expected:
        assert any(c == code and p == path and (line is None or n == line) for c, p, n in got), (code, got)
        assert f"error[{code}]" in run.stderr  # the build names it too
    return got


# -- style-bearing fields -----------------------------------------------------------------------------

def test_band_colour_with_css_is_refused_by_the_schema(root: Path) -> None:
    scoring = root / "content" / "catalog" / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8")
    scoring.write_text(text.replace('colour: "#CFEBCB"', 'colour: "red; background:url(http://127.0.0.1:9/x)"'),
                       encoding="utf-8")
    assert_refused(root, ("pattern", "content/catalog/scoring.yaml", line_of(scoring, "background:url")))


@pytest.mark.parametrize("value", ["#CFEBCB;}</style><script>alert(1)</script>", "#CFEBCB\n", "expression(alert(1))"])
def test_band_colour_variants_are_refused(root: Path, value: str) -> None:
    scoring = root / "content" / "catalog" / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8")
    scoring.write_text(text.replace('colour: "#CFEBCB"', "colour: " + json.dumps(value)), encoding="utf-8")
    got = assert_refused(root)
    line = line_of(scoring, "colour: " + json.dumps(value)[:8])
    assert {c for c, p, n in got if (p, n) == ("content/catalog/scoring.yaml", line)} & {"pattern", "non-ascii-id"}


# -- invisible and look-alike characters ------------------------------------------------------------

@pytest.mark.parametrize(("cid", "code"), [("hostile\u200bcase", "non-ascii-id"),
                                           ("hostile-\u202ecase", "non-ascii-id"),
                                           ("ｈｏｓｔｉｌｅ-case", "fullwidth-character"),
                                           ("hostile-cаse", "non-ascii-id"), ("hostile-case\n", "non-ascii-id")])
def test_look_alike_or_invisible_case_id_is_refused(root: Path, cid: str, code: str) -> None:
    """Zero-width, right-to-left override, full-width and Cyrillic ids are refused; full-width ones by the
    Japanese-keyboard check, which names the character to retype."""
    path = write_case(root, "hostile-case", case_with(cid))
    assert_refused(root, (code, "casestudies/hostile-case/case.yaml", line_of(path, "id: ")))


@pytest.mark.parametrize("folder", ["hostile\u200bcase", "ｈｏｓｔｉｌｅ-case", "hostile-cаse", "事例-1", "a..b"])
def test_look_alike_or_non_ascii_folder_is_refused(root: Path, folder: str) -> None:
    write_case(root, folder, case_with(folder))
    assert_refused(root, ("folder-name", f"casestudies/{folder}", None))


@pytest.mark.parametrize("char", ["\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\u200f"])
def test_invisible_or_bidi_character_in_a_title_is_refused(root: Path, char: str) -> None:
    """A title that reads differently from what it holds (Trojan-source style) is not published."""
    case = case_with("hostile-case")
    case["title"]["ja"] = f"問合せ{char}対応（txt.exe{char}）"
    path = write_case(root, "hostile-case", case)
    assert_refused(root, ("invisible-character", "casestudies/hostile-case/case.yaml", line_of(path, "問合せ")))


def test_look_alike_risk_reference_is_refused(root: Path) -> None:
    case = case_with("hostile-case")
    case["assessments"][0]["risk"] = "R-PRIVACY-LEАK"  # Cyrillic А
    path = write_case(root, "hostile-case", case)
    assert_refused(root, ("non-ascii-id", "casestudies/hostile-case/case.yaml", line_of(path, "R-PRIVACY-LEАK")))


# -- size, depth and aliases: refused within a time and memory bound ---------------------------------

def bounded(root: Path) -> str:
    """``casebook build --strict`` in a child limited to 1 GiB; it must refuse within a few seconds."""
    site = root.parent / "site"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = cli_subprocess("--root", root, "build", "--strict", "--site-dir", site, timeout=60, memory=1024 * MB)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert run.code == 1, run.output
    # CPU time, not wall time: on a busy machine the same refusal took 17.7 s of wall clock (a flaky test);
    # an expanding alias or a runaway parse would burn CPU (or hit the 1 GiB limit) whatever the load.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 8, f"used {cpu:.1f} s of CPU ({run.seconds:.1f} s wall)"
    assert not site.exists()
    return run.stderr


def test_huge_file_is_refused_unread(root: Path) -> None:
    case = case_with("hostile-case")
    case["summary"]["ja"] = "長" * (3 * MB)
    write_case(root, "hostile-case", case)
    assert "error[file-too-large]" in bounded(root)
    assert ("file-too-large", "casestudies/hostile-case/case.yaml", 1) in errors(root)


def test_huge_string_is_refused_by_its_length_limit(root: Path) -> None:
    case = case_with("hostile-case")
    case["title"]["ja"] = "題" * 300_000  # under the file limit, far over the field's
    path = write_case(root, "hostile-case", case)
    assert "error[length]" in bounded(root)
    assert ("length", "casestudies/hostile-case/case.yaml", line_of(path, "題題題")) in errors(root)


@pytest.mark.parametrize(("shape", "code"), [
    ("flow", "too-deep"),        # [[[[ … ]]]]
    ("block", "yaml-syntax"),    # a: / b: / c: … indented 1,000+ levels (the parser's own limit)
    ("sequence", "yaml-syntax"),  # - - - - … on one line
    ("moderate", "too-deep"),    # 60 levels: parses, the loader's depth limit refuses it
])
def test_deep_nesting_is_refused(root: Path, shape: str, code: str) -> None:
    if shape == "flow":
        body = "id: hostile-case\nsummary: " + "[" * 200_000 + "]" * 200_000 + "\n"
    elif shape == "block":
        body = "id: hostile-case\n" + "".join(" " * i + "k:\n" for i in range(1200)) + " " * 1200 + "v\n"
    elif shape == "sequence":
        body = "id: hostile-case\nsummary:\n  " + "- " * 300_000 + "x\n"
    else:
        body = "id: hostile-case\n" + "".join(" " * i + "k:\n" for i in range(60)) + " " * 60 + "v\n"
    write_case(root, "hostile-case", body)
    assert f"error[{code}]" in bounded(root)
    assert code in [c for c, p, _n in errors(root) if p == "casestudies/hostile-case/case.yaml"]


def test_billion_laughs_is_refused_without_expanding(root: Path) -> None:
    lines = ["id: hostile-case", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines.append("summary: {ja: *a9}")
    path = write_case(root, "hostile-case", "\n".join(lines) + "\n")
    stderr = bounded(root)
    assert "error[anchor]" in stderr and "error[alias]" in stderr
    got = errors(root)
    assert ("anchor", "casestudies/hostile-case/case.yaml", line_of(path, "&a0")) in got
    assert len(got) < 500  # one diagnostic per written alias, not per expanded node


def test_merge_key_bomb_is_refused(root: Path) -> None:
    lines = ["id: hostile-case", "base: &b {x: 1}"] + [f"m{i}: {{<<: *b}}" for i in range(50)]
    write_case(root, "hostile-case", "\n".join(lines) + "\n")
    assert "error[alias]" in bounded(root)


# -- the file system: links, parent paths, names ------------------------------------------------------

def test_symlink_inside_a_case_folder_pointing_outside_is_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    case = case_with("hostile-case")
    case["images"] = [{"path": "figure.png", "alt": {"ja": "図"}}]
    write_case(root, "hostile-case", case)
    (root / "casestudies" / "hostile-case" / "figure.png").symlink_to(outside)
    (root / "casestudies" / "hostile-case" / "passwd").symlink_to("/etc/passwd")
    got = assert_refused(root, ("symlink", "casestudies/hostile-case/figure.png", None),
                         ("symlink", "casestudies/hostile-case/passwd", None))
    assert ("image-path", "casestudies/hostile-case/case.yaml") in [(c, p) for c, p, _n in got]


def test_symlinked_case_file_is_refused(root: Path) -> None:
    folder = root / "casestudies" / "hostile-case"
    folder.mkdir()
    (folder / "case.yaml").symlink_to(root / "casestudies" / "sample-rag-inquiry-chatbot" / "case.yaml")
    assert_refused(root, ("symlink", "casestudies/hostile-case/case.yaml", None))


def test_symlinked_case_folder_is_refused(root: Path, tmp_path: Path) -> None:
    outside = write_case(tmp_path / "outside", "hostile-case", case_with("hostile-case")).parent
    (root / "casestudies" / "hostile-case").symlink_to(outside)
    assert_refused(root, ("symlink", "casestudies/hostile-case", None))


@pytest.mark.parametrize("image", ["../../../../etc/passwd.png", "/etc/hostname.png", "sub/../../x.png",
                                   "図.png", "file:///etc/passwd.png"])
def test_image_path_leaving_the_folder_or_non_ascii_is_refused(root: Path, image: str) -> None:
    case = case_with("hostile-case")
    case["images"] = [{"path": image, "alt": {"ja": "図"}}]
    path = write_case(root, "hostile-case", case)
    got = assert_refused(root)
    line = line_of(path, "path: ")
    codes = {c for c, p, n in got if p == "casestudies/hostile-case/case.yaml" and n == line}
    assert codes & {"image-path", "pattern", "non-ascii-id"}, got
    assert codes <= {"image-path", "pattern", "non-ascii-id", "image-missing"}, got


def test_svg_image_with_script_is_refused(root: Path) -> None:
    """An SVG is copied to the site as is: opened on its own, its script would run on the site's origin."""
    case = case_with("hostile-case")
    case["images"] = [{"path": "figure.svg", "alt": {"ja": "図"}}]
    write_case(root, "hostile-case", case)
    (root / "casestudies" / "hostile-case" / "figure.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
        "<script>alert('XSS-SVG')</script><rect width='10' height='10'/></svg>", encoding="utf-8")
    assert_refused(root, ("image-content", "casestudies/hostile-case/case.yaml", None))


def test_same_id_in_two_folders_cannot_overwrite_the_other(root: Path) -> None:
    """A copy keeps the original's id: refused on the copy; the original's page is never replaced."""
    path = write_case(root, "hostile-copy", case_with("sample-rag-inquiry-chatbot"))
    got = assert_refused(root, ("duplicate-id", "casestudies/hostile-copy/case.yaml", line_of(path, "id: ")))
    assert not [g for g in got if g[1] == "casestudies/sample-rag-inquiry-chatbot/case.yaml"]


def test_stray_file_named_with_dots_is_refused(root: Path) -> None:
    (root / "casestudies" / "..case.yaml").write_text("id: x\n", encoding="utf-8")
    (root / "casestudies" / "a..b.yaml").write_text("id: x\n", encoding="utf-8")
    assert_refused(root, ("stray-file", "casestudies/a..b.yaml", None))


# -- pii_allow -------------------------------------------------------------------------------------

PHONE = "03-3581-4321"


def test_pii_allowance_is_reported_not_silent(root: Path) -> None:
    """An allowance may hide a real number: the build passes, but every use is shown to the reviewer."""
    case = case_with("hostile-case")
    case["summary"]["ja"] += f" 担当者の直通は {PHONE} です。"
    case["pii_allow"] = [{"text": PHONE, "reason": "銀行の代表電話で、公開されている番号です。"}]
    path = write_case(root, "hostile-case", case)
    text = cli("--root", root, "validate")
    assert text.code == 0, text.output
    line = line_of(path, "summary:") + 1  # the field holding it (`ja:` of the summary)
    shown = f"casestudies/hostile-case/case.yaml:{line}:"
    notes = [ln for ln in text.output.splitlines() if ln.startswith(shown) and "pii-allowed" in ln]
    assert notes and PHONE in notes[0], text.output
    assert "代表電話" in text.output  # the reason is shown with it
    gh = cli("--root", root, "validate", "--format", "github")
    assert [ln for ln in gh.output.splitlines() if ln.startswith("::notice file=casestudies/hostile-case/case.yaml,"
                                                                f"line={line},") and PHONE in ln], gh.output


def test_pii_allowance_does_not_cover_a_second_number(root: Path) -> None:
    case = case_with("hostile-case")
    case["summary"]["ja"] += f" 代表 {PHONE}、担当 090-1111-2222。"
    case["pii_allow"] = [{"text": PHONE, "reason": "銀行の代表電話で、公開されている番号です。"}]
    write_case(root, "hostile-case", case)
    assert_refused(root, ("pii-phone", "casestudies/hostile-case/case.yaml", None))
    assert [d["field"] for d in diagnostics(root) if d["code"] == "pii-phone"] == ["/summary/ja"]
