"""Generated pages: the Corpus → Markdown through Jinja2 templates in ``templates/site/``.

Templates hold markup only. Everything that decides *what* goes on a page (grouping, sorting, the
highest residual risk, intervals) is computed here. Every record string goes through the filters below,
which render it to finished HTML (:mod:`casebook.site.markup`) and leave only a marker in the page's Markdown
(:mod:`casebook.site.fragments`): a template never prints record text, and the site's Markdown never reads it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import comparison
from ..diff import edition_history
from ..errors import RenderError
from ..model import (
    CaseStudy,
    Corpus,
    Mitigation,
    Provision,
    Risk,
    Text,
)
from ..render.numbers import format_interval, format_value
from . import links as L
from .adoption import CheckRow, check_rows
from .exports import REGISTRY
from .fragments import Fragments
from .kana import kana_rows, sort_key
from .links import Linkable, Links, item_anchor, label_of, path_of
from .markup import (
    anchor,
    attr,
    band_badge,
    cell,
    diffmark,
    extlink,
    inline,
    prose,
    relative,
    score_badge,
    score_detail,
)
from .selfcheck import embedded_script, self_check_data

#: Templates shipped with Casebook (inside the package); a project may override any of them in its own
#: ``templates/site`` folder.
DEFAULT_TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "site"

_STATUS_JA = {"implemented": "実施済み", "partial": "一部実施", "planned": "計画中"}
_WORDING_JA = {"official": "公式の文言", "programme": "実証事業の文言", "provisional": "暫定の文言"}


@dataclass(frozen=True)
class Page:
    """One generated page: where it goes, its Markdown, and the YAML it comes from (for the edit link)."""

    path: str
    markdown: str
    source: Path | None = None
    records: tuple[str, ...] = field(default=())
    fragments: Fragments | None = field(default=None, compare=False, repr=False)

    def resolved(self) -> str:
        """The Markdown with record HTML in place of its markers (goldens, benchmarks; never a live site)."""
        return self.fragments.resolve(self.markdown) if self.fragments else self.markdown


@functools.cache
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return jinja2.FileSystemBytecodeCache()
    except RuntimeError:  # no usable private temp folder: compile every time
        return None


def environment(template_dirs: Iterable[Path]) -> jinja2.Environment:
    dirs = [str(d) for d in template_dirs if d.is_dir()]
    if not dirs:
        raise RenderError("no templates/site folder found")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        # Compiling the templates took 0.43 s of every build; the cache is keyed by each template's source
        # checksum (an edited template is compiled again) and lives in Jinja's private per-user temp folder.
        bytecode_cache=_bytecode_cache(),
        autoescape=False,  # noqa: S701 — Markdown out; the filters escape every record string per context
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        comment_start_string="<!--#",  # `{#` starts Markdown attribute lists like `{#APPI-23}`
        comment_end_string="#-->",
    )
    return env


class SiteRenderer:
    """Renders every generated page of a corpus."""

    def __init__(self, corpus: Corpus, template_dirs: Iterable[Path] | None = None,
                 fragments: Fragments | None = None, directory_urls: bool = True) -> None:
        self.corpus = corpus
        self.links = Links(corpus, directory_urls)
        self.fragments = fragments if fragments is not None else Fragments()
        dirs = [*(template_dirs or []), corpus.root / "templates" / "site", DEFAULT_TEMPLATES]
        self.env = environment(dirs)
        self._install_filters()

    # -- filters -------------------------------------------------------------------------------------
    def _install_filters(self) -> None:
        links, corpus, frag = self.links, self.corpus, self.fragments.add

        def text(value) -> str:
            return frag(inline(value))

        @jinja2.pass_context
        def md(ctx, value):
            # Blocks of their own: a template line that runs into the marker (a trimmed `{% endif %}`) must not
            # make the prose's <p> a continuation of the paragraph before it.
            page = ctx["page_path"]
            return "\n" + frag(prose(value, links.html_href(page), links.refs(page))) + "\n"

        @jinja2.pass_context
        def cell_f(ctx, value):
            page = ctx["page_path"]
            return frag(cell(value, links.html_href(page), links.refs(page)))

        @jinja2.pass_context
        def link(ctx, obj: Linkable, label: Text | str | None = None):
            # The label is record text (a marker); the target is a docs path MkDocs resolves and checks.
            return f"[{text(label if label is not None else label_of(obj))}]({links.url(obj, ctx['page_path'])})"

        @jinja2.pass_context
        def url(ctx, target: Linkable | str):
            path = target if isinstance(target, str) else path_of(target)
            return relative(path, ctx["page_path"])

        @jinja2.pass_context
        def ref(ctx, record_id: str):
            obj = links.get(record_id)
            return link(ctx, obj) if obj is not None else text(record_id)

        def vocab(value: str, vocabulary: str) -> str:
            return text(corpus.label(vocabulary, value))

        self.env.filters.update(
            t=text, md=md, ref=ref, cell=cell_f, link=link, url=url, attr=attr, anchor=anchor, vocab=vocab,
            badge=lambda s: frag(score_badge(s)), score=lambda s: frag(score_detail(s)),
            band=lambda b, v=None: frag(band_badge(b, v)), status=self.status_label,
            value=format_value, interval=format_interval, extlink=lambda u, lb=None: frag(extlink(u, lb)),
            wording=self.wording_label, crosswalk=self.crosswalk_rows, item_anchor=item_anchor,
            diffmark=lambda segments, side: frag(diffmark(segments, side)),
            titled=lambda label, title: frag(f'<span title="{attr(title)}">{inline(label)}</span>'),
            kana_rows=kana_rows,
        )

    def crosswalk_rows(self, mappings) -> list[tuple]:
        """A record's mappings as (framework, [items]) in catalogue order, for the 外部の枠組み table."""
        by_key = {fw.mapping_key: fw for fw in self.corpus.frameworks.values() if fw.mapping_key}
        rows = []
        for key, values in mappings.items():
            fw = by_key.get(key)
            if fw is not None:
                rows.append((fw, [item for v in values if (item := fw.item(v)) is not None]))
        return rows

    def status_label(self, status: str) -> str:
        label = self.corpus.vocabularies.get("mitigation_status", {}).get(status)
        return self.fragments.add(inline(label.ja if label else _STATUS_JA.get(status, status)))

    def wording_label(self, wording: str) -> str:
        label = self.corpus.vocabularies.get("readiness_wording", {}).get(wording)
        text = label.ja if label and label.ja != wording else _WORDING_JA.get(wording, wording)
        return self.fragments.add(inline(text))

    # -- rendering -----------------------------------------------------------------------------------
    def render(self, template: str, path: str, **context) -> str:
        try:
            return self.env.get_template(template).render(
                page_path=path, corpus=self.corpus, pub=self.corpus.publication, **context)
        except jinja2.TemplateError as exc:
            raise RenderError(f"template {template} failed for {path}: {exc}") from exc

    def page(self, template: str, path: str, source: Path | None, records: Iterable[str] = (), **ctx) -> Page:
        return Page(path, self.render(template, path, **ctx), source, tuple(records), self.fragments)

    def pages(self) -> list[Page]:
        c = self.corpus
        out: list[Page] = []
        catalog = c.root / "content" / "catalog"
        cases = list(c.cases.values())
        out.append(self.page("casestudies.md.j2", L.CASES, None, rows=[self._case_row(x) for x in cases],
                             has_samples=c.has_samples))
        for case in cases:
            out.append(self.page("casestudy.md.j2", path_of(case), case.origin.path, [case.id], case=case,
                                 readiness=self._readiness(case), assessments=case.assessments))
        risks = list(c.risks.values())
        out.append(self.page("risks.md.j2", L.RISKS, _first(r.origin.path for r in risks),
                             risks=risks, has_samples=c.has_samples))
        for risk in risks:
            out.append(self.page("risk.md.j2", path_of(risk), risk.origin.path, [risk.id], risk=risk,
                                 has_samples=any(a.case.is_sample for a in risk.assessments)))
        mitigations = list(c.mitigations.values())
        out.append(self.page("mitigations.md.j2", L.MITIGATIONS, _first(m.origin.path for m in mitigations),
                             mitigations=mitigations))
        for m in mitigations:
            out.append(self.page("mitigation.md.j2", path_of(m), m.origin.path, [m.id], mitigation=m,
                                 has_samples=any(a.assessment.case.is_sample for a in m.applications)))
        instruments = list(c.instruments.values())
        out.append(self.page("regulations.md.j2", L.REGULATIONS, _first(i.origin.path for i in instruments),
                             instruments=instruments))
        for inst in instruments:
            provisions = sorted(inst.provisions, key=_article_key)
            out.append(self.page("regulation.md.j2", path_of(inst), inst.origin.path,
                                 [inst.id, *(p.id for p in provisions)], instrument=inst,
                                 provisions=[self._provision(p) for p in provisions]))
        frameworks = list(c.frameworks.values())
        out.append(self.page("crosswalks.md.j2", L.CROSSWALKS, _catalog_file(catalog, "frameworks"),
                             frameworks=frameworks))
        for fw in frameworks:
            out.append(self.page("crosswalk.md.j2", path_of(fw), fw.origin.path, [fw.id], framework=fw))
        out.append(self.page("policy.md.j2", L.POLICY, _catalog_file(catalog, "policy"),
                             [cl.id for cl in (c.policy.clauses if c.policy else [])], policy=c.policy))
        out.append(self.page("matrix.md.j2", L.MATRIX, None, cases=cases, risks=self._matrix_risks(),
                             has_samples=c.has_samples))
        out.append(self.page("checklist.md.j2", L.CHECKLIST, _first(m.origin.path for m in mitigations),
                             groups=checklist_groups(c)))
        from ..report.overview import FILE_NAME as OVERVIEW_PDF
        from ..report.overview import has_overview

        overview = OVERVIEW_PDF if has_overview(c) else None  # the 概要版 `casebook build` writes beside report.pdf
        out.append(self.page("data.md.j2", L.DATA, None, downloads=REGISTRY, overview=overview))
        data = self_check_data(c, self.links.html_href(L.SELF_CHECK))
        out.append(self.page("self-check.md.j2", L.SELF_CHECK, _catalog_file(catalog, "self_check"),
                             data_script=self.fragments.add(embedded_script(data)), data=data))
        out.append(self.page("developer.md.j2", L.DEVELOPER, None, downloads=REGISTRY, schemas=schema_files()))
        out.append(self.page("schema.md.j2", L.SCHEMA, None, schemas=schema_reference()))
        out.append(self.page("messages.md.j2", L.MESSAGES, None, groups=diagnostic_listing()))
        out.append(self.page("glossary.md.j2", L.GLOSSARY, _catalog_file(catalog, "glossary"),
                             terms=sorted(c.glossary, key=lambda g: sort_key(g.reading or g.term.ja))))
        out.append(self.page("scoring.md.j2", L.SCORING, _catalog_file(catalog, "scoring"),
                             [m.id for m in c.metrics.values()], scoring=c.scoring,
                             scales=[(s, [(lv, self.wording_label(lv.wording)) for lv in s.levels])
                                     for s in c.scales.values()],
                             metrics=list(c.metrics.values())))
        history = edition_history(c.root, c.publication.editions)
        out.append(self.page("changelog.md.j2", L.CHANGELOG, _catalog_file(catalog, "publication"),
                             history=history,
                             comparisons=[(h, comparison.rows(h.changes)) for h in history if h.changes]))
        out.append(self.page("report.md.j2", L.REPORT, None, has_samples=c.has_samples, overview=overview))
        return out

    # -- contexts ------------------------------------------------------------------------------------
    def _case_row(self, case: CaseStudy) -> dict:
        return {
            "case": case,
            "patterns": [self.corpus.label("pattern", p) for p in case.system.patterns],
            "channels": [self.corpus.label("channel", ch) for ch in case.channels],
            "levels": {k: e.level for k, e in case.readiness.items()},
            "highest": case.highest_residual,
        }

    def _readiness(self, case: CaseStudy) -> list[dict]:
        rows = []
        for key, entry in case.readiness.items():
            level = entry.scale.level(entry.level)
            rows.append({"key": key, "entry": entry, "level": level,
                         "wording": self.wording_label(level.wording),
                         "provisional": level.wording != "official"})
        return rows

    def _provision(self, p: Provision) -> dict:
        return {"provision": p, "risks": p.risks, "mitigations": p.mitigations, "cases": p.cases,
                "clauses": p.clauses}

    def _matrix_risks(self) -> list[Risk]:
        return [r for r in self.corpus.risks.values() if r.assessments]


def checklist_groups(corpus: Corpus) -> list[tuple[Mitigation, list[CheckRow]]]:
    """The adoption checklist: each mitigation with its check items, every item once (catalogue order)."""
    groups: dict[str, tuple[Mitigation, list[CheckRow]]] = {}
    for row in check_rows(corpus):
        groups.setdefault(row.mitigation.id, (row.mitigation, []))[1].append(row)
    return list(groups.values())


def schema_files() -> list[str]:
    from ..schemas import all_schemas

    return sorted(all_schemas())


def schema_reference():  # imported lazily to keep this module small
    from .schemadoc import reference

    return reference()


def diagnostic_listing():  # the registry of diagnostic codes, for 「検査メッセージ一覧」
    from ..messages import listing

    return listing()


def _first(paths: Iterable[Path]) -> Path | None:
    return next(iter(paths), None)


def _catalog_file(catalog: Path, key: str) -> Path | None:
    """The catalogue file whose top-level key is ``key`` (for the edit link)."""
    if not catalog.is_dir():
        return None
    for path in sorted(catalog.rglob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip() and not line.lstrip().startswith("#"):
                    if line.startswith(f"{key}:"):
                        return path
                    break
    return None


def _article_key(p: Provision) -> tuple:
    import re

    nums = [int(n) for n in re.findall(r"\d+", p.article)]
    return (nums or [10**9], p.article, p.id)


def render_pages(corpus: Corpus, template_dirs: Iterable[Path] | None = None,
                 fragments: Fragments | None = None, directory_urls: bool = True) -> list[Page]:
    """Every generated page of ``corpus``; record text is in ``fragments`` (see :mod:`.fragments`)."""
    return SiteRenderer(corpus, template_dirs, fragments, directory_urls).pages()
