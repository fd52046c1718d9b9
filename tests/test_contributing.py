"""CONTRIBUTING.md and the tool agree: its YAML examples pass the validator, its sample output is what the
validator prints, and the codes it names are registered."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from casebook import messages, schema
from casebook.cli import main
from casebook.load import Document, load_text
from projects import CORPUS

ROOT = Path(__file__).parents[1]
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
SAMPLE = CORPUS / "casestudies" / "sample-chatbot" / "case.yaml"


def blocks(language: str) -> list[str]:
    """The fenced blocks of one language (indented ones inside list items too), without their indent."""
    out = []
    for m in re.finditer(rf"^( *)```{language}\n(.*?)^\1```", GUIDE, re.MULTILINE | re.DOTALL):
        indent = len(m.group(1))
        out.append("".join(line[indent:] for line in m.group(2).splitlines(keepends=True)))
    return out


@pytest.fixture(autouse=True)
def _neutral_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def test_the_guide_has_yaml_examples() -> None:
    assert len(blocks("yaml")) >= 3


@pytest.mark.parametrize("example", blocks("yaml"))
def test_each_yaml_example_is_valid_in_a_case_study(example: str) -> None:
    """Each example is read without a diagnostic and, put into a valid case study, passes the schema."""
    if all(line.startswith("#") for line in example.splitlines() if line.strip()):
        return  # the editor's schema line, a comment
    doc = load_text(example, Document(Path("example.yaml")))
    assert doc.diagnostics == [], [d.text() for d in doc.diagnostics]
    if not isinstance(doc.data, dict):
        return  # a comment line only (the editor's schema line)
    case = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    for key, value in doc.data.items():
        case[key] = {**case[key], **value} if isinstance(value, dict) and isinstance(case.get(key), dict) else value
    whole = load_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), Document(Path("case.yaml")))
    schema.check(whole, "casestudy")
    assert whole.diagnostics == [], [d.text() for d in whole.diagnostics]


def test_the_sample_output_is_what_the_validator_prints(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The guide's `kansai` example: the message and hint it shows are the validator's, word for word."""
    sample = next(b for b in blocks("text") if "error[enum]" in b).splitlines()
    root = tmp_path / "project"
    shutil.copytree(CORPUS, root)
    case = root / "casestudies" / "sample-chatbot" / "case.yaml"
    case.write_text(re.sub(r"region: [a-z-]+", "region: kansai", case.read_text(encoding="utf-8")),
                    encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["validate", "casestudies/sample-chatbot"]) == 1
    out = capsys.readouterr().out.splitlines()
    # the place differs (the guide's case is another file); from the code on, the lines are the same
    assert [re.sub(r"^\S+:\d+:\d+: ", "", line) for line in out] == \
        [re.sub(r"^\S+:\d+:\d+: ", "", line) for line in sample]


def test_the_ok_line_is_what_the_validator_prints(capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shown = next(b for b in blocks("text") if "問題なし" in b).splitlines()
    monkeypatch.chdir(CORPUS)
    assert main(["validate", "casestudies/sample-chatbot"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [re.sub(r"\d+", "N", line) for line in err] == [re.sub(r"\d+", "N", line) for line in shown]


def test_every_code_the_guide_names_is_registered() -> None:
    named = set(re.findall(r"(?:error|warning)\[([a-z0-9-]+)\]", GUIDE)) - {"code"}
    table = GUIDE[GUIDE.index("| コード | 意味 | 直し方 |"):].split("\n\n", 1)[0]
    for row in table.splitlines()[2:]:
        named |= set(re.findall(r"`([a-z0-9-]+)`", row.split("|")[1]))
    assert named - set(messages.registry()) == set()
    assert {"fullwidth-colon", "japanese-date", "path-missing", "named-risk-missing", "enum"} <= named
