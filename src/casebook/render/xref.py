"""Cross-references by id: ``[[ref:ID]]`` and ``[[num:ID]]`` in record prose and content Markdown.

A sentence never types a chapter or section number: it names what it means by id (a policy chapter
``P4``, a clause ``P4-2``, a report chapter ``ch-method``, a case, a risk …) and each output resolves
the id to its own number, title and link. The site's policy page numbers the policy's chapters 第1章…;
the PDF, where the policy is one chapter among others, gives the same chapter a section number (7.4).

- ``[[ref:ID]]`` shows the number and the title: 「第4章（リスク評価の方法）」, or the name alone for a
  record without a number (a risk, a case study).
- ``[[num:ID]]`` shows the number alone: 「第4章」 (the title when there is no number).

The double bracket and the ``ref:``/``num:`` prefix never occur in record ids or in ordinary Japanese
text, so a reference cannot be mistaken for a bare id. Before the prose renderer runs, each reference is
swapped for a private-use token that Markdown and the id linker pass through untouched; the token becomes
the resolved, escaped link afterwards (:func:`protect` / :func:`restore`). Unknown ids are refused by the
validator (:func:`unknown_refs`); an output that still meets one shows the id as written.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

#: A reference as written: ``[[ref:P4-2]]`` or ``[[num:P4]]``.
REF = re.compile(r"\[\[(ref|num):([^\[\]\s]{1,80})\]\]")
#: A chapter, section, table or figure number typed by hand (what references replace).
HARD_NUMBER = re.compile(r"第[0-9０-９一二三四五六七八九十百]+[章節]")

_OPEN, _CLOSE = "\ue000", "\ue001"
_TOKEN = re.compile(_OPEN + r"(\d+)" + _CLOSE)


@dataclass(frozen=True)
class Target:
    """What an id resolves to in one output: its number there (may be empty), its title and its link."""

    number: str
    title: str
    href: str | None = None


Resolver = Callable[[str], "Target | None"]


def label(form: str, target: Target) -> str:
    """The text a reference shows."""
    if form == "num":
        return target.number or target.title
    if target.number and target.title:
        return f"{target.number}（{target.title}）"
    return target.number or target.title


def protect(text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with every reference replaced by a token, and the (form, id) of each token in order.

    Private-use characters already in the text are replaced first, so a record cannot forge a token.
    """
    text = text.replace(_OPEN, "\ufffd").replace(_CLOSE, "\ufffd")
    found: list[tuple[str, str]] = []

    def repl(m: re.Match) -> str:
        found.append((m.group(1), m.group(2)))
        return f"{_OPEN}{len(found) - 1}{_CLOSE}"

    return REF.sub(repl, text), found


def restore(rendered: str, found: list[tuple[str, str]], resolve: Resolver | None) -> str:
    """The rendered HTML with each token replaced by its resolved link (escaped text)."""
    if not found:
        return rendered

    def repl(m: re.Match) -> str:
        form, ident = found[int(m.group(1))]
        target = resolve(ident) if resolve is not None else None
        if target is None:
            return html.escape(ident)
        text = html.escape(label(form, target))
        if target.href:
            return f'<a class="xref" href="{html.escape(target.href, quote=True)}">{text}</a>'
        return text

    return _TOKEN.sub(repl, rendered)


def markdown_links(markdown: str, resolve: Resolver) -> str:
    """Hand-written Markdown (a content page) with each reference written as a Markdown link."""

    def repl(m: re.Match) -> str:
        target = resolve(m.group(2))
        if target is None:
            return m.group(0)
        text = label(m.group(1), target).replace("[", "\\[").replace("]", "\\]")
        return f"[{text}]({target.href})" if target.href else text

    return REF.sub(repl, markdown)


@dataclass(frozen=True)
class Problem:
    """A reference or a typed number the validator refuses, with its place in the text."""

    offset: int  # character offset in the text
    code: str  # "unknown-ref" | "hard-number" (texts in casebook/messages/diagnostics.yaml)
    params: dict[str, Any]
    variant: str = ""


def problems(text: str, known: Iterable[str] | None, *, refuse_numbers: bool = True) -> list[Problem]:
    """References to unknown ids (with a did-you-mean) and, with ``refuse_numbers``, typed 第N章."""
    out: list[Problem] = []
    if known is not None and "[[" in text:
        ids = known if isinstance(known, set | frozenset | dict) else set(known)
        for m in REF.finditer(text):
            ident = m.group(2)
            if ident in ids:
                continue
            close = difflib.get_close_matches(ident, sorted(ids), n=3, cutoff=0.6)
            guesses = [f"`[[{m.group(1)}:{c}]]`" for c in close]
            out.append(Problem(m.start(), "unknown-ref", {"id": ident, "guesses": guesses},
                               "" if close else "list"))
    if refuse_numbers:
        for m in HARD_NUMBER.finditer(text):
            out.append(Problem(m.start(), "hard-number", {"text": m.group(0)}))
    return out


def line_of(lines: list[str], first_line: int, needle: str) -> int:
    """The 1-based line, at or after ``first_line``, that holds ``needle`` (``first_line`` if none does)."""
    for number in range(max(first_line, 1), len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return first_line
