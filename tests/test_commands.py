"""Build-level guards in casebook.commands that need no full build."""

from __future__ import annotations

import shutil

import pytest

from casebook.commands import check_chapters
from casebook.errors import RenderError
from casebook.report.html import DEFAULT_TEMPLATES
from casebook.validate import validate
from projects import CORPUS as FIXTURE
from projects import FIXTURES


def test_every_case_needs_a_pdf_chapter():
    corpus = validate(FIXTURE).corpus
    title = corpus.cases["sample-chatbot"].title.ja
    check_chapters(corpus, ["第1章 エグゼクティブサマリー", f"第3章 {title}"])
    with pytest.raises(RenderError, match="sample-chatbot"):
        check_chapters(corpus, ["第1章 エグゼクティブサマリー", "付録A 参照法令"])


def test_chapter_check_ignores_whitespace_and_needs_the_whole_title():
    corpus = validate(FIXTURE).corpus
    case = corpus.cases["sample-chatbot"]
    title = case.title.ja
    case.title = type(case.title)(title.replace("（", "  （"), case.title.en)  # double space, as YAML allows
    check_chapters(corpus, [f"第3章 {title.replace('（', ' （')}"])  # the PDF collapses whitespace
    case.title = type(case.title)("チャットボット", None)
    with pytest.raises(RenderError):  # a longer title containing it is another chapter
        check_chapters(corpus, ["第3章 新しいチャットボット"])


@pytest.mark.slow
def test_build_validates_once_and_strict_fails_on_pdf_warnings(tmp_path, monkeypatch, capsys):
    """`casebook build` reads and checks the records once (the site build reuses the corpus), and with
    --strict a WeasyPrint warning (here: an unknown CSS property in a project's report stylesheet) fails
    the build by name, leaving no site behind; without --strict the same build succeeds and shows it."""
    import importlib

    validate_module = importlib.import_module("casebook.validate")
    from casebook.cli import main
    from hostile.project import make_project  # a copy of the shipped publication

    root = make_project(tmp_path / "project")
    shutil.copytree(DEFAULT_TEMPLATES, root / "templates" / "report")  # the project's own copy, broken
    css = root / "templates" / "report" / "report.css"
    css.write_text(css.read_text(encoding="utf-8") + "\np { colr: red; }\n", encoding="utf-8")

    calls = []
    real = validate_module._validate
    monkeypatch.setattr(validate_module, "_validate", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert main(["--root", str(root), "build", "--strict"]) == 1
    assert "colr" in capsys.readouterr().err
    assert not (root / "site").exists()
    assert len(calls) == 1

    calls.clear()
    assert main(["--root", str(root), "build"]) == 0
    assert "colr" in capsys.readouterr().err
    assert (root / "site" / "report.pdf").is_file() and len(calls) == 1


# -- serve: the few lines a contributor needs --------------------------------------------------------------


def test_serve_log_is_a_few_lines() -> None:
    """A real `mkdocs serve` log (first build, one change, a rebuild: 237 lines) becomes six."""
    from casebook.commands import ServeLog

    log = (FIXTURES / "serve-mkdocs.log").read_text(encoding="utf-8").splitlines()
    assert len(log) > 200
    shown = ServeLog("ja")
    out = [text for line in log for text in shown.feed(line)]
    assert out == [
        "サイトを作っています…",
        "サイトを作りました（事例 3 件、128 ページ、26.09 秒）",
        "プレビュー: http://127.0.0.1:8845/  （Ctrl+C で終了）",
        "変更を検出しました。サイトを作り直しています…",
        "サイトを作りました（事例 3 件、128 ページ、39.79 秒）",
        "ブラウザを再読み込みしました",
    ]


def test_serve_log_keeps_every_warning_and_error_with_its_lines() -> None:
    from casebook.commands import ServeLog

    shown = ServeLog("en")
    lines = ["INFO    -  The following pages exist in the docs directory, but are not included in the nav:",
             "  - a.md",
             "ERROR   -  casebook: casestudies/x/case.yaml:3:9: error[enum]: `関西` は使えない値です",
             "  ヒント: 「関西」は `kinki` のことです。",
             "WARNING -  [14:00:01] a warning",
             "INFO    -  [14:00:02] Serving on http://127.0.0.1:8000/"]
    out = [text for line in lines for text in shown.feed(line)]
    assert out == ["casestudies/x/case.yaml:3:9: error[enum]: `関西` は使えない値です", lines[3], lines[4],
                   "preview: http://127.0.0.1:8000/  (Ctrl+C to stop)"]


def test_serve_log_of_a_failed_rebuild_says_what_to_do() -> None:
    """The lines MkDocs printed when a saved record had an error (casebook serve, 2026-12-04)."""
    from casebook.commands import ServeLog

    lines = ["INFO    -  [17:46:02] Detected file changes",
             "ERROR   -  casebook: the records have 1 error(s):",
             "casestudies/web-faq-chatbot/case.yaml:18:11: error[enum]: `関西` は使えない値です "
             "(項目 /institution/region)",
             "  ヒント: 「関西」は `kinki` のことです。YAML には表示名ではなくコード `kinki` を書いてください",
             "Aborted with a BuildError!",
             "ERROR   -  [17:46:10] An error happened during the rebuild. The server will appear stuck until build "
             "errors are resolved."]
    shown = ServeLog("ja")
    assert [text for line in lines for text in shown.feed(line)] == [
        "変更を検出しました。サイトを作り直しています…",
        "記録にエラーが 1 件あるため、サイトを作り直せませんでした:",
        lines[2], lines[3],
        "ブラウザには前の版を表示したままです。エラーを直して保存すると、自動で作り直します",
    ]
