"""The MkDocs plugin ``casebook``: a thin adapter from MkDocs events to :mod:`casebook.site`.

It validates the records once per build, adds the generated pages and data downloads as virtual files
(nothing is written into ``docs_dir``), points each generated page's edit link at its source YAML,
watches the record folders under ``mkdocs serve`` and hands the search index to
:func:`casebook.search.enhance_index` after the build.
"""

from __future__ import annotations

import html
import json
import logging
from pathlib import Path

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import images, site
from .diagnostics import format_report
from .diff import edition_history
from .errors import CasebookError
from .render import xref
from .site.feed import FEED_PATH, atom_feed
from .site.fragments import FragmentExtension, Fragments
from .site.links import Links
from .validate import CASES_DIR, CATALOG_DIR, validate

log = logging.getLogger("mkdocs.plugins.casebook")


def safe_title(title_html: str) -> str:
    """The plain text of a rendered heading, HTML-escaped once (for Material's <title>)."""
    return html.escape(Markup(title_html).striptags(), quote=False)  # noqa: S704 — only stripped to text


class CasebookConfig(Config):
    root = c.Optional(c.Dir(exists=True))
    """Project folder holding ``casestudies/`` and ``content/catalog/`` (default: the folder of mkdocs.yml)."""
    edit_base = c.Optional(c.Type(str))
    """Base URL of edit links; the source YAML's project-relative path is appended. Unset: no edit link."""
    templates = c.Optional(c.Dir(exists=True))
    """Extra folder of ``*.md.j2`` templates searched before ``<root>/templates/site``."""
    exports = c.Type(bool, default=True)
    """Publish ``data/casebook.json``, ``data/checklist.csv`` and ``data/schemas/*``."""
    only_cases = c.ListOfItems(c.Type(str), default=[])
    """Build only these case-study folders (set by ``casebook preview``; empty: every case study)."""


class CasebookPlugin(BasePlugin[CasebookConfig]):
    """Adds the pages generated from the records to a MkDocs build."""

    def __init__(self) -> None:
        self.root: Path = Path.cwd()
        self.sources: dict[str, Path | None] = {}  # generated src_uri → source YAML
        self.fragments = Fragments()  # record text of this build, as finished HTML (see site.fragments)
        self.corpus = None  # set by casebook build, which has validated already; used for one build
        self.links: Links | None = None  # resolves cross-references ([[ref:P4]]) on hand-written pages
        self.search_words: dict[str, list[str]] = {}  # readers' words by search-index location
        self.search_query: dict[str, object] = {}  # the ranker's query data (casebook.search.query_config)
        self.search_budget: float | None = None  # seconds (limits.yaml budgets.search_seconds)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.root = Path(self.config.root).resolve() if self.config.root else base.resolve()
        # Record text reaches pages only as stashed HTML: the site's Markdown extensions never read it.
        self.fragments = Fragments()
        config.markdown_extensions.append(FragmentExtension(self.fragments))
        return config

    # Run late so that pages hand-written by other plugins are already in ``files``.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        corpus = self._validate()
        self.links = Links(corpus, config.use_directory_urls)
        # One title for the publication: the header and <title> use the publication record's (as the PDF does).
        pub = corpus.publication
        config.site_name = pub.title.ja
        if not config.copyright:
            config.copyright = html.escape(f"{pub.publisher.ja}　第{pub.edition}版（{pub.date}）")
        from .search import query_config, record_words

        self.search_words = record_words(corpus, config.use_directory_urls)
        self.search_query = query_config(corpus)
        from .validate import load_limits

        limits = load_limits(self.root)[0]
        self.search_budget = limits.budgets.search_seconds if limits else None
        try:
            templates = [Path(self.config.templates)] if self.config.templates else None
            pages = site.render_pages(corpus, templates, self.fragments, config.use_directory_urls)
        except CasebookError as exc:
            raise PluginError(f"casebook: {exc}") from exc
        missing = site.missing_pages(corpus, pages)
        if missing:
            raise PluginError("casebook: records without a page (records in = pages out): " + ", ".join(missing))
        self.sources = {}
        for page in pages:
            self._add(files, config, page.path, page.markdown)
            self.sources[page.path] = page.source
        if self.config.exports:
            for path, content in site.exports(corpus).items():
                self._add(files, config, path, content)
            history = edition_history(corpus.root, corpus.publication.editions)
            self._add(files, config, FEED_PATH, atom_feed(corpus, history, config.use_directory_urls))
        for case in corpus.cases.values():
            for image in case.images:
                uri = f"casestudies/{case.id}/{image.relative}"
                # the pixels only: PNG text chunks and JPEG EXIF (names, GPS) are never published
                files.append(File.generated(config, uri, content=images.published_bytes(image.path)))
        log.info("casebook: %d generated pages from %d case studies", len(pages), len(corpus.cases))
        return files

    def _validate(self):
        if self.corpus is not None:
            corpus, self.corpus = self.corpus, None  # once: `mkdocs serve` rebuilds must read the files again
            return corpus
        only = [self.root / p for p in self.config.only_cases] or None
        result = validate(self.root, only_cases=only)
        for diag in result.report.warnings:
            log.warning("casebook: %s", diag.text(self.root))
        if result.corpus is None:
            text = format_report(result.report.errors, "text", self.root)
            raise PluginError(f"casebook: the records have {len(result.report.errors)} error(s):\n{text}")
        return result.corpus

    @staticmethod
    def _add(files: Files, config: MkDocsConfig, path: str, content: str | bytes) -> None:
        existing = files.get_file_from_path(path)
        if existing is not None and existing.generated_by is None:
            raise PluginError(f"casebook: content/{path} would hide a generated page; remove or rename it")
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Cross-references on hand-written pages become Markdown links with the site's own numbers."""
        if self.links is None or page.file.src_uri in self.sources or "[[" not in markdown:
            return markdown
        return xref.markdown_links(markdown, self.links.refs(page.file.src_uri, markdown=True))

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        if page.file.src_uri in self.sources:
            page.edit_url = self.edit_url(self.sources[page.file.src_uri])
            if page.title and "title" not in page.meta:
                # Material prints `page.title | striptags` into <title>, which unescapes entities: a record
                # title containing "</title><script>" would become markup. meta.title is printed as is.
                page.meta["title"] = safe_title(page.title)
        return context

    def edit_url(self, source: Path | None) -> str | None:
        """Edit link of a generated page: ``edit_base`` + the source YAML's project-relative path."""
        if source is None or not self.config.edit_base:
            return None
        try:
            rel = source.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None
        return self.config.edit_base.rstrip("/") + "/" + rel

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        for folder in (self.root / CASES_DIR, self.root / CATALOG_DIR, self.root / "templates" / "site"):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name == "404.html" and not config.site_url:
            from .site.notfound import relocatable

            return relocatable(output_content)
        return output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        index_path = Path(config.site_dir) / "search" / "search_index.json"
        if not index_path.is_file():
            return
        from .search import enhance_index

        raw = index_path.read_text(encoding="utf-8")
        try:
            index = enhance_index(json.loads(raw), self.search_words, self.search_query, self.search_budget)
        except CasebookError as exc:
            raise PluginError(f"casebook: {exc}") from exc
        enhanced = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        if enhanced != raw:
            index_path.write_text(enhanced, encoding="utf-8")
