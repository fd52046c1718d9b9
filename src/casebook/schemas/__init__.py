"""The published JSON Schemas (draft 2020-12), one per record file kind."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

#: Top-level key of a catalogue file → schema file stem. Case studies use ``casestudy``.
CATALOG_KINDS: dict[str, str] = {
    "instruments": "instruments",
    "provisions": "provisions",
    "risks": "risks",
    "mitigations": "mitigations",
    "metrics": "metrics",
    "scales": "readiness",
    "scoring": "scoring",
    "glossary": "glossary",
    "publication": "publication",
    "vocabularies": "vocabularies",
    "policy": "policy",
    "legal_checks": "legal",
    "frameworks": "frameworks",
    "aliases": "aliases",
    "synonyms": "synonyms",
    "limits": "limits",
    "reserved_ids": "reserved",
    "pii_public": "pii_public",
    "self_check": "selfcheck",
}


@cache
def all_schemas() -> dict[str, dict[str, Any]]:
    """Every shipped schema by file name (``risks.schema.json`` → parsed JSON)."""
    folder = resources.files(__name__)
    return {
        entry.name: json.loads(entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".schema.json")
    }


def schema_for(stem: str) -> dict[str, Any]:
    return all_schemas()[f"{stem}.schema.json"]
