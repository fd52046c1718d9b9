"""The `casebook` command: exit codes, output formats, `casebook new`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.cli import main
from casebook.scaffold import PLACEHOLDER
from projects import FIXTURES

CORPUS = FIXTURES / "corpus"
THREE = FIXTURES / "invalid" / "case" / "three-unrelated-errors.yaml"
TODAY = "2026-11-01"


@pytest.fixture(autouse=True)
def _neutral_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages follow the locale (English when it starts with `en`): these tests run in a neutral one, so
    they see the default Japanese texts on every machine; the English tests set the locale themselves."""
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(CORPUS, root)
    return root


def add_case(root: Path, source: Path) -> Path:
    folder = root / "casestudies" / source.stem
    folder.mkdir()
    shutil.copyfile(source, folder / "case.yaml")
    return folder / "case.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def record_files(project: Path) -> int:
    """Catalogue files plus case files: the count `validate` reports (the fixture corpus grows)."""
    return len(list((project / "content" / "catalog").glob("*.yaml"))) + len(
        list((project / "casestudies").glob("*/case.yaml")))


# -- validate -------------------------------------------------------------------------------------------


def test_clean_corpus_exits_0(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    code, out, err = run(capsys, "--root", str(project), "validate", "--today", TODAY)
    assert code == 0
    assert out == ""
    assert f"casebook validate: 問題なし — {record_files(project)} ファイル、エラー 0 件、警告 0 件" in err


def test_invalid_input_exits_1_with_path_line_col(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    add_case(project, THREE)
    code, out, err = run(capsys, "--root", str(project), "validate", "--today", TODAY)
    assert code == 1
    heads = [line for line in out.splitlines() if not line.startswith("  ")]
    assert heads == [
        "casestudies/three-unrelated-errors/case.yaml:16:18: error[enum]: `dedicated` は使えない値です "
        "(項目 /system/model_hosting)",
        "casestudies/three-unrelated-errors/case.yaml:25:11: error[dangling-ref]: ID が `R-HALUCINATION` の"
        "リスクはありません (項目 /assessments/0/risk)",
        "casestudies/three-unrelated-errors/case.yaml:45:20: error[pii-email]: メールアドレス "
        "`info@customer-mail.jp` があります (項目 /assessments/1/findings/ja)",
    ]
    hints = [line for line in out.splitlines() if line.startswith("  ")]
    assert len(hints) == 3 and all(h.startswith("  ヒント: ") for h in hints)
    assert f"不合格 — {record_files(project)} ファイル、エラー 3 件、警告 0 件" in err


@pytest.mark.parametrize("how", [("--lang", "en"), ("LANG", "en_GB.UTF-8"), ("LC_ALL", "en_US.UTF-8")])
def test_english_with_lang_option_or_locale(capsys: pytest.CaptureFixture[str], project: Path,
                                            monkeypatch: pytest.MonkeyPatch, how: tuple[str, str]) -> None:
    add_case(project, THREE)
    argv = ["--root", str(project), "validate", "--today", TODAY]
    if how[0] == "--lang":
        argv += list(how)
    else:
        monkeypatch.setenv(*how)
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert out.splitlines()[0] == ("casestudies/three-unrelated-errors/case.yaml:16:18: error[enum]: `dedicated` "
                                   "is not an allowed value (field /system/model_hosting)")
    assert out.splitlines()[1].startswith("  hint: did you mean `dedicated-cloud`?")
    assert f"FAILED — {record_files(project)} files, 3 error(s), 0 warning(s)" in err


def test_lang_option_wins_over_the_locale(capsys: pytest.CaptureFixture[str], project: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code, _, err = run(capsys, "--root", str(project), "--lang", "ja", "validate", "--today", TODAY)
    assert code == 0 and "問題なし" in err


def test_json_format_parses(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    add_case(project, THREE)
    code, out, _ = run(capsys, "--root", str(project), "validate", "--format", "json", "--today", TODAY)
    assert code == 1
    data = json.loads(out)
    assert [(d["code"], d["line"], d["column"]) for d in data] == [
        ("enum", 16, 18), ("dangling-ref", 25, 11), ("pii-email", 45, 20)]
    first = data[0]
    assert set(first) == {"path", "line", "column", "severity", "code", "field", "message", "hint",
                          "message_ja", "hint_ja", "message_en", "hint_en"}
    assert first["message"] == first["message_ja"] == "`dedicated` は使えない値です"
    assert first["message_en"] == "`dedicated` is not an allowed value"
    assert first["path"] == "casestudies/three-unrelated-errors/case.yaml"
    assert first["severity"] == "error" and first["field"] == "/system/model_hosting"
    assert "dedicated-cloud" in first["hint"]


def test_json_format_on_clean_corpus_prints_nothing(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    code, out, err = run(capsys, "--root", str(project), "validate", "--format", "json", "--today", TODAY)
    assert (code, out, err) == (0, "", "")


def test_github_format(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    add_case(project, THREE)
    code, out, _ = run(capsys, "--root", str(project), "validate", "--format", "github", "--today", TODAY)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3
    pattern = re.compile(r"^::error file=casestudies/three-unrelated-errors/case\.yaml,line=(\d+),col=(\d+),"
                         r"title=([a-z-]+)::(.+)$")
    parsed = [pattern.match(line) for line in lines]
    assert all(parsed), lines
    assert [(m[1], m[2], m[3]) for m in parsed] == [("16", "18", "enum"), ("25", "11", "dangling-ref"),
                                                    ("45", "20", "pii-email")]
    assert all("\n" not in m[4] and " — " in m[4] for m in parsed)  # message — hint, on one line
    # Japanese first, then English, as two lines of the annotation (%0A)
    assert parsed[0][4].split("%0A") == [
        "`dedicated` は使えない値です — `dedicated-cloud` のことですか？ 使える値: public-api, dedicated-cloud, "
        "private-cloud, on-premises",
        "`dedicated` is not an allowed value — did you mean `dedicated-cloud`? allowed: public-api, "
        "dedicated-cloud, private-cloud, on-premises"]


def test_github_format_escapes_newlines_and_percent(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    case = add_case(project, THREE)
    case.write_text(case.read_text(encoding="utf-8").replace("model_hosting: dedicated",
                                                             'model_hosting: "50%\\nmore"'), encoding="utf-8")
    _, out, _ = run(capsys, "--root", str(project), "validate", "--format", "github", "--today", TODAY)
    enum_line = next(line for line in out.splitlines() if "title=enum" in line)
    assert "50%25%0Amore" in enum_line


def test_warnings_fail_only_with_strict(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    case = project / "casestudies" / "sample-chatbot" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("illustrative: true", "illustrative: yes"),
                    encoding="utf-8")
    code, out, err = run(capsys, "--root", str(project), "validate", "--today", TODAY)
    assert code == 0 and "warning[yaml11-trap]" in out and "警告 1 件" in err
    code, _, err = run(capsys, "--root", str(project), "validate", "--strict", "--today", TODAY)
    assert code == 1 and "不合格" in err


def test_today_option_drives_the_future_date_check(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    assert run(capsys, "--root", str(project), "validate", "--today", "2026-09-30")[0] == 1  # updated 10-01
    assert run(capsys, "--root", str(project), "validate", "--today", "2026-10-01")[0] == 0


def test_paths_limit_the_cases(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    add_case(project, THREE)
    only = str(project / "casestudies" / "sample-chatbot")
    code, out, _ = run(capsys, "--root", str(project), "validate", "--today", TODAY, only)
    assert code == 0 and out == ""


def test_root_is_found_from_the_current_folder(capsys: pytest.CaptureFixture[str], project: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    add_case(project, THREE)
    monkeypatch.chdir(project / "casestudies" / "sample-chatbot")
    code, out, _ = run(capsys, "validate", "--today", TODAY)
    assert code == 1 and out.startswith("casestudies/three-unrelated-errors/case.yaml:16:18")


@pytest.mark.parametrize("argv", [
    [],
    ["no-such-command"],
    ["validate", "--format", "xml"],
    ["validate", "--today", "yesterday"],
    ["validate", "--no-such-option"],
    ["new"],
])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], project: Path, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--root", str(project), *argv]) if argv else _no_command(project)
    assert exc.value.code == 2


def _no_command(project: Path) -> None:
    code = main(["--root", str(project)])
    raise SystemExit(code)


def test_help_lists_every_subcommand_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("validate", "new", "build", "serve", "pdf", "preview", "diff", "schemas"):
        assert re.search(rf"^\s+{command}\s+\S", out, re.MULTILINE), command


def test_help_is_in_the_language_asked_for(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    assert "すべての記録を検査し、問題をすべて報告します" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "validate", "--help"])
    assert "check every record and report all problems" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["validate", "--lang=en", "--help"])
    assert "limit case studies to these folders or files" in capsys.readouterr().out


def test_console_script_runs(project: Path) -> None:
    exe = Path(sys.executable).with_name("casebook")
    proc = subprocess.run([str(exe), "--root", str(project), "validate", "--today", TODAY, "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout == ""
    add_case(project, THREE)
    proc = subprocess.run([str(exe), "--root", str(project), "validate", "--today", TODAY],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stdout.count("error[") == 3
    proc = subprocess.run([str(exe), "--root", str(project), "frobnicate"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


# -- new ----------------------------------------------------------------------------------------------


def test_new_writes_a_template_that_fails_until_filled(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    code, out, _ = run(capsys, "--root", str(project), "new", "my-new-case")
    assert code == 0 and "casestudies/my-new-case/case.yaml" in out
    case = project / "casestudies" / "my-new-case" / "case.yaml"
    text = case.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "id: my-new-case" in text and PLACEHOLDER in text
    code, out, _ = run(capsys, "--root", str(project), "validate")
    assert code == 1
    codes = {m[1] for m in re.finditer(r"error\[([a-z0-9-]+)\]", out)}
    assert codes == {"placeholder"}  # only the markers are wrong
    values = "\n".join(line for line in text.splitlines() if not line.startswith("#"))  # not the header
    assert out.count("error[placeholder]") == values.count(PLACEHOLDER) == 15


def test_new_validates_once_the_markers_are_filled(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    assert run(capsys, "--root", str(project), "new", "filled-case")[0] == 0
    case = project / "casestudies" / "filled-case" / "case.yaml"
    text = case.read_text(encoding="utf-8")
    # what a contributor does: replace each marked text with content (here: the hint without the marker)
    case.write_text(text.replace(PLACEHOLDER, ""), encoding="utf-8")
    code, out, _ = run(capsys, "--root", str(project), "validate")
    assert code == 0, out
    assert "error" not in out
    code, _, _ = run(capsys, "--root", str(project), "validate", "casestudies/filled-case")
    assert code == 0


def test_new_template_comments_are_japanese(project: Path) -> None:
    assert main(["--root", str(project), "new", "commented"]) == 0
    text = (project / "casestudies" / "commented" / "case.yaml").read_text(encoding="utf-8")
    comments = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line and "language-server" not in line]
    assert len(comments) >= 15
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", c) for c in comments[:3])


@pytest.mark.parametrize("slug", ["Bad", "under_score", "-lead", "trail-", "double--hyphen", "日本語", "a b",
                                  "../escape", "x/y", "", "a" * 81, "slug\n", "ｆｕｌｌ"])
def test_new_refuses_bad_slugs_with_exit_2(capsys: pytest.CaptureFixture[str], project: Path, slug: str) -> None:
    before = sorted(p.name for p in (project / "casestudies").iterdir())
    code, _, err = run(capsys, "--root", str(project), "new", "--", slug)  # `--`: "-lead" is no option
    assert code == 2
    assert "not a valid case id" in err
    assert sorted(p.name for p in (project / "casestudies").iterdir()) == before


def test_new_refuses_an_existing_folder(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    original = (project / "casestudies" / "sample-chatbot" / "case.yaml").read_bytes()
    code, _, err = run(capsys, "--root", str(project), "new", "sample-chatbot")
    assert code == 2 and "already exists" in err
    assert (project / "casestudies" / "sample-chatbot" / "case.yaml").read_bytes() == original
