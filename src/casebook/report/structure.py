"""The report's structure: which chapters and appendices, in which order, and the editor's own chapters.

The publication record (``publication.report``) lists the body chapters and the appendices by name. A
name is either a part Casebook generates from the records (``summary``, ``cases``, ``policy`` …) or an
editor-written chapter: the Markdown file ``content/report/<name>.md``, whose first line ``# 題`` is the
chapter title. In the editor's text, ``[[ref:ID]]`` refers to a chapter, clause or record (see
:mod:`casebook.render.xref`) and a line ``[[insert:NAME]]`` places a block generated from the records
(the participating institutions, the period) — so the editor writes the prose and the figures stay true.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import markdown as _markdown

from ..diagnostics import Diagnostic
from ..errors import Location
from ..model import Corpus

TEXT_DIR = Path("content") / "report"

#: Generated body chapters: name → (anchor, title). ``cases`` is one chapter per case study; the policy
#: chapter takes the policy's own title.
GENERATED_CHAPTERS: dict[str, tuple[str, str]] = {
    "summary": ("ch-summary", "結果の概要"),
    "methodology": ("ch-method", "評価の方法"),
    "cases": ("", ""),
    "analysis": ("ch-analysis", "事例横断分析"),
    "policy": ("ch-policy", ""),
}
#: Generated appendices: name → (anchor, title).
GENERATED_APPENDICES: dict[str, tuple[str, str]] = {
    "unverified": ("app-unverified", "未確認事項一覧"),
    "provisions": ("app-provisions", "参照法令・規定一覧"),
    "checklist": ("app-checklist", "導入チェックリスト"),
    "glossary": ("app-glossary", "用語集"),
    "editions": ("app-editions", "改訂履歴"),
    "crosswalk": ("app-crosswalk", "外部の枠組みとの対応"),
    "comparison": ("app-comparison", "新旧対照表"),
}
#: Blocks an editor's chapter may place with a line ``[[insert:NAME]]`` (templates/report/insert-NAME.html.j2).
INSERTS = ("participants", "period", "scale", "risks", "policy-outline", "named-risks", "key-results")

#: A note the editor leaves in a draft chapter: ``[[check:本文の数字を確認する]]``. Shown as 要確認 in the
#: draft; ``casebook build --final`` refuses while one remains.
CHECK = re.compile(r"\[\[check:([^\[\]\n]{1,200})\]\]")
INSERT = re.compile(r"^\[\[insert:([^\[\]\s]{1,40})\]\]\s*$", re.MULTILINE)
_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$")


@dataclass(frozen=True)
class TextChapter:
    """An editor-written chapter: its name, title and Markdown body (without the title line)."""

    name: str
    title: str
    body: str
    path: Path

    @property
    def anchor(self) -> str:
        return f"ch-{self.name}"


def text_path(root: Path, name: str) -> Path:
    return root / TEXT_DIR / f"{name}.md"


def read_text_chapter(root: Path, name: str) -> TextChapter | None:
    path = text_path(root, name)
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").removeprefix("\ufeff").splitlines()
    title_match = _TITLE.match(lines[0]) if lines else None
    if title_match is None:
        return None
    return TextChapter(name, title_match.group(1), "\n".join(lines[1:]).strip() + "\n", path)


def check_notes(root: Path, names: tuple[str, ...]) -> list[tuple[Path, int, str]]:
    """(file, line, text) of every ``[[check:…]]`` left in the editor's chapters."""
    out: list[tuple[Path, int, str]] = []
    for name in names:
        path = text_path(root, name)
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for m in CHECK.finditer(text):
                out.append((path, text.count("\n", 0, m.start()) + 1, m.group(1)))
    return out


def report_ids(corpus: Corpus) -> set[str]:
    """The anchors of the report's chapters and appendices (what ``[[ref:ch-…]]`` may name)."""
    layout = corpus.publication.report
    ids = {GENERATED_CHAPTERS[n][0] for n in layout.chapters if n in GENERATED_CHAPTERS and n != "cases"}
    ids |= {f"ch-{n}" for n in layout.chapters if n not in GENERATED_CHAPTERS}
    ids |= {GENERATED_APPENDICES[n][0] for n in layout.appendices if n in GENERATED_APPENDICES}
    return ids


def check_layout(corpus: Corpus, publication_path: Path | None,
                 locate: Callable[[tuple[str | int, ...]], Location] | None = None) -> list[Diagnostic]:
    """Every name in ``publication.report`` is a generated part or an existing chapter file, once.

    ``locate`` gives the line and column of a value in the publication record (``Document.location``); without
    it every problem is placed on the ``report:`` line."""
    layout = corpus.publication.report
    out: list[Diagnostic] = []
    start = Location(publication_path or corpus.root / "content" / "catalog", _line_of(publication_path), 1)
    seen: set[str] = set()
    for group, names, generated in (("chapters", layout.chapters, GENERATED_CHAPTERS),
                                    ("appendices", layout.appendices, GENERATED_APPENDICES)):
        field = f"/publication/report/{group}"
        for i, name in enumerate(names):
            where = locate(("publication", "report", group, i)) if locate else start
            if name in seen:
                out.append(Diagnostic(where, "report-layout", {"name": name, "problem": "twice"}, field=f"{field}/{i}",
                                      variant="twice"))
            seen.add(name)
            if name in generated:
                continue
            if group == "appendices":
                out.append(Diagnostic(where, "report-layout", {"name": name, "problem": "appendix",
                                                                "choices": ", ".join(GENERATED_APPENDICES)},
                                      field=f"{field}/{i}", variant="appendix"))
                continue
            path = text_path(corpus.root, name)
            if not path.is_file():
                out.append(Diagnostic(where, "report-layout",
                                      {"name": name, "problem": "no file", "choices": ", ".join(GENERATED_CHAPTERS),
                                       "path": str(TEXT_DIR / f"{name}.md")}, field=f"{field}/{i}",
                                      variant="chapter"))
            elif read_text_chapter(corpus.root, name) is None:
                out.append(Diagnostic(Location(path, 1, 1), "report-layout", {"name": name, "problem": "no title"},
                                      variant="title"))
    return out


def check_inserts(path: Path) -> list[Diagnostic]:
    """``[[insert:NAME]]`` lines that name no generated block."""
    out: list[Diagnostic] = []
    text = path.read_text(encoding="utf-8")
    for m in INSERT.finditer(text):
        if m.group(1) not in INSERTS:
            line = text.count("\n", 0, m.start()) + 1
            out.append(Diagnostic(Location(path, line, 1), "unknown-insert",
                                  {"name": m.group(1), "choices": ", ".join(INSERTS)}))
    return out


def _line_of(path: Path | None) -> int:
    if path is None or not path.is_file():
        return 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith("report:"):
            return number
    return 1


# -- rendering an editor's chapter -------------------------------------------------------------------------
_INSERT_MARK = "\ue002{}\ue003"
_INSERT_BACK = re.compile("(?:<p>)?\ue002([a-z-]+)\ue003(?:</p>)?")  # names may have hyphens (policy-outline)
_H2 = re.compile(r"<h2>")


@lru_cache(maxsize=1)
def _md() -> _markdown.Markdown:
    """Markdown for the editor's chapters: paragraphs, lists, tables, emphasis, headings; no raw HTML."""
    md = _markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def text_html(chapter: TextChapter, refs, insert) -> str:
    """The chapter body as HTML: references resolved by ``refs``, ``[[insert:…]]`` by ``insert(name)``."""
    from ..render import xref

    body = chapter.body.replace("\ue002", "\ufffd").replace("\ue003", "\ufffd")
    body = body.replace("\ue004", "\ufffd").replace("\ue005", "\ufffd")
    body = INSERT.sub(lambda m: _INSERT_MARK.format(m.group(1)), body)
    body = body.replace("<", "&lt;")  # no raw HTML from a content file
    notes: list[str] = []

    def note(m: re.Match) -> str:
        notes.append(m.group(1))
        return f"\ue004{len(notes) - 1}\ue005"

    body = CHECK.sub(note, body)
    body, found = xref.protect(body)
    md = _md()
    md.reset()
    out = xref.restore(md.convert(body), found, refs)
    out = re.sub("\ue004(\\d+)\ue005", lambda m: '<span class="check-marker"><span class="tag warn">要確認</span>'
                 f"{html.escape(notes[int(m.group(1))])}</span>", out)
    out = out.replace("<h1>", "<h2>").replace("</h1>", "</h2>")  # one chapter per file: its title is the h1
    counter = iter(range(1, 1000))
    out = _H2.sub(lambda _m: f'<h2 id="{chapter.anchor}-s{next(counter)}">', out)
    return _INSERT_BACK.sub(lambda m: insert(m.group(1)), out)
