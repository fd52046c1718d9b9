"""The 概要版: a short summary PDF (2–6 pages) built from the same records and the editor's summary text.

The editor writes ``content/report/overview.md`` (title line, then sections); its ``[[insert:…]]`` lines
place the same generated blocks as the main report (the scale of the evaluation, the results by risk, the
policy's outline). Tagged PDF/UA-1 like the main report.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from markupsafe import Markup

from ..errors import RenderError
from ..model import Corpus
from .html import STYLESHEET, Plan, environment, resource, templates_dir
from .pdf import _atomic, check_variant, render_pdf
from .structure import read_text_chapter, text_html

OVERVIEW_TEXT = "overview"
OVERVIEW_TEMPLATE = "overview.html.j2"
OVERVIEW_STYLESHEET = "overview.css"
FILE_NAME = "report-summary.pdf"
MAX_PAGES = 6


def has_overview(corpus: Corpus) -> bool:
    return read_text_chapter(corpus.root, OVERVIEW_TEXT) is not None


def overview_html(corpus: Corpus, folder: Path | None = None) -> str:
    folder = folder or templates_dir(corpus.root)
    chapter = read_text_chapter(corpus.root, OVERVIEW_TEXT)
    if chapter is None:
        raise RenderError(f"no summary text: write content/report/{OVERVIEW_TEXT}.md (first line `# 概要`)")
    plan = Plan(corpus)
    env = environment(folder, plan)
    text = text_html(chapter, plan.target, env.globals["insert"])
    template = env.get_template(OVERVIEW_TEMPLATE)
    return template.render(corpus=corpus, plan=plan, pub=corpus.publication, counts=plan.counts, text=Markup(text))  # noqa: S704


def render_overview(corpus: Corpus, output: Path, variant: str | None = "pdf/ua-1") -> tuple[int, str]:
    """Write the 概要版 to ``output``; return (pages, sha256). Refuses a summary longer than MAX_PAGES."""
    variant = check_variant(variant)
    folder = templates_dir(corpus.root)
    html = overview_html(corpus, folder)
    sheets = [folder / STYLESHEET, resource(folder, OVERVIEW_STYLESHEET)]
    with _atomic(Path(output)) as tmp:
        layout = render_pdf(html, tmp, base=corpus.root, stylesheets=sheets, folders=[folder], variant=variant)
        if layout.pages > MAX_PAGES:
            raise RenderError(f"the 概要版 has {layout.pages} pages; keep content/report/{OVERVIEW_TEXT}.md "
                              f"within {MAX_PAGES} pages")
    return layout.pages, hashlib.sha256(Path(output).read_bytes()).hexdigest()
