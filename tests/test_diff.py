"""`casebook diff` and the edition history: records added, removed and changed between two git refs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from casebook.cli import main
from casebook.diff import compare, diff_against_ref, edition_history, records
from casebook.model import EditionEntry, Text
from projects import CORPUS as FIXTURE


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "edition 1.0")
    _git(root, "tag", "v1.0")
    case = root / "casestudies" / "sample-chatbot" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("after: 0.03", "after: 0.02"), encoding="utf-8")
    glossary = root / "content" / "catalog" / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + (
        "  - id: llm\n    term: {ja: 大規模言語モデル, en: Large language model}\n"
        "    definition: {ja: 大量の文章で学習した言語モデル。}\n"), encoding="utf-8")
    return root


def test_field_level_changes_since_a_tag(repo: Path):
    changes = {(c.kind, c.id): c for c in diff_against_ref(repo, "v1.0")}
    assert changes[("glossary", "llm")].status == "added"
    case = changes[("casestudy", "sample-chatbot")]
    assert case.status == "changed"
    assert [(f.path, f.old, f.new) for f in case.fields] == [
        ("assessments/R-HALLUCINATION/evaluations/hallucination-rate/after", 0.03, 0.02)]
    assert len(changes) == 2  # nothing else moved


def test_removed_records_are_listed(repo: Path):
    old = records(repo)
    new = {k: v for k, v in old.items() if k != ("risks", "R-HALLUCINATION")}
    assert [(c.status, c.id) for c in compare(old, new)] == [("removed", "R-HALLUCINATION")]


def test_edition_history_uses_the_previous_editions_ref(repo: Path):
    editions = [EditionEntry("1.1", "2026-12-01", Text("改訂")), EditionEntry("1.0", "2026-01-31", Text("初版"),
                                                                                  ref="v1.0")]
    current, first = edition_history(repo, editions)
    assert (current.count("added"), current.count("changed"), current.count("removed")) == (1, 1, 0)
    assert first.previous is None and first.changes is None
    no_ref = edition_history(repo, [editions[0], EditionEntry("1.0", "2026-01-31", Text("初版"))])
    assert no_ref[0].changes is None


def test_cli_diff_exit_codes(repo: Path, capsys):
    assert main(["--root", str(repo), "diff", "v1.0"]) == 0
    out = capsys.readouterr().out
    assert "+ glossary llm" in out and "~ casestudy sample-chatbot" in out
    assert main(["--root", str(repo), "diff", "no-such-ref"]) == 2
