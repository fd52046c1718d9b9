"""Join the parts of the report into one PDF: pages, structure tree, named destinations, outline, folio.

Every part is a complete PDF written by WeasyPrint (tagged when the variant is ``pdf/ua-1``). The first
part is the base; for each following part its pages are appended and its structure elements, outline
items and named destinations are copied over. qpdf remembers what it copied from a given part, so a
structure element's page, a link's annotation and an outline item's destination all land on the copies
made with the pages. The structure tree's parent-tree keys are renumbered so they stay unique, and only
the destinations a part really holds are kept (each part also names the other parts' targets so that
WeasyPrint keeps links to them; see :func:`casebook.report.pdf.render_part_pdf`).

The folio (page numbers "n / total", known only once every part is laid out) is a separate PDF with one
page per report page; each folio page is drawn over its report page as a Form XObject inside an
``/Artifact`` marked-content sequence, so assistive technology skips it as pagination.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import RenderError

#: Marks the folio as a pagination artifact (PDF 1.7, 14.8.2.2) around the XObject that draws it.
_FOLIO_OPEN = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\nq\n"
_FOLIO_CLOSE = b"\nQ\nEMC\n"


@dataclass
class PartFile:
    """A rendered part: its PDF and the anchors it really holds (other parts' targets are only named)."""

    path: Path
    anchors: set[str]


#: Parts copied into the growing PDF before it is written out and reopened. qpdf keeps every object it
#: has read or copied until the PDF is closed, twice over (the copy and the part's own); writing the
#: joined pages out every few parts and reopening them lazily keeps about one copy of the report in memory.
PARTS_PER_STAGE = 5


def join(parts: list[PartFile], folio: Path | None, output: Path, tagged: bool, front_pages: int = 0) -> list[str]:
    """Write the parts, in order, as one PDF at ``output``; return the outline labels, depth first.

    The first ``front_pages`` pages (cover, 目次) are labelled i, ii … in the PDF's /PageLabels and the
    rest 1, 2 …, as the folio numbers them, so that a viewer shows the printed page numbers.
    """
    parts_per_stage = max(1, PARTS_PER_STAGE)
    base = parts[0]
    rest = parts[1:]
    stage = 0
    try:
        while True:
            group, rest = rest[:parts_per_stage], rest[parts_per_stage:]
            if not rest:
                return _join_once(base, group, folio, output, tagged, front_pages)
            stage += 1
            target = output.with_name(f"{output.name}.stage{stage}")
            _join_once(base, group, None, target, tagged)
            if stage > 1:
                base.path.unlink()
            base = PartFile(target, base.anchors.union(*(part.anchors for part in group)))
    finally:
        for n in range(1, stage + 1):
            output.with_name(f"{output.name}.stage{n}").unlink(missing_ok=True)


def _join_once(first: PartFile, parts: list[PartFile], folio: Path | None, output: Path, tagged: bool,
               front_pages: int = 0) -> list[str]:
    import pikepdf

    base = pikepdf.Pdf.open(first.path)
    sources = [pikepdf.Pdf.open(part.path) for part in parts]
    opened = [base, *sources]
    try:
        dests = _destinations(base, base, first.anchors)
        tree = _StructTree(base) if tagged else None
        for source, part in zip(sources, parts, strict=True):
            start = len(base.pages)
            with warnings.catch_warnings():
                # pikepdf warns that extend() leaves named destinations behind: _destinations copies them
                warnings.filterwarnings("ignore", message="Copying pages from another Pdf")
                base.pages.extend(source.pages)
            if tree is not None:
                tree.append(source, base.pages[start:])
            _append_outline(base, source)
            dests.extend(_destinations(base, source, part.anchors))
        _write_destinations(base, dests)
        if folio is not None:
            folio_pdf = pikepdf.Pdf.open(folio)
            opened.append(folio_pdf)
            _overlay_folio(base, folio_pdf)
            _page_labels(base, front_pages)
        labels = _labels(base)
        base.save(output, deterministic_id=True, compress_streams=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)
    finally:
        for pdf in opened:
            pdf.close()
    return labels


class _StructTree:
    """The base part's structure tree, growing as parts are appended."""

    def __init__(self, base) -> None:
        root = base.Root.get("/StructTreeRoot")
        if root is None:
            raise RenderError("a tagged report part has no structure tree")
        self.base = base
        self.document = root.K[0]
        self.nums = root.ParentTree.Nums
        self.next_key = _next_key(self.nums)

    def append(self, source, pages) -> None:
        """Copy ``source``'s elements under the base's Document element and renumber its parent tree."""
        root = source.Root.StructTreeRoot
        document = root.K[0]
        del document["/P"]  # copy the part's elements, not its whole tree root (and so every other object)
        copied = self.base.copy_foreign(document)
        for child in copied.K:
            child.P = self.document
            self.document.K.append(child)
        nums = self.base.copy_foreign(root.ParentTree).Nums
        offset = self.next_key
        for i in range(0, len(nums), 2):
            self.nums.append(int(nums[i]) + offset)
            self.nums.append(nums[i + 1])
        for page in pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        self.next_key = offset + _next_key(nums)
        self.base.Root.StructTreeRoot.ParentTreeNextKey = self.next_key


def _next_key(nums) -> int:
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    return max(keys) + 1 if keys else 0


def _append_outline(base, source) -> None:
    import pikepdf

    theirs = source.Root.get("/Outlines")
    if theirs is None or "/First" not in theirs:
        return
    first = base.copy_foreign(theirs.First)  # brings the whole chain, each item's children and destinations
    ours = base.Root.get("/Outlines")
    if ours is None or "/First" not in ours:
        ours = base.Root.Outlines = base.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines, Count=0))
        ours.First = first
    else:
        ours.Last.Next = first
        first.Prev = ours.Last
    item = first
    while True:
        item.Parent = ours
        if "/Next" not in item:
            break
        item = item.Next
    ours.Last = item
    ours.Count = int(ours.get("/Count", 0)) + int(theirs.get("/Count", 0))


def _destinations(base, source, anchors: set[str]) -> list[tuple[bytes, object]]:
    """(name, destination copied into ``base``) for every destination ``source`` really holds."""
    names = source.Root.get("/Names")
    tree = names.get("/Dests") if names is not None else None
    if tree is None:
        return []
    if "/Kids" in tree:
        raise RenderError("a report part has a nested destination tree; Casebook expects a flat one")
    flat = tree.get("/Names", [])
    out = []
    for i in range(0, len(flat), 2):
        name = bytes(flat[i])
        if name.decode("utf-8", "replace") not in anchors:
            continue
        dest = flat[i + 1]
        if source is not base:
            dest = base.copy_foreign(source.make_indirect(dest))
        out.append((name, dest))
    return out


def _write_destinations(base, dests: list[tuple[bytes, object]]) -> None:
    import pikepdf

    seen: dict[bytes, object] = {}
    for name, dest in dests:
        seen.setdefault(name, dest)  # as in one document: the first anchor of a name wins
    flat = pikepdf.Array()
    for name in sorted(seen):
        flat.append(pikepdf.String(name))
        flat.append(seen[name])
    if "/Names" not in base.Root:
        base.Root.Names = pikepdf.Dictionary()
    base.Root.Names.Dests = base.make_indirect(pikepdf.Dictionary(Names=flat))


def _overlay_folio(base, folio) -> None:
    import pikepdf

    if len(folio.pages) != len(base.pages):
        raise RenderError(f"the folio has {len(folio.pages)} pages for a report of {len(base.pages)}")
    for number, (page, folio_page) in enumerate(zip(base.pages, folio.pages, strict=True), start=1):
        if [round(float(v), 2) for v in page.mediabox] != [round(float(v), 2) for v in folio_page.mediabox]:
            raise RenderError(f"report page {number} and its folio page differ in size")
        form = base.copy_foreign(folio.make_indirect(folio_page.as_form_xobject()))
        # WeasyPrint shares one resource dictionary between a part's pages: one name per page, fixed so
        # that the same inputs give the same bytes
        name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/CasebookFolio{number}"),
                                 replace_existing=False)
        page.contents_add(base.make_stream(b"q\n"), prepend=True)
        page.contents_add(base.make_stream(b"\nQ\n" + _FOLIO_OPEN + str(name).encode() + b" Do" + _FOLIO_CLOSE))


def _page_labels(pdf, front_pages: int) -> None:
    """/PageLabels (PDF 1.7, 12.4.2): lower-case roman for the front matter, decimal from 1 for the body."""
    import pikepdf

    nums = pikepdf.Array()
    if front_pages:
        nums.extend([0, pikepdf.Dictionary(S=pikepdf.Name.r)])
    if front_pages < len(pdf.pages):
        nums.extend([front_pages, pikepdf.Dictionary(S=pikepdf.Name.D)])
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=nums)


def _labels(pdf) -> list[str]:
    out: list[str] = []

    def walk(item) -> None:
        while item is not None:
            out.append(str(item.get("/Title", "")))
            walk(item.get("/First"))
            item = item.get("/Next")

    outlines = pdf.Root.get("/Outlines")
    if outlines is not None:
        walk(outlines.get("/First"))
    return out
