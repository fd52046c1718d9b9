"""Record text reaches site pages as finished HTML that the site's Markdown never reads.

A generated page is Markdown written by a template; every string that comes from a record (titles, names,
prose, labels) is rendered to escaped HTML first — prose by :func:`casebook.render.prose.to_html` — and
stored here. The template output carries only an opaque marker (``\\x1a`` + number + ``\\x1a``) in its
place. :class:`FragmentExtension`, an early preprocessor of the site's Markdown, swaps each marker for a
placeholder in Markdown's own raw-HTML stash, so no block or inline processor, no treeprocessor and no
extension (mkdocstrings, snippets, attribute lists, admonitions, HTML blocks …) ever sees record text. The
stash is restored after everything else has run.

The marker character is a C0 control character, which the loader refuses in every record, so a record can
neither write a marker nor break one. This module imports Markdown but no MkDocs.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

MARK = "\x1a"
_MARKER = re.compile(MARK + r"(\d+)" + MARK)


class Fragments:
    """Record HTML by marker number, shared by every page of one build."""

    def __init__(self) -> None:
        self._html: list[str] = []

    def add(self, html: str) -> str:
        """Store finished HTML; return the marker a template prints in its place."""
        self._html.append(html)
        return f"{MARK}{len(self._html) - 1}{MARK}"

    def get(self, number: int) -> str:
        return self._html[number]

    def __len__(self) -> int:
        return len(self._html)

    def resolve(self, markdown: str) -> str:
        """The Markdown with the HTML written in place of each marker (for debugging and goldens only:
        handing the result to a Markdown with extensions would expose record text to them)."""
        return _MARKER.sub(lambda m: self.get(int(m.group(1))), markdown)


class _Stash(Preprocessor):
    def __init__(self, md: Markdown, fragments: Fragments) -> None:
        super().__init__(md)
        self.fragments = fragments

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if MARK not in text:
            return lines

        def stash(m: re.Match) -> str:
            return self.md.htmlStash.store(self.fragments.get(int(m.group(1))))

        return _MARKER.sub(stash, text).split("\n")


class FragmentExtension(Extension):
    """Markdown extension that puts stored record HTML in place of its markers, before anything else runs."""

    def __init__(self, fragments: Fragments, **kwargs) -> None:
        self.fragments = fragments
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # After normalize_whitespace (30), which deletes the stash's STX/ETX placeholder characters, and
        # before html_block (20) and every block processor. A preprocessor that runs earlier (snippets, 32)
        # sees only the markers: opaque numbers, never record text.
        md.preprocessors.register(_Stash(md, self.fragments), "casebook_fragments", 25)
