"""Report HTML → PDF with WeasyPrint: locked-down fetching, fixed dates, tagged output, atomic write."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import RenderError
from ..model import Corpus
from .fetcher import AssetFetcher, RefusedFetch
from .html import STYLESHEET, Plan, build_html, templates_dir

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


def write_pdf(html: str, output: Path, *, base: Path, stylesheet: Path, folders: list[Path],
              variant: str | None) -> tuple[int, list[str], list[str]]:
    """Render ``html`` to ``output`` (atomically). Returns (page count, WeasyPrint warnings, outline labels)."""
    import weasyprint  # imported here: heavy, and not needed to build the HTML

    fetcher = AssetFetcher(folders)
    handler = _Collect()
    logger = logging.getLogger(_WEASY_LOGGER)
    logger.addHandler(handler)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)  # mkstemp makes the file private; a published PDF is read by others
    try:
        document = weasyprint.HTML(string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher)
        css = weasyprint.CSS(filename=str(stylesheet), url_fetcher=fetcher)
        rendered = document.render(stylesheets=[css], pdf_variant=variant, pdf_tags=variant == "pdf/ua-1",
                                   uncompressed_pdf=False)
        tagged = variant == "pdf/ua-1"
        with _fast_page_references():
            rendered.write_pdf(tmp, finisher=add_header_scope if tagged else None, pdf_variant=variant,
                               pdf_tags=tagged)
        pages = len(rendered.pages)
        bookmarks = _labels(rendered.make_bookmark_tree())
        tmp.replace(output)
    except RefusedFetch as exc:
        raise RenderError(f"report render stopped: {exc}") from exc
    except weasyprint.urls.FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(f"report render stopped: {exc} ({cause})") from exc
    finally:
        logger.removeHandler(handler)
        tmp.unlink(missing_ok=True)
    return pages, handler.records, bookmarks


def _labels(tree: list) -> list[str]:
    out: list[str] = []
    for label, _target, children, _state in tree:
        out.append(label)
        out.extend(_labels(children))
    return out


def render_report(corpus: Corpus, output: Path, variant: str | None = "pdf/ua-1",
                  case: str | None = None) -> ReportInfo:
    """Render the evaluation report of ``corpus`` to ``output``; the file appears only when complete.

    ``variant`` is ``"pdf/ua-1"`` (tagged, the default), ``"pdf/a-3b"`` or ``None`` for a plain PDF.
    Raises :class:`~casebook.errors.RenderError` when a template fails or a resource is refused.
    ``case`` renders only that case study's chapter (``casebook preview``).
    """
    variant = check_variant(variant)
    start = time.perf_counter()
    folder = templates_dir(corpus.root)
    html, plan = build_html(corpus, folder, case)
    output = Path(output)
    pages, warnings, bookmarks = write_pdf(html, output, base=corpus.root, stylesheet=folder / STYLESHEET,
                                folders=asset_folders(corpus, folder), variant=variant)
    return _info(output, variant, pages, plan, time.perf_counter() - start, warnings, bookmarks)


def _info(output: Path, variant: str | None, pages: int, plan: Plan, seconds: float,
          warnings: list[str], bookmarks: list[str] | None = None) -> ReportInfo:
    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    return ReportInfo(str(output), variant, pages, [c.title for c in plan.chapters], len(plan.cases), digest,
                      round(seconds, 3), warnings, bookmarks or [])
