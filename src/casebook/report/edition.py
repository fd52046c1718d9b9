"""Draft and final editions: what is still open (要確認, drafts), listed in the draft and refused in the final.

The default build is the draft: unverified facts stay visible as a 要確認 marker and the appendix
未確認事項一覧 lists them with their record ids. ``casebook build --final`` builds the edition the
regulator publishes and refuses while any item below remains, naming each.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from ..model import Corpus
from .structure import check_notes


@dataclass(frozen=True)
class OpenItem:
    """One thing that keeps the edition a draft."""

    kind: str  # what it is, in Japanese (法令・規定, 条項, 事例 …)
    id: str  # record id, or the chapter name for an editor's note
    name: str
    note: str  # what is still to be checked
    path: Path
    line: int = 0

    def text(self, root: Path | None = None) -> str:
        where = self.path
        if root is not None:
            with contextlib.suppress(ValueError):
                where = self.path.resolve().relative_to(root.resolve())
        place = f"{where}:{self.line}" if self.line else str(where)
        return f"{place}: {self.kind} `{self.id}` {self.name}: {self.note or '要確認'}"


def open_items(corpus: Corpus) -> list[OpenItem]:
    """Unverified records, draft case studies and the editor's ``[[check:…]]`` notes, in report order."""
    out: list[OpenItem] = []
    for inst in corpus.instruments.values():
        if inst.status != "retired" and not inst.verified:
            out.append(OpenItem("法令・規定", inst.id, inst.name.ja, _ja(inst.verification_note),
                                inst.origin.path, _line(inst.origin)))
    for prov in corpus.provisions.values():
        if prov.status != "retired" and not prov.verified:
            out.append(OpenItem("条項", prov.id, prov.citation, _ja(prov.verification_note), prov.origin.path,
                                _line(prov.origin)))
    for fw in getattr(corpus, "frameworks", {}).values():
        if not fw.verified:
            out.append(OpenItem("外部の枠組み", fw.id, fw.name.ja, _ja(fw.verification_note), fw.origin.path,
                                _line(fw.origin)))
    for case in corpus.cases.values():
        if case.status == "draft":
            out.append(OpenItem("事例", case.id, case.title.ja, "作成中（draft）の事例", case.origin.path,
                                _line(case.origin)))
    from .overview import OVERVIEW_TEXT  # here: overview imports the report's HTML module, which imports this

    texts = (*corpus.publication.report.chapters, OVERVIEW_TEXT)  # the 概要版 is published with the edition
    for path, line, note in check_notes(corpus.root, texts):
        out.append(OpenItem("本文の確認事項", path.stem, "", note, path, line))
    return out


def _ja(text) -> str:
    return " ".join(text.ja.split()) if text is not None and text.ja else ""


def _line(origin) -> int:
    try:
        return origin.location.line
    except Exception:  # a position is a courtesy; the file is named either way
        return 0
