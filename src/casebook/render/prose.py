"""Record prose → safe Markdown (for the site) or safe HTML (for the report).

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


_HEADING = re.compile(r"^( {0,3})(#{1,6}(?:[ \t]|$))", re.MULTILINE)  # ATX heading
_DETAILS = re.compile(r"^([ \t]*)(\?\?\?)", re.MULTILINE)  # pymdownx.details on the site
_UNDERLINE = re.compile(r"^( {0,3})([=-]+[ \t]*)$", re.MULTILINE)  # setext heading under a paragraph


def _block_guard(markdown: str) -> str:
    """Escape line starts that would make a heading or a collapsible box: record prose has neither, and a
    heading in it would add a chapter to the PDF outline and take over the running header."""
    # `#` and `-` have Markdown escapes; `?` and `=` do not, so their first character becomes an entity.
    markdown = _HEADING.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", markdown)
    markdown = _DETAILS.sub(lambda m: f"{m.group(1)}&#63;??", markdown)
    return _UNDERLINE.sub(lambda m: f"{m.group(1)}{'&#61;' if m.group(2)[0] == '=' else chr(92) + '-'}"
                          f"{m.group(2)[1:]}", markdown)


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
    """Safe Markdown for a site page. ``href`` maps a record id to a relative page link."""
    href = href or (lambda _id: None)
    out: list[str] = []
    pos = 0
    for m in _LINK.finditer(text):
        out.append(_plain(text[pos:m.start()], href))
        bang, label, url = m.groups()
        label_md = _escape(label)
        if bang:  # images are never taken from prose: show the alt text and the address as text
            out.append(f"\\[画像: {label_md}\\] ({_escape(url)})" if url else f"\\[画像: {label_md}\\]")
        elif _SAFE_URL.match(url):
            out.append(f"[{label_md}](<{url.replace('>', '%3E')}>)")
        elif href(url):
            out.append(f"[{label_md}]({href(url)})")
        else:
            out.append(f"{label_md} ({_escape(url)})" if url else label_md)
        pos = m.end()
    out.append(_plain(text[pos:], href))
    return _block_guard("".join(out))


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


@lru_cache(maxsize=1)
def _md() -> _markdown.Markdown:
    md = _markdown.Markdown(extensions=["sane_lists"], output_format="html")
    # Every `<` of a record is escaped by to_markdown; the only inline tags left are its own <code>, which
    # the site's Markdown keeps too. Raw HTML blocks stay off as a second guard.
    md.preprocessors.deregister("html_block")
    return md


def to_html(text: str, href: Href | None = None, inline: bool = False) -> str:
    """Safe HTML for the report: the same subset as :func:`to_markdown`, rendered without raw HTML."""
    md = _md()
    md.reset()
    out = md.convert(to_markdown(text, href))
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out
