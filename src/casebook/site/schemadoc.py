"""The contributors' schema reference, read from the shipped JSON Schemas' descriptions ("ja\\nen")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..schemas import all_schemas

#: Order in which the reference lists the schemas (others follow alphabetically).
ORDER = ["casestudy", "risks", "mitigations", "instruments", "provisions", "metrics", "readiness", "scoring",
         "policy", "glossary", "aliases", "synonyms", "publication", "vocabularies", "legal", "common"]


@dataclass
class Field:
    name: str
    type: str
    required: bool
    ja: str
    en: str


@dataclass
class Section:
    name: str  # "" for the top level of the file, else the $defs name
    ja: str
    en: str
    fields: list[Field] = field(default_factory=list)


@dataclass
class SchemaDoc:
    file: str
    title: str
    ja: str
    en: str
    sections: list[Section] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return self.file.removesuffix(".schema.json")


def split(description: str | None) -> tuple[str, str]:
    """``"ja\\nen"`` → (ja, en); a description without a second line has no English."""
    if not description:
        return "", ""
    ja, _, en = description.partition("\n")
    return ja.strip(), en.strip()


def type_of(node: dict[str, Any]) -> str:
    if "$ref" in node:
        ref = node["$ref"]
        return "→ " + ref.rsplit("/", 1)[-1]
    if "enum" in node:
        return "enum: " + ", ".join(str(v) for v in node["enum"])
    if "const" in node:
        return f"const: {node['const']}"
    kind = node.get("type")
    if kind == "array":
        items = node.get("items", {})
        return f"array of {type_of(items) if isinstance(items, dict) else 'items'}"
    if isinstance(kind, list):
        return " | ".join(kind)
    if kind:
        extra = ""
        if "pattern" in node:
            extra = f" (pattern {node['pattern']})"
        elif "format" in node:
            extra = f" ({node['format']})"
        return kind + extra
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in node:
            return " | ".join(type_of(n) for n in node[combinator] if isinstance(n, dict))
    return "any"


def _section(name: str, node: dict[str, Any]) -> Section:
    ja, en = split(node.get("description"))
    section = Section(name, ja, en)
    required = set(node.get("required", []))
    for key, sub in (node.get("properties") or {}).items():
        if not isinstance(sub, dict):
            continue
        fja, fen = split(sub.get("description"))
        section.fields.append(Field(key, type_of(sub), key in required, fja, fen))
    return section


def reference() -> list[SchemaDoc]:
    schemas = all_schemas()
    names = sorted(schemas, key=lambda n: (ORDER.index(n.removesuffix(".schema.json"))
                                           if n.removesuffix(".schema.json") in ORDER else len(ORDER), n))
    out = []
    for name in names:
        schema = schemas[name]
        ja, en = split(schema.get("description"))
        doc = SchemaDoc(name, schema.get("title", name), ja, en)
        if schema.get("properties"):
            doc.sections.append(_section("", schema))
        for def_name, node in (schema.get("$defs") or {}).items():
            if isinstance(node, dict):
                doc.sections.append(_section(def_name, node))
        out.append(doc)
    return out
