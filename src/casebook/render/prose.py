"""Record prose → finished, escaped HTML, for the site and the report.

Prose fields take a small Markdown subset: paragraphs, lists, emphasis, links to http(s) and record ids.
Everything else a hostile record might try is neutralised *before* Markdown sees it: raw HTML becomes
text, link and image targets other than http(s) become text, attribute lists and snippet markers are
escaped, and record ids written in the text become links through a caller-supplied ``href``.

The only links and code spans in the output are the ones written here: every other ``[``, ``]``, backslash
and backtick of the record is escaped, so Markdown cannot find a link the patterns below did not see
(nested brackets, a single-quoted title, a link inside what only looked like a code span).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import markdown as _markdown

from . import xref

Href = Callable[[str], str | None]  # record id → link target, or None when it is not a record

_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*([^)\s]*)(?:\s+\"[^\"\n]*\")?\s*\)")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)
_CODE = re.compile(r"(`+)(.+?)\1")  # one line: a blank line would end the span in Markdown
_ID = re.compile(r"(?<![A-Za-z0-9_/#.-])([A-Z][A-Z0-9]*(?:-[A-Za-z0-9]+)+|[a-z][a-z0-9]*(?:-[a-z0-9]+)+)"
                 r"(?![A-Za-z0-9_-])")


def _escape(text: str) -> str:
    """Make raw HTML, attribute lists, include markers, links and code spans inert (they display as typed).

    Brackets, backslashes and backticks are escaped too: the links and code spans of the output are only
    the ones :func:`to_markdown` writes. Before, ``[a[b]](javascript:…)``, ``[x](javascript:… 't')`` and
    ``[![i](x)](http://…)`` slipped past ``_LINK`` and Python-Markdown made them live links and images.
    """
    text = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("`", "\\`")
    text = text.replace("!", "\\!")  # "!" before a record-id link written here would make it an image
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("{", "&#123;").replace("}", "&#125;")
    text = text.replace("--8<--", "--8&lt;--")  # pymdownx.snippets marker, in case it is ever enabled
    return text


def _code(content: str) -> str:
    """A code span from a record, as an HTML element whose text is fully escaped.

    Not passed through as Markdown: where the pattern and Markdown disagree about a span's end (a blank
    line, an escaped backtick), the "code" was read as Markdown and could hold a live link.
    """
    return "<code>" + _escape(content).replace("*", "\\*").replace("_", "\\_") + "</code>"


def _link_ids(segment: str, href: Href) -> str:
    def repl(m: re.Match) -> str:
        target = href(m.group(1))
        return f"[{m.group(1)}]({target})" if target else m.group(1)

    return _ID.sub(repl, segment)


def to_markdown(text: str, href: Href | None = None) -> str:
    """The escaped Markdown :func:`to_html` renders (only its own links and code spans are live).

    It is meant for :func:`to_html`'s Markdown instance, which has no headings, boxes, HTML blocks or
    extensions; never hand it to a site's Markdown.
    """
    href = href or (lambda _id: None)
    text = _one_line_ending(text)
    out: list[str] = []
    pos = 0
    for m in _LINK.finditer(text):
        out.append(_plain(text[pos:m.start()], href))
        bang, label, url = m.groups()
        label_md = _escape(label)
        if bang:  # images are never taken from prose: show the alt text and the address as text
            out.append(f"\\[画像: {label_md}\\] ({_escape(url)})" if url else f"\\[画像: {label_md}\\]")
        elif _SAFE_URL.match(url) and _deceptive(label, url):
            # Link text that reads as another address: show what it says and where it really goes.
            out.append(f"{label_md} ([{_escape(url)}](<{url.replace('>', '%3E')}>))")
        elif _SAFE_URL.match(url):
            out.append(f"[{label_md}](<{url.replace('>', '%3E')}>)")
        elif href(url):
            out.append(f"[{label_md}]({href(url)})")
        else:
            out.append(f"{label_md} ({_escape(url)})" if url else label_md)
        pos = m.end()
    out.append(_plain(text[pos:], href))
    return "".join(out)


def _plain(segment: str, href: Href) -> str:
    """Escape a stretch of text without links; link record ids outside code spans."""
    parts: list[str] = []
    pos = 0
    for m in _CODE.finditer(segment):
        parts.append(_link_ids(_escape(segment[pos:m.start()]), href))
        parts.append(_code(m.group(2).strip(" ") or m.group(2)))  # shows its text literally
        pos = m.end()
    parts.append(_link_ids(_escape(segment[pos:]), href))
    return "".join(parts)


_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_URLISH = re.compile(r"^\s*(?:https?://|www\.|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/|$))", re.IGNORECASE)


def _one_line_ending(text: str) -> str:
    """Every line break as ``\n``: the renderer sees the same lines a reader does (a bare CR is a line)."""
    return _LINE_BREAKS.sub("\n", text)


def _host_path(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower()).rstrip("/")


def _deceptive(label: str, url: str) -> bool:
    """True when the link text looks like an address other than the link's own target."""
    return bool(_URLISH.match(label)) and _host_path(label) != _host_path(url)


#: The block syntax record prose may use. Headings, rules, quotes, indented code and reference
#: definitions are not registered, so no input can produce them, whatever its line endings or nesting.
_PROSE_BLOCKS = ("empty", "indent", "olist", "ulist", "paragraph")
#: Inline syntax: escapes, the links and code spans :func:`to_markdown` writes, line breaks, entities
#: (its own escapes), emphasis. Images, references and autolinks are not registered.
_PROSE_INLINE = ("backtick", "escape", "link", "linebreak", "html", "entity", "em_strong")


@lru_cache(maxsize=1)
def _md() -> _markdown.Markdown:
    """The Markdown instance for record prose: only the syntax prose needs, no extensions at all.

    It is separate from any site's Markdown on purpose: record text never reaches mkdocstrings, snippets,
    attribute lists, admonitions or HTML blocks. The only raw HTML it keeps inline is the ``<code>`` that
    :func:`to_markdown` writes (every ``<`` of a record is escaped first).
    """
    md = _markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    for name in [p.name for p in md.parser.blockprocessors._priority]:
        if name not in _PROSE_BLOCKS:
            md.parser.blockprocessors.deregister(name)
    for name in [p.name for p in md.inlinePatterns._priority]:
        if name not in _PROSE_INLINE:
            md.inlinePatterns.deregister(name)
    return md


#: Text without any of these needs no Markdown: one line, no markup characters, no list marker, no id.
_MARKUP = re.compile(r"[\n\r\t*_\[\]`\\<>&!{}#\x0b\x0c\x85\u2028\u2029]|^\s*(?:[-+]|\d+[.)])(?:\s|$)|\s$|^\s")


def _plain_paragraph(text: str, href: Href | None) -> str | None:
    """The HTML Markdown would give for plain one-line text, without running Markdown (most table cells)."""
    if not text or _MARKUP.search(text) or (href is not None and _ID.search(text)):
        return None
    return f"<p>{text}</p>"


def to_html(text: str, href: Href | None = None, inline: bool = False,
            refs: xref.Resolver | None = None) -> str:
    """Finished, escaped HTML of a prose field, for the site and the report alike.

    ``href`` maps a record id to a link target (or None when it is not a record or should not link).
    ``inline`` drops the paragraph around a single-paragraph result (for table cells and labels).
    ``refs`` resolves the output's cross-references (``[[ref:P4]]``, see :mod:`casebook.render.xref`).
    """
    plain = _plain_paragraph(text, href)
    if plain is not None:
        return plain[3:-4] if inline else plain
    md = _md()
    md.reset()
    text, found = xref.protect(text)
    out = xref.restore(md.convert(to_markdown(text, href)), found, refs)
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out
