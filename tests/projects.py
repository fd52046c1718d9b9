"""Where the tests' inputs live, and the three kinds of project a test copies to a tmp folder.

- :func:`fixture_copy`: the small fixture corpus (validation and model tests);
- ``site/conftest.py``'s ``make_project``: the fixture corpus made buildable (the repo's ``mkdocs.yml``,
  theme overrides, stub hand-written pages) with a hostile case study added (site tests);
- :func:`shipped_copy`: the real publication (content, overrides, ``mkdocs.yml``, case studies).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
CORPUS = FIXTURES / "corpus"
SHIPPED = ["content", "overrides", "mkdocs.yml", "casestudies"]


def fixture_copy(tmp: Path, files: dict[str, Path] | None = None) -> Path:
    """The fixture corpus at ``tmp/project``, with ``files`` (project path → source file) added or replaced."""
    root = tmp / "project"
    shutil.copytree(CORPUS, root)
    for dest, src in (files or {}).items():
        target = root / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    return root


def shipped_copy(dest: Path) -> Path:
    """A copy of the publication at ``dest`` (which must not exist)."""
    dest.mkdir(parents=True)
    for name in SHIPPED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, symlinks=True)
        else:
            shutil.copy2(src, dest / name)
    return dest


def tag_first_edition(root: Path, tag: str = "v1.0") -> None:
    """Make ``root`` a git repository whose one commit, tagged ``tag``, is the edition the tests change next
    (the 新旧対照表 and changelog compare the work tree with that ref)."""
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root), "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "edition 1.0"], ["tag", tag]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)
