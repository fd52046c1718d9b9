"""Japanese line-breaking rules the stylesheet cannot express, applied once to the report's rendered HTML.

Japanese text may break between any two characters, so WeasyPrint broke 「（モ/デル方針）」 and record ids
(``APPI-/27``) at line ends. :func:`keep_together` wraps a short parenthesised word and a short record id in
``<span class="nobr">`` (``white-space: nowrap`` in report.css). Only text between tags in the body changes:
attributes, ``<head>``, ``<style>`` and ``<script>`` are left alone. Longer ones are left to break (a span
that cannot break could run out of a narrow table cell); an id still breaks only at its hyphens.
"""

from __future__ import annotations

import re

#: Longest word inside full-width parentheses kept on one line (「（モデル方針）」 is 5).
PAREN_CHARS = 5
#: Longest record id kept on one line ("M-PII-MASKING-1" is 15).
ID_CHARS = 16

_PAREN = re.compile(rf"（[^（）\s]{{1,{PAREN_CHARS}}}）")
_ID = re.compile(r"(?<![A-Za-z0-9_.-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?![A-Za-z0-9_-])")
_PIECES = re.compile(r"(<[^>]*>)")
_RAW = ("script", "style", "title", "head")


def keep_together(html: str) -> str:
    """``html`` with short parenthesised words and short ids wrapped so that no line breaks inside them."""
    out: list[str] = []
    raw = 0  # inside <head>, <style> … : leave as it is
    for piece in _PIECES.split(html):
        if piece.startswith("<"):
            m = re.match(r"<(/?)([a-zA-Z0-9]+)", piece)
            if m and m.group(2).lower() in _RAW:
                raw += -1 if m.group(1) else 1
            out.append(piece)
        elif raw > 0 or not piece:
            out.append(piece)
        else:
            out.append(_wrap(piece))
    return "".join(out)


def _wrap(text: str) -> str:
    text = _PAREN.sub(lambda m: f'<span class="nobr">{m.group(0)}</span>', text)
    return _ID.sub(lambda m: m.group(0) if len(m.group(0)) > ID_CHARS
                   else f'<span class="nobr">{m.group(0)}</span>', text)
