"""Crosswalks: external frameworks as data, and the mappings of risks and mitigations onto them.

Each framework edition (``content/catalog/frameworks.yaml``) lists its item ids; a record's ``mappings``
name an edition by key (``owasp_llm_2025``) and items by id. This module builds the frameworks, checks every
mapping against its edition's list, links each item to the records that cover it, and checks coverage.

Codes: ``unknown-framework-item`` (an id the edition does not hold; did-you-mean), ``unlisted-edition``
(the edition's items are not listed yet: nothing can be checked), ``superseded-mapping`` (warning: the edition
has been replaced; hint from its migration table), ``crosswalk-gap`` (an item of a framework marked
``complete`` that nothing covers and no reason puts out of scope), ``duplicate-mapping-key``.
Left to the schema: shapes and types. Left to :mod:`casebook.build`: everything else about the records.
"""

from __future__ import annotations

import difflib
from typing import Any

from .load import Document, Pointer
from .model import Corpus, Framework, FrameworkItem, Mappings, Origin, Text


def _text(value: Any) -> Text | None:
    return Text(value["ja"], value.get("en")) if isinstance(value, dict) else None


def build_frameworks(entries: list[tuple[Document, Pointer, dict]]) -> dict[str, Framework]:
    """Framework editions by id, from the (already schema-checked, id-unique) catalogue entries."""
    out: dict[str, Framework] = {}
    by_key: dict[str, Framework] = {}
    for doc, ptr, d in entries:
        fw = Framework(
            id=d["id"], family=d["family"], name=_text(d["name"]), edition=d["edition"], source=d["source"],
            retrieved=d["retrieved"], verified=d["verified"], origin=Origin(doc.path, doc, ptr),
            mapping_key=d.get("mapping_key"), verification_note=_text(d.get("verification_note")),
            complete=d.get("complete", False), partial=d.get("partial", False),
            superseded_by=d.get("superseded_by"), migration=dict(d.get("migration", {})))
        seen: set[str] = set()
        for i, item in enumerate(d.get("items", [])):
            if item["id"] in seen:
                doc.error((*ptr, "items", i, "id"), "duplicate-id", {"id": item["id"], "framework": fw.id},
                          variant="framework-item")
                continue
            seen.add(item["id"])
            fw.items.append(FrameworkItem(id=item["id"], title=_text(item["title"]), framework=fw,
                                          out_of_scope=_text(item.get("out_of_scope"))))
        if fw.mapping_key and fw.mapping_key in by_key:
            doc.error((*ptr, "mapping_key"), "duplicate-mapping-key",
                      {"key": fw.mapping_key, "other": by_key[fw.mapping_key].id})
            fw.mapping_key = None  # the key keeps naming the first edition: no second error on every mapping
        elif fw.mapping_key:
            by_key[fw.mapping_key] = fw
        out[fw.id] = fw
    for fw in out.values():
        if fw.superseded_by and fw.superseded_by not in out:
            doc, ptr = fw.origin.document, fw.origin.pointer
            guess = difflib.get_close_matches(fw.superseded_by, list(out), n=1)
            doc.error((*ptr, "superseded_by"), "dangling-ref",
                      {"id": fw.superseded_by, "guess": guess[0] if guess else ""},
                      variant="framework" if guess else "framework-list")
    return out


def mappings(doc: Document, ptr: Pointer, data: dict, frameworks: dict[str, Framework]) -> Mappings:
    """The record's mappings, each id checked against its edition's list."""
    by_key = {fw.mapping_key: fw for fw in frameworks.values() if fw.mapping_key}
    for key, values in data.items():
        fw = by_key.get(key)
        if fw is None:
            # The schema lists the keys; a key without an edition in the catalogue cannot be checked.
            doc.error((*ptr, key), "unknown-framework-item", {"key": key}, key=True, variant="key")
            continue
        if not fw.items:
            example = _newest_key(fw, frameworks)
            doc.error((*ptr, key), "unlisted-edition",
                      {"framework": fw.name.ja, "edition": fw.edition, "key": key, "example": example},
                      key=True, variant="example" if example else "")
            continue
        ids = [i.id for i in fw.items]
        for j, value in enumerate(values):
            sval = str(value)
            if sval not in ids:
                guess = difflib.get_close_matches(sval, ids, n=1, cutoff=0.5)
                doc.error((*ptr, key, j), "unknown-framework-item",
                          {"value": sval, "framework": fw.name.ja, "edition": fw.edition,
                           "guess": guess[0] if guess else "",
                           "allowed": ", ".join(ids[:12]) + (" …" if len(ids) > 12 else "")},
                          variant="" if guess else "list")
        if fw.superseded_by and fw.superseded_by in frameworks:
            new = frameworks[fw.superseded_by]
            moves = [f"{v} → {fw.migration[str(v)]}" for v in values if str(v) in fw.migration]
            doc.error((*ptr, key), "superseded-mapping",
                      {"framework": fw.name.ja, "edition": fw.edition, "new_edition": new.edition,
                       "new_key": new.mapping_key or new.id, "moves": ", ".join(moves)},
                      key=True, variant="" if moves else "lookup")
    known = {k: v for k, v in data.items() if k in Mappings.__dataclass_fields__}
    return Mappings(**known)


def _newest_key(fw: Framework, frameworks: dict[str, Framework]) -> str:
    """The mapping key of the newest edition of the same family whose items are listed ("" if none)."""
    listed = [f for f in frameworks.values() if f.family == fw.family and f.items and f.mapping_key]
    return listed[-1].mapping_key or "" if listed else ""


def link(corpus: Corpus) -> None:
    """Give each framework item the risks and mitigations whose mappings name it."""
    by_key = {fw.mapping_key: fw for fw in corpus.frameworks.values() if fw.mapping_key}
    for records, attr in ((corpus.risks.values(), "risks"), (corpus.mitigations.values(), "mitigations")):
        for record in records:
            for key, values in record.mappings.items():
                fw = by_key.get(key)
                for value in values:
                    item = fw.item(value) if fw else None
                    if item is not None:
                        getattr(item, attr).append(record)


def check_coverage(corpus: Corpus) -> None:
    """A framework marked ``complete`` needs every item covered or put out of scope with a reason."""
    for fw in corpus.frameworks.values():
        if not fw.complete:
            continue
        doc, ptr = fw.origin.document, fw.origin.pointer
        for index, item in enumerate(fw.items):
            if not item.covered and item.out_of_scope is None:
                doc.error((*ptr, "items", index), "crosswalk-gap",
                          {"framework": fw.name.ja, "item": item.id, "key": fw.mapping_key})
