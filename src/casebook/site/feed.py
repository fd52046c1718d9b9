"""新着情報: an Atom feed (RFC 4287) of the editions and the case studies, at ``feed.xml`` of the site.

Every link is relative to the feed (it sits at the site root), so the feed works without ``site_url`` on any
host or sub-path; ids are ``urn:uuid:`` names derived from the record id, so they stay the same across
hosts and editions. Dates are the records' own (a case study's ``updated``, an edition's ``date``), at
00:00 Japan time, so the same records give the same bytes.
"""

from __future__ import annotations

import html
import re
import uuid
from xml.etree import ElementTree as ET

from ..diff import EditionChanges
from ..model import Corpus
from ..render.prose import to_html
from .links import page_url, path_of

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"
_NAMESPACE = uuid.UUID("6f0d3c5e-9a57-4e1e-8d8f-2b1c8f6a0c11")  # Casebook's own namespace for feed ids
_STATUS = {"added": "追加", "changed": "変更", "removed": "削除"}


def _id(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"


def _plain(prose: str, limit: int) -> str:
    """Record prose as plain text (its Markdown rendered and the tags dropped), at most ``limit`` characters."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", to_html(prose))).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _date(day: str) -> str:
    return f"{day}T00:00:00+09:00"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def atom_feed(corpus: Corpus, history: list[EditionChanges], directory_urls: bool = True) -> bytes:
    """The feed: one entry per edition (with what it added, changed and removed) and per case study."""
    ET.register_namespace("", ATOM)
    pub = corpus.publication
    entries: list[tuple[str, ET.Element]] = []
    for h in history:
        entry = ET.Element(f"{{{ATOM}}}entry")
        _sub(entry, "id", _id(f"edition/{h.edition.edition}"))
        _sub(entry, "title", f"第{h.edition.edition}版（{h.edition.date}）")
        _sub(entry, "updated", _date(h.edition.date))
        _sub(entry, "link", rel="alternate", type="text/html", href=page_url("changelog/index.md", directory_urls))
        lines = [h.edition.summary.ja]
        if h.changes:
            counts = "、".join(f"{label} {h.count(status)} 件" for status, label in _STATUS.items())
            lines.append(f"前の版からの記録の変更: {counts}")
        _sub(entry, "summary", "\n".join(lines), type="text")
        entries.append((h.edition.date, entry))
    for case in corpus.cases.values():
        entry = ET.Element(f"{{{ATOM}}}entry")
        _sub(entry, "id", _id(f"casestudy/{case.id}"))
        title = case.title.ja + ("（説明用の架空事例）" if case.is_sample else "")
        _sub(entry, "title", f"事例: {title}")
        _sub(entry, "updated", _date(case.updated))
        _sub(entry, "link", rel="alternate", type="text/html", href=page_url(path_of(case), directory_urls))
        _sub(entry, "summary", _plain(case.summary.ja, 400), type="text")
        entries.append((case.updated, entry))
    entries.sort(key=lambda e: e[0], reverse=True)

    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "ja"})
    _sub(feed, "id", _id(f"feed/{pub.title.ja}"))
    _sub(feed, "title", f"{pub.title.ja} — 新着情報")
    _sub(feed, "updated", max((_date(d) for d, _ in entries), default=_date(pub.date)))
    author = _sub(feed, "author")
    _sub(author, "name", pub.publisher.ja)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=FEED_PATH)
    _sub(feed, "link", rel="alternate", type="text/html", href="./")
    for _, entry in entries:
        feed.append(entry)
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"
