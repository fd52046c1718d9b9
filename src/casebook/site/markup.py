"""Escaping and small markup helpers for generated Markdown (no MkDocs imports).

Record text reaches a page only through these helpers or :func:`casebook.render.prose.to_markdown`:
``inline`` for names and titles (headings, table cells, link labels), ``prose``/``cell`` for prose
fields, ``attr`` for HTML attribute values. Raw HTML in a record always ends up as text.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re

from ..model import Band, Score, Text
from ..render import prose

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#!|])")
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_ANCHOR = re.compile(r"[^A-Za-z0-9_-]")


def as_str(value: Text | str | None) -> str:
    if value is None:
        return ""
    return value.ja if isinstance(value, Text) else str(value)


#: ``inline``'s escapes: HTML's &, <, >; braces (attribute lists); Markdown's specials get a backslash.
_INLINE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;",
                         **{ch: "\\" + ch for ch in "\\`*_[]()#!|"}})


def inline(value: Text | str | None) -> str:
    """One line of literal text for a heading, table cell or link label: no Markdown, no HTML."""
    return " ".join(as_str(value).split()).translate(_INLINE)


def attr(value: Text | str | None) -> str:
    """Text for an HTML attribute value (quoted with double quotes)."""
    return html.escape(" ".join(as_str(value).split()), quote=True)


def prose_md(value: Text | str | None, href: prose.Href) -> str:
    """A prose field as a block of safe Markdown."""
    return prose.to_markdown(as_str(value).strip(), href)


def cell(value: Text | str | None, href: prose.Href) -> str:
    """A prose field inside a Markdown table cell: one line, pipes escaped."""
    text = " ".join(as_str(value).split())
    return prose.to_markdown(text, href).replace("|", "\\|")


_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


def extlink(url: str | None, label: Text | str | None = None) -> str:
    """A link to an http(s) address from a record; anything else is shown as text."""
    if not url:
        return ""
    shown = inline(label if label is not None else url)
    if _SAFE_URL.match(url):
        return f"[{shown}](<{url.replace('>', '%3E')}>)"
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
    label = html.escape(band.label.ja)
    shown = f"{value} {label}" if value is not None else label
    return (f'<span class="cb-band cb-band-{anchor(band.id)}" style="background-color:{bg};'
            f'color:{text_colour(bg)}">{shown}</span>')


def score_badge(score: Score) -> str:
    return band_badge(score.band, score.value)


def score_detail(score: Score) -> str:
    """e.g. ``4×4 = <badge 16 重大>``."""
    return f"{score.likelihood}×{score.impact} = {score_badge(score)}"
