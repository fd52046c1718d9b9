"""Corpus → report HTML: the chapter plan, in-document anchors, figures computed from the records.

Markup lives in ``templates/report/``; this module only decides *what* goes in the report. Record prose
always passes through :func:`casebook.render.prose.to_html`; every other value is escaped by Jinja2's
autoescape. The HTML holds no absolute path and no clock reading, so it can be compared with a golden file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..comparison import edition_table
from ..diff import edition_history
from ..errors import RenderError
from ..model import (
    Assessment,
    Band,
    CaseStudy,
    Chapter,
    Clause,
    Corpus,
    Evaluation,
    Framework,
    FrameworkItem,
    Instrument,
    Mitigation,
    Provision,
    Risk,
    Score,
)
from ..render.dates import format_date
from ..render.names import name_of, records_by_id
from ..render.numbers import format_interval, format_value
from ..render.prose import to_html
from ..render.xref import Target
from .crosswalk_appendix import coverage
from .edition import OpenItem, open_items
from .structure import GENERATED_APPENDICES, GENERATED_CHAPTERS, TextChapter, read_text_chapter, text_html
from .typeset import keep_together

#: The template folder shipped with Casebook (inside the package, so an installed wheel has it).
DEFAULT_TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "report"
STYLESHEET = "report.css"
PREVIEW_TEMPLATE = "preview.html.j2"
MAIN_TEMPLATE = "report.html.j2"
FOLIO_TEMPLATE = "folio.html.j2"
PART_STYLESHEET = "part.css"
FOLIO_STYLESHEET = "folio.css"

_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_CSS_IDENT = re.compile(r"^[a-z][a-z0-9-]*$")
_SENTENCE_END = re.compile(r"[。．！？]\s*$")


def templates_dir(root: Path) -> Path:
    """The project's own ``templates/report`` when it has one, otherwise Casebook's."""
    own = root.resolve() / "templates" / "report"
    return own if (own / MAIN_TEMPLATE).is_file() else DEFAULT_TEMPLATES


def resource(folder: Path, name: str) -> Path:
    """``folder``'s own copy of a report file, or Casebook's (projects with older templates lack some)."""
    own = folder / name
    return own if own.is_file() else DEFAULT_TEMPLATES / name


def anchor(kind: str, record_id: str) -> str:
    return f"{kind}-{_ANCHOR_UNSAFE.sub('_', record_id)}"


@dataclass
class ChapterEntry:
    """One top-level heading of the report: a bookmark, a 目次 line and a running-header title."""

    anchor: str
    title: str
    kind: str  # "chapter" | "case" | "appendix"
    case: CaseStudy | None = None
    number: str = ""  # "第3章", "付録B": the same label the stylesheet's counters give the heading
    ordinal: int = 0  # 3 for 第3章, 2 for 付録B
    section: str = "case"  # the template that renders it: summary, text, provisions …
    text: TextChapter | None = None  # an editor-written chapter


@dataclass
class TocSection:
    """A 節 of a chapter as the 目次 lists it: "3.2", its title and the anchor of its heading."""

    anchor: str
    number: str
    title: str


@dataclass
class RiskSummary:
    """How one risk came out across the case studies that assessed it."""

    risk: Risk
    assessments: list[Assessment]
    residual_bands: list[tuple[Band, int]] = field(default_factory=list)
    inherent_bands: list[tuple[Band, int]] = field(default_factory=list)

    @property
    def worst_inherent(self) -> Score:
        return max((a.inherent for a in self.assessments), key=lambda s: s.value)

    @property
    def worst_residual(self) -> Score:
        return max((a.residual for a in self.assessments), key=lambda s: s.value)

    @property
    def mean_reduction(self) -> float:
        return sum(a.inherent.value - a.residual.value for a in self.assessments) / len(self.assessments)


class Plan:
    """Everything the templates need beyond the corpus itself."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.records = records_by_id(corpus)
        active = [c for c in corpus.cases.values()]
        self.cases = active
        self.risks = [r for r in corpus.risks.values() if r.status != "retired"]
        self.mitigations = [m for m in corpus.mitigations.values() if m.status != "retired"]
        self.metrics = [m for m in corpus.metrics.values() if m.status != "retired"]
        self.assessments = [a for c in self.cases for a in c.assessments]
        self.evaluations = [e for a in self.assessments for e in a.evaluations]
        self.assessed_risks = [r for r in corpus.risks.values() if any(a.risk is r for a in self.assessments)]
        self.cited_provisions = [p for p in corpus.provisions.values() if _is_cited(p, corpus)]
        self.cited_instruments: list[Instrument] = []
        for p in self.cited_provisions:
            if p.instrument not in self.cited_instruments:
                self.cited_instruments.append(p.instrument)
        self.term_ids = {t.id: t.term.ja for t in corpus.glossary}
        self.history = edition_history(corpus.root, corpus.publication.editions)
        self.comparison = edition_table(self.history)  # None for a first edition: appendix left out
        self.coverage = coverage(corpus)
        self._open_items: list[OpenItem] | None = None
        self.toc_sections: dict[str, list[TocSection]] = {}  # chapter anchor → its 節 (see find_sections)
        self.chapters = self._chapters()
        self.anchors = self._anchors()
        self.risk_summaries = [self._summary(r) for r in self.assessed_risks]

    # -- chapters and anchors -----------------------------------------------------------------------
    def _chapters(self) -> list[ChapterEntry]:
        """The chapters and appendices the publication record lists, numbered as the stylesheet does."""
        c = self.corpus
        layout = c.publication.report
        out: list[ChapterEntry] = []
        for name in layout.chapters:
            if name == "cases":
                out += [ChapterEntry(anchor("case", case.id), case.title.ja, "case", case) for case in self.cases]
            elif name == "policy":
                if c.policy is not None:
                    out.append(ChapterEntry("ch-policy", c.policy.title.ja, "chapter", section="policy"))
            elif name in GENERATED_CHAPTERS:
                anchor_id, title = GENERATED_CHAPTERS[name]
                out.append(ChapterEntry(anchor_id, title, "chapter", section=name))
            else:
                text = read_text_chapter(c.root, name)
                if text is not None:  # the validator reports a missing file
                    out.append(ChapterEntry(text.anchor, text.title, "chapter", section="text", text=text))
        for name in layout.appendices:
            if name == "comparison" and self.comparison is None:
                continue
            if name in GENERATED_APPENDICES:
                anchor_id, title = GENERATED_APPENDICES[name]
                out.append(ChapterEntry(anchor_id, title, "appendix", section=name))
        chapters = appendices = 0
        for entry in out:
            if entry.kind == "appendix":
                appendices += 1
                entry.number = f"付録{chr(ord('A') + appendices - 1)}"
                entry.ordinal = appendices
            else:
                chapters += 1
                entry.number = f"第{chapters}章"
                entry.ordinal = chapters
        return out

    def sections(self) -> tuple[list[Section], list[Section], list[Section]]:
        """(front matter and the chapters listed before ``cases``, the case studies, everything after).

        Without ``cases`` in the layout everything after the 目次 counts as after the case studies."""
        names = list(self.corpus.publication.report.chapters)
        split = names.index("cases") if "cases" in names else -1
        front = [Section("cover"), Section("toc")]
        cases: list[Section] = []
        back: list[Section] = []
        for entry in self.chapters:
            if entry.kind == "case":
                cases.append(Section("case", entry))
                continue
            name = entry.text.name if entry.text else entry.section
            before = entry.kind != "appendix" and name in names and names.index(name) < split
            (front if before else back).append(Section(entry.section, entry))
        return front, cases, back

    @property
    def open_items(self) -> list[OpenItem]:
        """What keeps this edition a draft (the 未確認事項一覧)."""
        if self._open_items is None:
            self._open_items = open_items(self.corpus)
        return self._open_items

    def text_html(self, entry: ChapterEntry, render_insert) -> str:
        return text_html(entry.text, self.target, render_insert)

    def _anchors(self) -> dict[str, str]:
        """Record id → in-document anchor, for every record that has a place in the report."""
        c = self.corpus
        table: dict[str, str] = {}
        for p in self.cited_provisions:
            table[p.id] = anchor("prov", p.id)
        for i in self.cited_instruments:
            table[i.id] = anchor("inst", i.id)
        for m in self.metrics:
            table[m.id] = anchor("metric", m.id)
        for m in self.mitigations:
            table[m.id] = anchor("mit", m.id)
        for r in self.risks:
            table[r.id] = anchor("risk", r.id)
        for case in self.cases:
            table[case.id] = anchor("case", case.id)
        if c.policy is not None:
            for clause in c.policy.clauses:
                table[clause.id] = anchor("clause", clause.id)
        return table

    def href(self, record_id: str) -> str | None:
        target = self.anchors.get(record_id)
        return f"#{target}" if target else None

    def target(self, ident: str) -> Target | None:
        """A cross-reference (``[[ref:ID]]``) as this PDF numbers it: chapters 第N章, the policy's chapters
        as sections of the policy chapter (7.4節), clauses by their id, other records by name."""
        for chapter in self.chapters:
            if chapter.anchor == ident or (chapter.case is not None and chapter.case.id == ident):
                return Target(chapter.number, chapter.title, f"#{chapter.anchor}")
        policy = self.corpus.policy
        if policy is not None:
            host = next((c for c in self.chapters if c.anchor == "ch-policy"), None)
            for n, pc in enumerate(policy.chapters, start=1):
                if pc.id == ident:
                    number = f"{host.ordinal}.{n}節" if host else ""
                    return Target(number, pc.title.ja, f"#{anchor('pch', pc.id)}" if host else None)
                for clause in pc.clauses:
                    if clause.id == ident:
                        return Target(clause.id, clause.title.ja, self.href(ident) if host else None)
        record = self.records.get(ident)
        if record is None:
            return None
        return Target("", name_of(record), self.href(ident))

    # -- figures ------------------------------------------------------------------------------------
    def _summary(self, risk: Risk) -> RiskSummary:
        found = [a for a in self.assessments if a.risk is risk]
        return RiskSummary(risk, found, _band_counts(self.corpus, [a.residual.band for a in found]),
                           _band_counts(self.corpus, [a.inherent.band for a in found]))

    @property
    def counts(self) -> dict[str, int]:
        return {
            "cases": len(self.cases),
            "samples": sum(1 for c in self.cases if c.is_sample),
            "risks": len(self.risks),
            "assessed_risks": len(self.assessed_risks),
            "assessments": len(self.assessments),
            "mitigations": len(self.mitigations),
            "applied_mitigations": sum(len(a.mitigations) for a in self.assessments),
            "provisions": len([p for p in self.corpus.provisions.values() if p.status != "retired"]),
            "cited_provisions": len(self.cited_provisions),
            "unverified_provisions": sum(1 for p in self.cited_provisions if not p.verified),
            "metrics": len(self.metrics),
            "evaluations": len(self.evaluations),
            "improved": sum(1 for e in self.evaluations if e.improved),
            "clauses": len(self.corpus.policy.clauses) if self.corpus.policy else 0,
        }

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        counts = Counter(m.status for a in self.assessments for m in a.mitigations)
        return [(s, counts[s]) for s in ("implemented", "partial", "planned") if counts[s]]

    @property
    def residual_band_counts(self) -> list[tuple[Band, int]]:
        return _band_counts(self.corpus, [a.residual.band for a in self.assessments])

    @property
    def inherent_band_counts(self) -> list[tuple[Band, int]]:
        return _band_counts(self.corpus, [a.inherent.band for a in self.assessments])

    @property
    def band_styles(self) -> list[tuple[str, str]]:
        """(band id, colour) pairs that are safe to write into the stylesheet."""
        return [(b.id, b.colour) for b in self.corpus.scoring.bands
                if _CSS_IDENT.match(b.id) and _COLOUR.match(b.colour)]

    def checklist(self, mitigation: Mitigation) -> list[Any]:
        return mitigation.checklist


#: A record id written in prose: letters and digits with at least one hyphen (R-HALLUCINATION, APPI-23,
#: answer-accuracy), standing alone, optionally linked by to_html, with the spaces that set it apart.
_PROSE_ID = re.compile(r'(?P<pre> ?)(?P<open><a href="#[^"<>]*">)?(?<![A-Za-z0-9_.#/-])'
                       r'(?P<id>[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+)(?![A-Za-z0-9_-])(?P<close></a>)?(?P<post> ?)')
_WIDE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


def names_for_ids(html: str, records: dict[str, Any]) -> str:
    """Record prose as running text: a record id (a risk, mitigation, provision, instrument, metric, case,
    term) becomes the record's name, still linked; ids of policy clauses and chapters and of external
    framework items stay (the report prints them as labels).

    A space that only set the id apart from Japanese text goes with it (「M-PII-MASKING の」→「…の」).
    Text inside tags, code and URLs is left alone.
    """
    def named(segment: str) -> str:
        def repl(m: re.Match) -> str:
            record = records.get(m.group("id"))
            if isinstance(record, Clause | Chapter | Framework | FrameworkItem) or record is None \
                    or bool(m.group("open")) != bool(m.group("close")):
                return m.group(0)
            before, after = segment[:m.start()], _plain(segment[m.end():])
            pre = "" if not before or before.endswith(">") or _WIDE.match(before[-1]) else m.group("pre")
            post = "" if not after or _WIDE.match(after[0]) else m.group("post")
            return f"{pre}{m.group('open') or ''}{_escape(name_of(record))}{m.group('close') or ''}{post}"

        return _PROSE_ID.sub(repl, segment)

    parts = re.split(r"(<code\b.*?</code>)", html, flags=re.S)  # ids in code spans stay as written
    return "".join(p if p.startswith("<code") else named(p) for p in parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _is_cited(p: Provision, corpus: Corpus) -> bool:
    if p.status == "retired":
        return False
    return bool(p.risks or p.mitigations or p.assessments or p.clauses or p.declarations)


def _band_counts(corpus: Corpus, bands: list[Band]) -> list[tuple[Band, int]]:
    counts = Counter(b.id for b in bands)
    return [(b, counts[b.id]) for b in corpus.scoring.bands if counts[b.id]]


# -- filters -----------------------------------------------------------------------------------------
def interval(evaluation: Evaluation, which: str) -> str:
    return format_interval(evaluation.before_interval if which == "before" else evaluation.after_interval)


def environment(folder: Path, plan: Plan) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def prose(text: Any, inline: bool = False) -> Markup:
        value = getattr(text, "ja", text)
        if value is None:
            return Markup("")
        html = to_html(str(value), plan.href, inline=inline, refs=plan.target)
        return Markup(names_for_ids(html, plan.records))  # noqa: S704 - to_html escapes; names are escaped

    def series(items: Any) -> Markup:
        """Record texts in a row: sentences follow one another (「…。…。」), other items take 「、」 between
        them — never 「。、」. Each item is record prose (escaped by :func:`to_html`)."""
        out = Markup("")
        for n, item in enumerate(items or []):
            text = prose(item, inline=True)
            if n:
                out += Markup("") if _SENTENCE_END.search(_plain(out)) else Markup("、")
            out += text
        return out

    env.filters.update(
        prose=prose,
        inline=lambda text: prose(text, inline=True),
        series=series,
        name=lambda record_id: name_of(plan.records[record_id]) if record_id in plan.records else record_id,
        number=format_value,
        interval=interval,
        label=lambda value, vocabulary: plan.corpus.label(vocabulary, value),
        href=lambda record_id: plan.href(record_id),
    )
    style = plan.corpus.publication.report.dates
    env.filters["date"] = lambda value, western=True: format_date(value, style, western)

    def insert(name: str) -> str:
        """A block an editor's chapter places with ``[[insert:NAME]]`` (templates/report/insert-NAME.html.j2)."""
        template = env.get_template(f"insert-{name}.html.j2")
        corpus = plan.corpus
        return template.render(corpus=corpus, plan=plan, pub=corpus.publication, counts=plan.counts)

    env.globals.update(anchor=anchor, insert=insert)
    return env


_HEADING = re.compile(r'<h([12])\b([^>]*)>(.*?)</h\1>', re.S)
_ID = re.compile(r'\bid="([^"]*)"')


def find_sections(plan: Plan, htmls: list[str]) -> None:
    """Fill ``plan.toc_sections`` from the rendered HTML: each chapter's h2 headings, numbered as report.css
    numbers them (chapter.section). Case studies and appendices list no 節 in the 目次 (the outline has them)."""
    chapters = {c.anchor: c for c in plan.chapters}
    found: dict[str, list[TocSection]] = {}
    current = None
    count = 0
    for html in htmls:
        for level, attributes, inner in _HEADING.findall(html):
            ident = _ID.search(attributes)
            if level == "1":
                current = chapters.get(ident.group(1)) if ident else None
                count = 0
                continue
            count += 1
            if current is None or current.kind != "chapter" or ident is None:
                continue
            title = unescape(re.sub(r"<[^>]+>", "", inner)).strip()
            found.setdefault(current.anchor, []).append(
                TocSection(ident.group(1), f"{current.ordinal}.{count}", title))
    plan.toc_sections = found


def _plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def build_html(corpus: Corpus, folder: Path | None = None, case: str | None = None) -> tuple[str, Plan]:
    """The report as one HTML document (目次 without page numbers), and the plan it was made from.

    The PDF is rendered part by part (:func:`render_part`); this single document is for inspection and
    for benchmarking WeasyPrint alone. With ``case`` (a case-study id) only that case's chapter is
    rendered, for ``casebook preview``.
    """
    folder = folder or templates_dir(corpus.root)
    plan = Plan(corpus)
    if case is None:
        front, cases, back = plan.sections()
        whole = _Whole(front + cases + back)
        find_sections(plan, [render_part(plan, folder, whole, {})])
        return render_part(plan, folder, whole, {}), plan
    chosen = corpus.cases[case]
    chapter = next(c for c in plan.chapters if c.case is chosen)
    return _render(folder, plan, PREVIEW_TEMPLATE, case=chosen, chapter=chapter), plan


def render_part(plan: Plan, folder: Path, part: Any, toc_pages: dict[str, Any]) -> str:
    """One part of the report (an object with ``sections`` and ``counters``, see :mod:`.parts`).

    ``toc_pages`` maps chapter and section anchors to the page number the 目次 shows for them (none yet: "").
    """
    return _render(folder, plan, MAIN_TEMPLATE, part=part, toc_pages=toc_pages)


def folio_html(folder: Path, page_names: list[str], labels: list[str]) -> str:
    """The folio document: one page per report page, on the same named page (validated idents), carrying
    that page's label (see :func:`casebook.report.pdf.page_labels`)."""
    for name in page_names:
        if name and not _CSS_IDENT.match(name):
            raise RenderError(f"report page name {name!r} is not a plain CSS identifier")
    template = resource(folder, FOLIO_TEMPLATE)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(template.parent)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template(FOLIO_TEMPLATE).render(pages=list(zip(page_names, labels, strict=True)))


@dataclass
class Section:
    """One include of report.html.j2: ``kind`` names the template (``case`` uses ``chapter``)."""

    kind: str
    chapter: ChapterEntry | None = None


@dataclass
class _Whole:
    sections: list[Section]
    counters: str = ""


def _render(folder: Path, plan: Plan, template_name: str, **values: Any) -> str:
    corpus = plan.corpus
    try:
        template = environment(folder, plan).get_template(template_name)
        html = template.render(corpus=corpus, plan=plan, pub=corpus.publication, counts=plan.counts, **values)
        return keep_together(html)
    except jinja2.TemplateError as exc:
        where = getattr(exc, "filename", None) or str(folder / template_name)
        line = getattr(exc, "lineno", None)
        raise RenderError(f"report template error: {exc} ({where}{f':{line}' if line else ''})") from exc
