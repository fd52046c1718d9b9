"""The contributor kit's machine-readable files are valid: the GitHub workflow and issue form against the
JSON Schemas that check-jsonschema vendors (offline), the pre-commit manifest and config, and the workflow's
security and pinning rules."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
ISSUE_FORMS = sorted(p for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.y*ml") if p.stem != "config")
HOOKS = ROOT / ".pre-commit-hooks.yaml"
PRECOMMIT_CONFIG = ROOT / ".pre-commit-config.yaml"

needs_check_jsonschema = pytest.mark.skipif(
    importlib.util.find_spec("check_jsonschema") is None,
    reason="check-jsonschema is not installed (pip install check-jsonschema); it vendors the GitHub schemas",
)
needs_pre_commit = pytest.mark.skipif(
    importlib.util.find_spec("pre_commit") is None,
    reason="pre-commit is not installed (pip install pre-commit)",
)


def _check_jsonschema(builtin: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    # --builtin-schema uses the copy shipped inside the package: no network.
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", builtin,
                           *map(str, files)], capture_output=True, text=True, timeout=120)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _on(workflow: dict):
    # YAML 1.1 (PyYAML) reads the bare key `on` as True.
    return workflow.get("on", workflow.get(True))


def test_files_exist():
    assert WORKFLOWS, "no workflow in .github/workflows"
    assert ISSUE_FORMS, "no issue form in .github/ISSUE_TEMPLATE"
    assert (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").is_file()
    assert (ROOT / "CONTRIBUTING.md").is_file()


@needs_check_jsonschema
def test_workflows_match_github_schema():
    done = _check_jsonschema("vendor.github-workflows", WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


@needs_check_jsonschema
def test_issue_forms_match_github_schema():
    done = _check_jsonschema("vendor.github-issue-forms", ISSUE_FORMS)
    assert done.returncode == 0, done.stdout + done.stderr


@needs_check_jsonschema
def test_schema_check_rejects_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: x\n    stepz: []\n", encoding="utf-8")
    assert _check_jsonschema("vendor.github-workflows", [bad]).returncode != 0


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_safe_and_pinned(path):
    wf = _load(path)
    on = _on(wf)
    triggers = on if isinstance(on, (dict, list)) else [on]
    assert "pull_request_target" not in triggers, "pull_request_target would expose secrets to fork code"
    assert wf.get("permissions") == {"contents": "read"}, "keep the token read-only"
    for job_id, job in wf["jobs"].items():
        assert "permissions" not in job or job["permissions"] == {"contents": "read"}, job_id
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), \
                    f"{step['uses']}: pin actions by major version (owner/name@vN)"
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False


def test_pr_workflow_does_what_reviewers_need():
    wf = _load(ROOT / ".github" / "workflows" / "pr.yml")
    assert "pull_request" in _on(wf)
    steps = wf["jobs"]["check"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    uses = [s.get("uses", "") for s in steps]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"
    for pkg in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-noto-cjk", "poppler-utils"):
        assert pkg in runs, pkg
    assert "pip install -e '.[test]'" in runs
    assert "casebook validate --strict --format github" in runs
    assert "casebook build --strict" in runs
    assert runs.index("casebook validate") < runs.index("casebook build")
    uploads = [s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert set(uploads) == {"site/", "site/report.pdf"}
    assert all(u.split("@")[0] in {"actions/checkout", "actions/setup-python", "actions/upload-artifact"}
               for u in uses if u), "only first-party actions"


def test_issue_form_asks_what_the_editors_need():
    form = _load(ROOT / ".github" / "ISSUE_TEMPLATE" / "case-study.yml")
    labels = {item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"}
    for want in ("業態", "地域ブロック", "サービスの概要", "構成パターン", "実証の段階", "名称公表の同意の有無"):
        assert want in labels, want
    region = next(i for i in form["body"] if i.get("id") == "region")
    assert any("非公表" in o for o in region["attributes"]["options"])
    boxes = [i for i in form["body"] if i["type"] == "checkboxes"]
    assert boxes and all(o["required"] for b in boxes for o in b["attributes"]["options"])
    assert any("個人情報" in o["label"] for b in boxes for o in b["attributes"]["options"])


def test_issue_form_options_match_the_vocabularies():
    """Each option reads `value: 表示名`, with the record value the schema allows and the site's label for it."""
    from casebook.checks import enum_values

    labels = _load(ROOT / "content" / "catalog" / "vocabularies.yaml")["vocabularies"]
    form = _load(ROOT / ".github" / "ISSUE_TEMPLATE" / "case-study.yml")
    by_id = {i.get("id"): i for i in form["body"]}
    for field, vocab in (("institution-type", "institution_type"), ("region", "region"),
                         ("patterns", "pattern"), ("provenance", "provenance")):
        options = by_id[field]["attributes"]["options"]
        values = [o.split(": ", 1)[0] for o in options]
        assert sorted(values) == sorted(enum_values(vocab)), field
        for option, value in zip(options, values, strict=True):
            assert option == f"{value}: {labels[vocab][value]['ja']}", option


def _console_scripts() -> set[str]:
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"])
    installed = {ep.name for ep in metadata.entry_points(group="console_scripts")}
    return declared & installed if installed else declared


def test_pre_commit_hooks_manifest():
    hooks = _load(HOOKS)
    assert isinstance(hooks, list)
    hook = next(h for h in hooks if h["id"] == "casebook-validate")
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    command, *args = hook["entry"].split()
    assert command in _console_scripts(), f"entry `{command}` is not a console script of this package"
    assert args == ["validate"]
    files = re.compile(hook["files"])
    for path in ("casestudies/web-faq/case.yaml", "content/catalog/risks.yaml", "case.yaml"):
        assert files.search(path), path
    for path in ("README.md", "content/guide/contributing.md", "src/casebook/scaffold/case.yaml.bak",
                 "content/catalog/sub/x.txt"):
        assert not files.search(path), path


def test_own_pre_commit_config():
    config = _load(PRECOMMIT_CONFIG)
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert "ruff" in hooks
    local = hooks["casebook-validate"]
    assert local["entry"] == _load(HOOKS)[0]["entry"]
    assert local["files"] == _load(HOOKS)[0]["files"]


@needs_pre_commit
def test_pre_commit_accepts_manifest_and_config():
    for sub, path in (("validate-manifest", HOOKS), ("validate-config", PRECOMMIT_CONFIG)):
        done = subprocess.run([sys.executable, "-m", "pre_commit", sub, str(path)], capture_output=True,
                              text=True, timeout=120, cwd=ROOT)
        assert done.returncode == 0, done.stdout + done.stderr


def test_contributing_names_only_real_commands_and_options():
    """Every `casebook …` command line quoted in CONTRIBUTING.md parses with the real CLI."""
    import shlex

    from casebook.cli import _parser

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    lines = set(re.findall(r"`(casebook [^`]+)`", text))
    lines |= {m.split("#")[0].strip() for m in re.findall(r"^(casebook [^\n]+)$", text, re.M)}
    assert any(ln.startswith("casebook validate") for ln in lines)
    for line in sorted(lines):
        argv = [a for a in shlex.split(line.replace("<ID>", "x").replace("<id>", "x"))[1:] if "…" not in a]
        if argv in (["--help"], []) or argv[0].endswith(":"):  # help, or the command's own output quoted
            continue
        if len(argv) == 1:  # a command named in prose (`casebook new`): the sub-command must exist
            assert argv[0] in _parser()._subparsers._group_actions[0].choices, line
            continue
        try:
            _parser().parse_args(argv)
        except SystemExit as exc:
            pytest.fail(f"CONTRIBUTING.md quotes `{line}`, which the CLI rejects ({exc.code})")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_gives_pull_requests_no_secrets_and_no_write_access(path):
    """A contribution is validated and built with a read-only token and nothing secret (issue 19 item 7).

    Beyond test_workflow_is_safe_and_pinned: no trigger that runs with the base repository's rights
    (pull_request_target, workflow_run), no secret or token named anywhere, no expression from the event
    (titles, branch names, bodies a contributor writes) inside a shell script, where it would be code.
    """
    text = path.read_text(encoding="utf-8")
    wf = _load(path)
    on = _on(wf)
    triggers = set(on) if isinstance(on, (dict, list)) else {on}
    assert not triggers & {"pull_request_target", "workflow_run"}, triggers
    assert "secrets." not in text and "GITHUB_TOKEN" not in text and "github.token" not in text
    for job in wf["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), f"expression in a script: {step.get('name')}"
            assert "github.event" not in str(step.get("env", {})), f"event data in env: {step.get('name')}"
    assert wf.get("permissions") == {"contents": "read"}
