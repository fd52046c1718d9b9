"""Record text → finished HTML for site pages (no MkDocs imports).

Record text reaches a page only through these helpers, and from them only as HTML stored in
:class:`casebook.site.fragments.Fragments` (the page's Markdown holds a marker): ``inline`` for names and
titles (headings, table cells, link labels), ``prose``/``cell`` for prose fields (rendered by
:func:`casebook.render.prose.to_html`), ``attr`` for HTML attribute values written by templates. Raw HTML in a
record always ends up as text.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re

from ..model import Band, Score, Text
from ..render import prose as prose_renderer
from ..render.xref import Resolver

_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_ANCHOR = re.compile(r"[^A-Za-z0-9_-]")


# C0/C1 control characters other than tab and newline. Validation refuses them in records; they are also
# dropped here because the fragment marker and Markdown's stash placeholders are made of such characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def as_str(value: Text | str | None) -> str:
    """The Japanese text of a record value, without control characters."""
    if value is None:
        return ""
    return _CONTROL.sub("", value.ja if isinstance(value, Text) else str(value))


def inline(value: Text | str | None) -> str:
    """One line of literal text as escaped HTML (for a heading, table cell or link label)."""
    return html.escape(" ".join(as_str(value).split()), quote=True)


def attr(value: Text | str | None) -> str:
    """Text for an HTML attribute value (quoted with double quotes)."""
    return html.escape(" ".join(as_str(value).split()), quote=True)


def prose(value: Text | str | None, href: prose_renderer.Href, refs: Resolver | None = None) -> str:
    """A prose field as finished HTML blocks (``refs`` resolves its cross-references)."""
    return prose_renderer.to_html(as_str(value).strip(), href, refs=refs)


def cell(value: Text | str | None, href: prose_renderer.Href, refs: Resolver | None = None) -> str:
    """A prose field on one line (a table cell, a list item): finished inline HTML."""
    return prose_renderer.to_html(" ".join(as_str(value).split()), href, inline=True, refs=refs)


_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


def extlink(url: str | None, label: Text | str | None = None) -> str:
    """A link to an http(s) address from a record; anything else is shown as text."""
    if not url:
        return ""
    shown = inline(label if label is not None else url)
    if _SAFE_URL.match(url) and not _CONTROL.search(url):
        return f'<a href="{html.escape(url, quote=True)}">{shown}</a>'
    return inline(url)


def anchor(record_id: str) -> str:
    """An HTML id for a record id (ids are ASCII already; anything else is dropped)."""
    return _ANCHOR.sub("", record_id)


@functools.lru_cache(maxsize=65536)  # pure; a corpus asks for the same few thousand pairs many times
def relative(target: str, current: str) -> str:
    """Relative link from page ``current`` to ``target`` (both docs-relative paths, target may have #)."""
    path, _, frag = target.partition("#")
    rel = "" if path == current else posixpath.relpath(path, posixpath.dirname(current) or ".")
    return f"{rel}#{frag}" if frag else (rel or posixpath.basename(current))


def colour(band: Band) -> str:
    return band.colour if _COLOUR.match(band.colour) else "#ffffff"


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (#rgb or #rrggbb)."""
    hexes = background.lstrip("#")
    if len(hexes) == 3:
        hexes = "".join(c * 2 for c in hexes)
    r, g, b = (int(hexes[i:i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def band_badge(band: Band, value: int | None = None) -> str:
    """Inline HTML: the band's colour AND its label as text (never colour alone)."""
    bg = colour(band)
    label = html.escape(as_str(band.label))
    shown = f"{value} {label}" if value is not None else label
    return (f'<span class="cb-band cb-band-{anchor(band.id)}" style="background-color:{bg};'
            f'color:{text_colour(bg)}">{shown}</span>')


def score_badge(score: Score) -> str:
    return band_badge(score.band, score.value)


def score_detail(score: Score) -> str:
    """e.g. ``4×4 = <badge 16 重大>``."""
    return f"{score.likelihood}×{score.impact} = {score_badge(score)}"


def diffmark(segments, side: str) -> str:
    """A 新旧対照表 cell: the text with its changed characters marked (``<ins>`` on the new side, ``<del>``
    on the old), escaped, line breaks kept."""
    tag = "ins" if side == "new" else "del"
    out = []
    for seg in segments:
        text = html.escape(_CONTROL.sub("", seg.text), quote=True).replace("\n", "<br>")
        out.append(f'<{tag} class="cb-diff">{text}</{tag}>' if seg.changed else text)
    return "".join(out) or "—"
