"""Helpers of the hostile-input suite: a tmp copy of the real project, the CLI, and readers of the output.

Every hostile record goes through the same path as a pull request would: ``casebook validate`` and
``casebook build --strict`` on a copy of this repository's content, templates, theme overrides,
``mkdocs.yml`` and shipped case studies.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from projects import shipped_copy

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_CASE = "sample-rag-inquiry-chatbot"
make_project = shipped_copy  # the hostile suite's name for a copy of the publication


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # the loader refuses aliases; write every value out
        return True


def shipped_case(name: str = TEMPLATE_CASE) -> dict:
    return yaml.safe_load((REPO / "casestudies" / name / "case.yaml").read_text(encoding="utf-8"))


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)


def write_case(root: Path, folder: str, data: dict | str) -> Path:
    path = root / "casestudies" / folder / "case.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else dump(data), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line of ``path`` containing ``needle``."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


# -- the CLI ----------------------------------------------------------------------------------------

@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float = 0.0

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def cli(*args: str | Path) -> Run:
    """``casebook ARGS`` in this process (fast; for runs that stop at validation)."""
    from casebook.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return Run(code, out.getvalue(), err.getvalue())


def cli_subprocess(*args: str | Path, timeout: float = 300, memory: int | None = None) -> Run:
    """``casebook ARGS`` in a child process, optionally with an address-space limit (bytes)."""
    import time

    def limit() -> None:
        if memory:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "casebook.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, preexec_fn=limit if memory else None)
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def diagnostics(root: Path) -> list[dict]:
    """Every diagnostic of ``casebook validate --format json`` (paths relative to ``root``)."""
    run = cli("--root", root, "validate", "--format", "json")
    return json.loads(run.stdout) if run.stdout.strip() else []


def refused(root: Path, site: Path) -> Run:
    """``casebook build --strict`` must refuse the project (exit 1) and write nothing."""
    run = cli("--root", root, "build", "--strict", "--site-dir", site)
    assert run.code == 1, run.output
    assert not site.exists(), "a refused build must not create the site folder"
    assert not [p for p in site.parent.iterdir() if p.name.startswith(f".{site.name}-")], "staging left behind"
    return run


# -- reading the output -----------------------------------------------------------------------------

URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background",
             "ping", "cite", "manifest"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""


@dataclass
class Html:
    elements: list[Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @property
    def plain(self) -> str:
        return "".join(self.text)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html = Html()
        self._raw: Element | None = None  # the open <script> or <style>

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.html.elements.append(element)
        if tag in ("script", "style"):
            self._raw = element

    def handle_startendtag(self, tag, attrs):
        self.html.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if self._raw is not None and tag == self._raw.tag:
            self._raw = None

    def handle_data(self, data):
        if self._raw is not None:
            self._raw.text += data
        else:
            self.html.text.append(data)


def parse(markup: str) -> Html:
    p = _Parser()
    p.feed(markup)
    p.close()
    return p.html


def _squeeze_url(value: str) -> str:
    # Browsers drop ASCII whitespace and control characters inside a scheme ("java\tscript:")
    return re.sub(r"[\x00-\x20]+", "", value).lower()


def live_markup(page: Html, where: str) -> list[str]:
    """Everything in ``page`` that would run, fetch or navigate because of record text.

    The theme's own scripts and styles are recognised by what they are (local files, no payload);
    anything else is reported.
    """
    problems = []
    for el in page.elements:
        for name, value in el.attrs.items():
            if name.startswith("on"):
                problems.append(f"{where}: <{el.tag} {name}={value!r}>")
            if name in URL_ATTRS and value and _squeeze_url(value).startswith(DANGEROUS_SCHEMES):
                problems.append(f"{where}: <{el.tag} {name}={value[:80]!r}>")
            if name == "style" and value and re.search(r"url\s*\(|expression\s*\(|@import|</", value, re.I):
                problems.append(f"{where}: <{el.tag} style={value[:80]!r}>")
        if el.tag in FORBIDDEN_TAGS:
            problems.append(f"{where}: <{el.tag}>")
        if el.tag == "meta" and (el.attrs.get("http-equiv") or "").lower() == "refresh":
            problems.append(f"{where}: <meta http-equiv=refresh>")
        if el.tag in ("script", "style") and re.search(r"alert|XSS|/etc/|url\(\s*['\"]?(?:http|file)",
                                                       el.text, re.I):
            problems.append(f"{where}: <{el.tag}> holding {el.text[:80]!r}")
        if el.tag == "script" and el.attrs.get("src") and re.match(r"(?i)\s*(?:[a-z]+:|//)", el.attrs["src"]):
            problems.append(f"{where}: <script src={el.attrs['src']!r}>")
        if el.tag in ("img", "link", "source", "video", "audio") and re.match(
                r"(?i)\s*(?:[a-z]+:|//|/etc/|(?:\.\./)+etc/)", el.attrs.get("src") or el.attrs.get("href") or ""):
            problems.append(f"{where}: <{el.tag}> fetching {el.attrs.get('src') or el.attrs.get('href')!r}")
    return problems


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def squash(text: str) -> str:
    """Text without whitespace (pdftotext breaks lines where the layout does)."""
    return re.sub(r"\s+", "", text)
