"""The 概要版: a short summary PDF (2–6 pages) built from the same records and the editor's summary text.

The editor writes ``content/report/overview.md`` (title line, then sections); its ``[[insert:…]]`` lines
place the same generated blocks as the main report (the scale of the evaluation, the key results, the
policy's outline), and its ``[[ref:…]]`` references point into the main report (本編第9章 …), which this
document does not contain, so they are text without a link. The template closes with a guide to the main
report's chapters. Tagged PDF/UA-1 like the main report, and rendered through the same locked-down fetcher.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..errors import RenderError
from ..model import Corpus, Text
from ..render.xref import Target
from .html import DEFAULT_TEMPLATES, STYLESHEET, Plan, environment, resource, templates_dir
from .pdf import _atomic, check_variant, render_pdf
from .structure import read_text_chapter, text_html

OVERVIEW_TEXT = "overview"
OVERVIEW_TEMPLATE = "overview.html.j2"
OVERVIEW_STYLESHEET = "overview.css"
FILE_NAME = "report-summary.pdf"
MAX_PAGES = 6
MAIN_REPORT = "本編"  # how the summary names the full report in its references
_NUMBERED = re.compile(r"第|付録|[0-9]")


@dataclass(frozen=True)
class OverviewInfo:
    """What a render of the 概要版 produced."""

    path: Path
    pages: int
    sha256: str
    warnings: list[str]


@dataclass(frozen=True)
class GuideEntry:
    """One line of the guide to the main report: 「第5章〜第7章　事例ごとの評価（3事例）」."""

    number: str
    title: str


def has_overview(corpus: Corpus) -> bool:
    return read_text_chapter(corpus.root, OVERVIEW_TEXT) is not None


def publication_title(corpus: Corpus) -> Text:
    """The title the main report carries on its cover and in its metadata."""
    pub = corpus.publication
    return getattr(pub, "report_title", None) or pub.title


def guide(plan: Plan) -> list[GuideEntry]:
    """The main report's chapters and appendices in order, its case-study chapters as one line."""
    out: list[GuideEntry] = []
    cases = [c for c in plan.chapters if c.kind == "case"]
    for chapter in plan.chapters:
        if chapter.kind != "case":
            out.append(GuideEntry(chapter.number, chapter.title))
        elif chapter is cases[0]:
            number = chapter.number if len(cases) == 1 else f"{chapter.number}〜{cases[-1].number}"
            out.append(GuideEntry(number, f"事例ごとの評価（{len(cases)}事例）"))
    return out


def overview_templates(root: Path) -> Path:
    """The project's report templates when they include the 概要版, otherwise Casebook's (a project that
    copied its templates before the 概要版 existed still gets one, styled as Casebook ships it)."""
    folder = templates_dir(root)
    return folder if (folder / OVERVIEW_TEMPLATE).is_file() else DEFAULT_TEMPLATES


def overview_html(corpus: Corpus, folder: Path | None = None) -> str:
    folder = folder or overview_templates(corpus.root)
    chapter = read_text_chapter(corpus.root, OVERVIEW_TEXT)
    if chapter is None:
        raise RenderError(f"no summary text: write content/report/{OVERVIEW_TEXT}.md (first line `# 概要`)")
    plan = Plan(corpus)
    env = environment(folder, plan)

    def in_main_report(ident: str) -> Target | None:
        """A reference as the main report numbers it, without a link (this document does not contain it)."""
        target = plan.target(ident)
        if target is None:
            return None
        numbered = _NUMBERED.match(target.number) is not None  # 第9章, 9.2節, 付録B; a clause keeps its id
        number = f"{MAIN_REPORT}{target.number}" if numbered else target.number
        return Target(number, target.title, None)

    try:
        text = text_html(chapter, in_main_report, env.globals["insert"])
        template = env.get_template(OVERVIEW_TEMPLATE)
        return template.render(corpus=corpus, plan=plan, pub=corpus.publication, counts=plan.counts,
                               title=publication_title(corpus), guide=guide(plan), text=Markup(text))  # noqa: S704
    except jinja2.TemplateError as exc:
        raise RenderError(f"概要版 template error: {exc} ({getattr(exc, 'filename', None) or folder})") from exc


def render_overview(corpus: Corpus, output: Path, variant: str | None = "pdf/ua-1") -> OverviewInfo:
    """Write the 概要版 to ``output`` (atomically). Refuses a summary longer than MAX_PAGES."""
    variant = check_variant(variant)
    folder = overview_templates(corpus.root)
    html = overview_html(corpus, folder)
    sheets = [folder / STYLESHEET, resource(folder, OVERVIEW_STYLESHEET)]
    with _atomic(Path(output)) as tmp:
        layout = render_pdf(html, tmp, base=corpus.root, stylesheets=sheets, folders=[folder], variant=variant)
        if layout.pages > MAX_PAGES:
            raise RenderError(f"the 概要版 has {layout.pages} pages; keep content/report/{OVERVIEW_TEXT}.md "
                              f"within {MAX_PAGES} A4 pages")
    digest = hashlib.sha256(Path(output).read_bytes()).hexdigest()
    return OverviewInfo(Path(output), layout.pages, digest, layout.warnings)
