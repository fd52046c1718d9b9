"""Shared fixtures: a tmp copy of the fixture corpus with a hostile case, built once per session."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from projects import CORPUS as FIXTURE

REPO = Path(__file__).resolve().parents[2]

HAND_WRITTEN = ["index.md", "about.md", "guide/adoption.md", "guide/methodology.md", "guide/contributing.md"]
EDIT_BASE = "https://git.example.org/casebook/edit/main/"

HOSTILE_TITLE = "</title><script>alert(1)</script> 攻撃 | {#x} *強調*"
HOSTILE_SUMMARY = "<img src=x onerror=alert(2)> [危険](javascript:alert(3)) 参照 R-HALLUCINATION"


def make_project(dest: Path, hostile: bool = True) -> Path:
    """A buildable project: the fixture corpus, the repo's mkdocs.yml and assets, stub hand-written pages."""
    shutil.copytree(FIXTURE, dest)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in re.findall(r"^\s*custom_dir:\s*['\"]?([^'\"\s#]+)", config, re.MULTILINE):
        if (REPO / folder).is_dir():  # theme overrides added by the search/QA work
            shutil.copytree(REPO / folder, dest / folder)
    shutil.copytree(REPO / "content" / "assets", dest / "content" / "assets")
    shutil.copy(REPO / "content" / "api.md", dest / "content" / "api.md")
    for name in HAND_WRITTEN:
        page = dest / "content" / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# {Path(name).stem}\n\n[事例](" + ("../" if "/" in name else "")
                        + "casestudies/index.md)\n", encoding="utf-8")
    if hostile:
        src = (dest / "casestudies" / "sample-chatbot" / "case.yaml").read_text(encoding="utf-8")
        case = dest / "casestudies" / "hostile-case"
        case.mkdir()
        src = src.replace("id: sample-chatbot", "id: hostile-case")
        src = src.replace("title: {ja: 問合せ対応チャットボット（試験用）, en: Inquiry chatbot (test)}",
                          f"title: {{ja: '{HOSTILE_TITLE}', en: Hostile}}")
        src = src.replace("provenance: sample", "provenance: pilot")
        src = src.replace("summary: {ja: 試験用の架空の事例。数値は測定結果ではない。}",
                          f"summary: {{ja: '{HOSTILE_SUMMARY}'}}")
        (case / "case.yaml").write_text(src, encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("project") / "proj")


@pytest.fixture(scope="session")
def built(project, tmp_path_factory) -> Path:
    """The real site, built once with --strict."""
    from casebook.mkdocs_build import build_site

    site_dir = tmp_path_factory.mktemp("site")
    old = os.environ.get("CASEBOOK_EDIT_BASE")
    os.environ["CASEBOOK_EDIT_BASE"] = EDIT_BASE
    try:
        build_site(project, site_dir, strict=True)
    finally:
        if old is None:
            os.environ.pop("CASEBOOK_EDIT_BASE", None)
        else:
            os.environ["CASEBOOK_EDIT_BASE"] = old
    return site_dir


@pytest.fixture(scope="session")
def corpus(project):
    from casebook.validate import validate

    result = validate(project)
    assert result.corpus is not None, result.report.diagnostics
    return result.corpus
