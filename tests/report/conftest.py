"""Shared, session-scoped renders: the report is rendered as few times as the tests allow."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
import yaml

from casebook.report import render_report
from casebook.validate import validate
from projects import CORPUS as FIXTURE
from projects import REPO

HOSTILE = [
    '<img src="file:///etc/hostname">',
    '<link rel=stylesheet href="http://127.0.0.1:9/evil.css">',
    '<style>body { background: url(file:///etc/hostname) }</style>',
    '<p style="background:url(file:///etc/hostname)">x</p>',
]


def pdftotext(pdf: Path, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        cmd.append("-layout")
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run([*cmd, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    """Text without any whitespace (pdftotext breaks lines and spaces where layout puts them)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def corpus():
    result = validate(FIXTURE)
    assert result.corpus is not None, [str(d) for d in result.report.errors]
    return result.corpus


@pytest.fixture(scope="session")
def rendered(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.pdf"
    info = render_report(corpus, out)
    return out, info


@pytest.fixture(scope="session")
def secret(tmp_path_factory) -> tuple[Path, str]:
    """A file outside every asset folder whose content must never reach a PDF."""
    path = tmp_path_factory.mktemp("outside") / "secret.txt"
    token = "SECRETTOKEN4711"
    path.write_text(token)
    return path, token


@pytest.fixture(scope="session")
def hostile_root(tmp_path_factory, secret) -> Path:
    """The fixture project with markup, fetches and styles written into a case study's text."""
    root = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(FIXTURE, root)
    case_file = root / "casestudies" / "sample-chatbot" / "case.yaml"
    data = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    secret_url = secret[0].as_uri()
    payload = " ".join([*HOSTILE, f'<img src="{secret_url}">', f"![秘密]({secret_url})", f"[秘密]({secret_url})"])
    data["summary"]["ja"] = "要約。" + payload
    data["title"]["ja"] = '<b style="color:red">悪意ある題名</b>'
    data["lessons"] = [{"ja": "教訓。" + HOSTILE[1]}]
    data["assessments"][0]["findings"]["ja"] = "所見。" + HOSTILE[3]
    data["images"] = [{"path": "figure.png", "alt": {"ja": "システム構成の図"}, "caption": {"ja": "構成図"}}]
    case_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _png(case_file.parent / "figure.png")
    return root


def _png(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 20), (31, 58, 95)).save(path, format="PNG")



@pytest.fixture(scope="session")
def shipped_corpus():
    result = validate(REPO)
    assert result.corpus is not None, [str(d) for d in result.report.errors]
    return result.corpus


@pytest.fixture(scope="session")
def shipped_pdf(shipped_corpus, tmp_path_factory):
    """The shipped content's report, rendered once for every test that reads the real PDF back."""
    out = tmp_path_factory.mktemp("shipped") / "report.pdf"
    info = render_report(shipped_corpus, out)
    return out, info


@dataclass
class PageText:
    """One page of a PDF as pdftotext places its words: lines top to bottom, and the page's size."""

    number: int
    width: float
    height: float
    lines: list[tuple[float, float, str]]  # (top, bottom, text) of each line, top to bottom, without spaces

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def page_texts(pdf: Path) -> list[PageText]:
    """Every page's lines with their vertical position (pdftotext -bbox-layout)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for n, (width, height, body) in enumerate(_PAGE.findall(out), start=1):
        lines = []
        found = []
        for x_min, y_min, y_max, inner in _LINE.findall(body):
            text = "".join(unescape(word) for word in _WORD.findall(inner))
            found.append((round(float(y_min)), float(x_min), float(y_min), float(y_max), text))
        lines: list[tuple[float, float, str]] = []
        for _, _, y0, y1, text in sorted(found):  # top to bottom, left to right
            if lines and abs(lines[-1][0] - y0) < 2:  # the same line, split where the layout left a gap
                lines[-1] = (lines[-1][0], max(lines[-1][1], y1), lines[-1][2] + text)
            else:
                lines.append((y0, y1, text))
        pages.append(PageText(n, float(width), float(height), lines))
    return pages


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', re.S)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>", re.S)
