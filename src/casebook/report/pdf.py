"""Report HTML → PDF with WeasyPrint: locked-down fetching, fixed dates, tagged output, atomic write."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import RenderError
from ..model import Corpus
from .assemble import PartFile, join
from .fetcher import AssetFetcher, RefusedFetch
from .html import (
    FOLIO_STYLESHEET,
    PART_STYLESHEET,
    STYLESHEET,
    Plan,
    build_html,
    find_sections,
    folio_html,
    render_part,
    resource,
    templates_dir,
)
from .parts import CASES_PER_PART, check_chapters, counters_after, scan, split

VARIANTS = ("pdf/ua-1", "pdf/a-3b")
_WEASY_LOGGER = "weasyprint"


@dataclass
class ReportInfo:
    """What a render produced (returned by :func:`render_report`, also as JSON from the subprocess)."""

    path: str
    variant: str | None
    pages: int
    chapters: list[str] = field(default_factory=list)
    cases: int = 0
    sha256: str = ""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)  # every outline label, depth-first

    def to_dict(self) -> dict:
        return asdict(self)


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings and errors so a render can report (or refuse) them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def asset_folders(corpus: Corpus, templates: Path) -> list[Path]:
    """The only folders a render may read: the report templates and each case study's own folder."""
    return [templates, *(case.folder for case in corpus.cases.values())]


def check_variant(variant: str | None) -> str | None:
    if variant in (None, "", "none"):
        return None
    if variant not in VARIANTS:
        raise RenderError(f"unknown PDF variant {variant!r}; use one of {', '.join(VARIANTS)} or none")
    return variant


def add_header_scope(document, pdf) -> None:
    """Give every tagged header cell a /Scope: Column in THead, Row elsewhere (our templates' rule).

    WeasyPrint 70 links data cells to headers with /Headers but writes no /Scope on /TH; checkers that look
    at the header cells (and older assistive technology) need it.
    """
    import pydyf

    by_ref = {obj.reference: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)}
    for obj in by_ref.values():
        if obj.get("S") != "/TH":
            continue
        row = by_ref.get(obj.get("P"))
        group = by_ref.get(row.get("P")) if row is not None else None
        scope = "/Column" if group is not None and group.get("S") == "/THead" else "/Row"
        attributes = obj.get("A")
        if not isinstance(attributes, pydyf.Dictionary):
            attributes = obj["A"] = pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = scope


@contextlib.contextmanager
def _fast_page_references():
    """Make ``pydyf.PDF.page_references`` O(1) while we write a PDF.

    pydyf rebuilds the tuple of page references on every access, and WeasyPrint's tagging reads it once per
    structure element: quadratic in pages (minutes at ~1,000 tagged pages). The cached tuple is rebuilt
    whenever a page has been added, so it always equals what pydyf would return.
    """
    import pydyf

    original = pydyf.PDF.page_references

    def cached(self):
        kids = self.pages["Kids"]
        cache = self.__dict__.get("_casebook_page_refs")
        if cache is None or cache[0] != len(kids):
            cache = (len(kids), original.fget(self))
            self.__dict__["_casebook_page_refs"] = cache
        return cache[1]

    pydyf.PDF.page_references = property(cached)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


@dataclass
class Layout:
    """What WeasyPrint made of one document: pages, where each anchor landed, each page's named page."""

    pages: int
    anchors: dict[str, int]  # anchor → 0-based page index
    page_names: list[str]
    warnings: list[str]
    bookmarks: list[str]


def render_pdf(html: str, target: Path, *, base: Path, stylesheets: list[Path], folders: list[Path],
               variant: str | None, named_elsewhere: set[str] = frozenset()) -> Layout:
    """Render ``html`` to the file ``target`` (not atomically: callers write to a temporary path).

    ``named_elsewhere`` are anchors of other parts of the report that this document links to: they are
    named on its first page so that WeasyPrint keeps those links (it drops links to anchors it cannot
    see); :mod:`.assemble` keeps only each part's own destinations, so the links resolve to the real ones.
    """
    import weasyprint  # imported here: heavy, and not needed to build the HTML

    fetcher = AssetFetcher(folders)
    handler = _Collect()
    logger = logging.getLogger(_WEASY_LOGGER)
    logger.addHandler(handler)
    tagged = variant == "pdf/ua-1"
    try:
        document = weasyprint.HTML(string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher)
        css = [weasyprint.CSS(filename=str(sheet), url_fetcher=fetcher) for sheet in stylesheets]
        rendered = document.render(stylesheets=css, pdf_variant=variant, pdf_tags=tagged, uncompressed_pdf=False)
        anchors: dict[str, int] = {}
        for index, page in enumerate(rendered.pages):
            for name in page.anchors:
                anchors.setdefault(name, index)
        names = [page._page_box.page_type.name or "" for page in rendered.pages]
        if rendered.pages:
            for name in sorted(set(named_elsewhere) - anchors.keys()):
                rendered.pages[0].anchors[name] = (0, 0, 0, 0)
        with _fast_page_references():
            rendered.write_pdf(target, finisher=add_header_scope if tagged else None, pdf_variant=variant,
                               pdf_tags=tagged)
        return Layout(len(rendered.pages), anchors, names, handler.records,
                      _labels(rendered.make_bookmark_tree()))
    except RefusedFetch as exc:
        raise RenderError(f"report render stopped: {exc}") from exc
    except weasyprint.urls.FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(f"report render stopped: {exc} ({cause})") from exc
    finally:
        logger.removeHandler(handler)


def write_pdf(html: str, output: Path, *, base: Path, stylesheet: Path, folders: list[Path],
              variant: str | None) -> tuple[int, list[str], list[str]]:
    """Render one HTML document to ``output`` (atomically). Returns (pages, WeasyPrint warnings, outline labels)."""
    with _atomic(output) as tmp:
        layout = render_pdf(html, tmp, base=base, stylesheets=[stylesheet], folders=folders, variant=variant)
    return layout.pages, layout.warnings, layout.bookmarks


@contextlib.contextmanager
def _atomic(output: Path):
    """A temporary path next to ``output`` that replaces it when the block succeeds (readable by others)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)  # mkstemp makes the file private; a published PDF is read by others
    try:
        yield tmp
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)


def _labels(tree: list) -> list[str]:
    out: list[str] = []
    for label, _target, children, _state in tree:
        out.append(label)
        out.extend(_labels(children))
    return out


def render_report(corpus: Corpus, output: Path, variant: str | None = "pdf/ua-1",
                  case: str | None = None, cases_per_part: int = CASES_PER_PART) -> ReportInfo:
    """Render the evaluation report of ``corpus`` to ``output``; the file appears only when complete.

    ``variant`` is ``"pdf/ua-1"`` (tagged, the default), ``"pdf/a-3b"`` or ``None`` for a plain PDF.
    Raises :class:`~casebook.errors.RenderError` when a template fails or a resource is refused.
    ``case`` renders only that case study's chapter (``casebook preview``). The whole report is laid out
    in parts of at most ``cases_per_part`` case studies, so memory stays bounded whatever the corpus size.
    """
    variant = check_variant(variant)
    start = time.perf_counter()
    folder = templates_dir(corpus.root)
    output = Path(output)
    folders = asset_folders(corpus, folder)
    if case is not None:
        html, plan = build_html(corpus, folder, case)
        pages, warnings, bookmarks = write_pdf(html, output, base=corpus.root, stylesheet=folder / STYLESHEET,
                                               folders=folders, variant=variant)
        return _info(output, variant, pages, plan, time.perf_counter() - start, warnings, bookmarks)
    plan = Plan(corpus)
    with _atomic(output) as tmp, tempfile.TemporaryDirectory(prefix=".casebook-parts-", dir=output.parent) as work:
        pages, warnings, bookmarks = _render_in_parts(plan, folder, folders, variant, Path(work), tmp,
                                                      cases_per_part)
    return _info(output, variant, pages, plan, time.perf_counter() - start, warnings, bookmarks)


def _render_in_parts(plan: Plan, folder: Path, folders: list[Path], variant: str | None, work: Path,
                     target: Path, cases_per_part: int) -> tuple[int, list[str], list[str]]:
    """Lay out each part on its own, then join them (see :mod:`.assemble`)."""
    root = plan.corpus.root
    parts = split(plan, cases_per_part)
    for i, part in enumerate(parts):
        part.counters = counters_after(parts[:i]) if i else ""
        scan(part, render_part(plan, folder, part, {}))
    find_sections(plan, [part.html for part in parts])  # the 目次 lists each chapter's 節 …
    unnumbered = dict.fromkeys(_toc_anchors(plan), "000")  # … with numbers as wide as the real ones
    front = parts[0]
    scan(front, render_part(plan, folder, front, unnumbered))
    check_chapters(parts, [c.anchor for c in plan.chapters])
    every_anchor = set().union(*(part.ids for part in parts))
    sheets = [folder / STYLESHEET, resource(folder, PART_STYLESHEET)]

    budgets = _budgets(root)

    def render(part, toc_pages) -> Layout:
        html = part.html if toc_pages is unnumbered else render_part(plan, folder, part, toc_pages)
        with _within_budget(part, budgets):
            layout = render_pdf(html, work / f"{part.name}.pdf", base=root, stylesheets=sheets, folders=folders,
                                variant=variant, named_elsewhere=(part.links - part.ids) & every_anchor)
        gc.collect()  # a part's page boxes are cyclic: free them before the next part is laid out
        return layout

    layouts = {part.name: render(part, unnumbered) for part in parts}
    for _attempt in range(3):  # the 目次 is set once its page numbers are known; that may move the front matter
        toc_pages = _toc_pages(plan, parts, layouts)
        again = render(front, _body_numbers(plan, toc_pages))
        settled = again.pages == layouts[front.name].pages and again.anchors == layouts[front.name].anchors
        layouts[front.name] = again
        if settled:
            break
    else:
        raise RenderError("the 目次 did not settle: its page numbers keep moving the front matter")
    page_names = [name for part in parts for name in layouts[part.name].page_names]
    total = len(page_names)
    if budgets is not None:
        _check_pages_per_case(plan, toc_pages, total, budgets.pages_per_case)
    folio = work / "folio.pdf"
    front_pages = _front_pages(plan, toc_pages)
    render_pdf(folio_html(folder, page_names, page_labels(front_pages, total)), folio, base=root,
               stylesheets=[folder / STYLESHEET, resource(folder, FOLIO_STYLESHEET)], folders=[folder], variant=None)
    files = [PartFile(work / f"{part.name}.pdf", set(layouts[part.name].anchors)) for part in parts]
    bookmarks = join(files, folio, target, tagged=variant == "pdf/ua-1", front_pages=front_pages)
    warnings = [w for part in parts for w in layouts[part.name].warnings]
    return total, warnings, bookmarks


def _budgets(root: Path):
    """The limits of the project's content/catalog/limits.yaml (None when it has none: nothing to enforce)."""
    from ..validate import load_limits

    return load_limits(root)[0]


def _part_cases(part) -> str:
    names = [s.chapter.case.id for s in part.sections if s.chapter is not None and s.chapter.case is not None]
    return ", ".join(names) if names else part.name


@contextlib.contextmanager
def _within_budget(part, limits):
    """Lay out one part within limits.yaml's time and memory budget, or fail naming its case studies.

    Time is enforced while it runs (SIGALRM in the main thread); the peak memory of the process is checked
    when the part is done (a part that needs more than the budget fails the build even if it fitted).
    """
    import resource
    import signal
    import threading

    if limits is None:
        yield
        return
    seconds = limits.budgets.pdf_part_seconds
    armed = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")

    def stop(_signum, _frame):
        raise RenderError(f"PDF part {part.name} ({_part_cases(part)}) took longer than its budget of "
                          f"{seconds:g} s (content/catalog/limits.yaml budgets.pdf_part_seconds)")

    started = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, stop) if armed else None
    if armed:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    if time.perf_counter() - started > seconds:
        stop(None, None)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if peak_mb > limits.budgets.pdf_part_memory_mb:
        raise RenderError(f"PDF part {part.name} ({_part_cases(part)}) used {peak_mb:,.0f} MB, over its budget "
                          f"of {limits.budgets.pdf_part_memory_mb:,} MB (content/catalog/limits.yaml)")


def _check_pages_per_case(plan: Plan, pages: dict[str, int], total: int, limit: int) -> None:
    """Each case study's chapter runs from its first page to the next chapter's: at most ``limit`` pages."""
    order = [c for c in plan.chapters if c.anchor in pages]
    over = []
    for i, chapter in enumerate(order):
        if chapter.kind != "case":
            continue
        end = pages[order[i + 1].anchor] if i + 1 < len(order) else total + 1
        if end - pages[chapter.anchor] > limit:
            over.append(f"{chapter.case.id if chapter.case else chapter.anchor} ({end - pages[chapter.anchor]} pages)")
    if over:
        raise RenderError(f"case studies over the limit of {limit} PDF pages per case "
                          f"(content/catalog/limits.yaml pages_per_case): {', '.join(over)}")


def _toc_anchors(plan: Plan) -> list[str]:
    """The anchors the 目次 gives a page for: every chapter and the 節 it lists."""
    return [c.anchor for c in plan.chapters] + [s.anchor for ss in plan.toc_sections.values() for s in ss]


def _front_pages(plan: Plan, pages: dict[str, int]) -> int:
    """How many pages come before the first chapter: the front matter (cover, 目次), numbered apart."""
    return min((pages[c.anchor] for c in plan.chapters), default=1) - 1


def page_labels(front_pages: int, total: int) -> list[str]:
    """What the folio prints on each page: nothing on the cover, i, ii … on the rest of the front matter,
    then "1 / N" … through the body (N: the body's pages). The PDF's /PageLabels say the same."""
    body = total - front_pages
    return ["" if n == 0 else _roman(n + 1) if n < front_pages else f"{n - front_pages + 1} / {body}"
            for n in range(total)]


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def _body_numbers(plan: Plan, pages: dict[str, int]) -> dict[str, int]:
    """The 目次's page numbers: counted from the first page of the body (the first chapter is page 1)."""
    offset = _front_pages(plan, pages)
    return {name: page - offset for name, page in pages.items()}


def _toc_pages(plan: Plan, parts: list, layouts: dict[str, Layout]) -> dict[str, int]:
    """Chapter and 節 anchor → 1-based page number in the joined report."""
    where: dict[str, int] = {}
    offset = 0
    for part in parts:
        layout = layouts[part.name]
        for name, index in layout.anchors.items():
            where.setdefault(name, offset + index + 1)
        offset += layout.pages
    missing = [name for name in _toc_anchors(plan) if name not in where]
    if missing:
        raise RenderError(f"report chapters without a page: {', '.join(missing)}")
    return {name: where[name] for name in _toc_anchors(plan)}


def _info(output: Path, variant: str | None, pages: int, plan: Plan, seconds: float,
          warnings: list[str], bookmarks: list[str] | None = None) -> ReportInfo:
    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    return ReportInfo(str(output), variant, pages, [c.title for c in plan.chapters], len(plan.cases), digest,
                      round(seconds, 3), warnings, bookmarks or [])
