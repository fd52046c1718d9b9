"""Check loaded documents against the JSON Schemas and turn failures into diagnostics."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError as SchemaError
from referencing import Registry, Resource

from .fastcheck import compiled, ecma_regex
from .load import Document, Pointer, pointer_text
from .schemas import all_schemas, schema_for

_PY_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
             float: "number", type(None): "null"}


@cache
def _registry() -> Registry:
    return Registry().with_resources(
        (name, Resource.from_contents(body)) for name, body in all_schemas().items()
    )


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[SchemaError]:
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


# JSON Schema counts 400.0 as an integer; a record that writes it would then show "400.0" and crash
# range(), so in records an integer is written without a decimal point.
_Validator = validators.extend(
    Draft202012Validator, {"pattern": _pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)),
)


@cache
def validator(stem: str) -> Draft202012Validator:
    return _Validator(schema_for(stem), registry=_registry(), format_checker=FormatChecker(formats=["date"]))


def check(doc: Document, stem: str) -> None:
    """Append a diagnostic to ``doc`` for every schema violation."""
    flagged: set[Pointer] = set()
    missing: set[Pointer] = set()
    # Where the loader refused a value (alias, tag, depth) it left None; a type error there would only
    # repeat that diagnostic in a more confusing form.
    refused = {d.field for d in doc.diagnostics if d.field and d.code in ("alias", "yaml-tag", "too-deep")}
    if not compiled(stem)(doc.data):  # the fast check passes nearly every record; explain only failures
        for err in validator(stem).iter_errors(doc.data):
            for leaf in _leaves(err):
                if pointer_text(tuple(leaf.absolute_path)) not in refused:
                    _report(doc, leaf, flagged, missing)
    for ptr, trap in doc.traps.items():
        if ptr in flagged:
            continue
        if trap.kind == "bool":
            doc.error(ptr, "yaml11-trap", f"`{trap.raw}` was read as a boolean", trap.hint,
                      severity="warning")
        elif trap.kind == "number":
            doc.error(ptr, "yaml11-trap", f"`{trap.raw}` was read as a different number", trap.hint)


def _leaves(err: SchemaError) -> list[SchemaError]:
    """For oneOf/anyOf failures keep the most relevant branch only."""
    if err.validator in ("oneOf", "anyOf") and err.context:
        from jsonschema.exceptions import best_match
        return _leaves(best_match(err.context))
    return [err]


def _description(schema: dict[str, Any]) -> str:
    return (schema.get("description") or "").split("\n")[0]


def _report(doc: Document, err: SchemaError, flagged: set[Pointer], missing: set[Pointer]) -> None:
    ptr: Pointer = tuple(err.absolute_path)
    kind, value, schema = err.validator, err.instance, err.schema
    if kind == "additionalProperties" and isinstance(value, dict):
        known = sorted(schema.get("properties", {}))
        for key in value:
            if key in known:
                continue
            guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"did you mean `{guess[0]}`?" if guess else f"allowed fields: {', '.join(known)}"
            doc.error((*ptr, key), "unknown-field", f"unknown field `{key}`", hint, key=True)
        return
    if kind == "required" and isinstance(value, dict):
        # jsonschema yields one error per missing name, each carrying the whole list: report the list once
        if ptr in missing:
            return
        missing.add(ptr)
        for name in err.validator_value:
            if name not in value:
                sub = schema.get("properties", {}).get(name, {})
                hint = f"add `{name}:` — {_description(sub)}" if sub else f"add `{name}:`"
                doc.error(ptr, "missing-field", f"missing required field `{name}`", hint, key=True)
        return
    if kind == "format" and ptr in flagged:
        return  # a date that already fails its pattern is not also "not a real calendar date"
    flagged.add(ptr)
    trap = doc.traps.get(ptr)
    if kind == "type":
        want = err.validator_value
        want = " or ".join(want) if isinstance(want, list) else want
        got = _PY_TYPES.get(type(value), type(value).__name__)
        if trap:
            hint = trap.hint
        elif want == "integer" and isinstance(value, float) and value.is_integer():
            hint = f"write {int(value)} without a decimal point"
        elif want == "object" and got == "string" and "ja" in schema.get("properties", {}):
            hint = "write text as a mapping: `{ja: \"…\"}` (add `en:` for English)"
        else:
            hint = _description(schema)
        doc.error(ptr, "type", f"expected {want}, found {got} `{_short(value)}`", hint)
    elif kind == "enum":
        allowed = [str(v) for v in err.validator_value]
        # `x-aliases` in a schema maps everyday names to the value (kansai → kinki); spelling is no guide there
        alias = schema.get("x-aliases", {}).get(str(value).lower())
        guess = [alias] if alias else difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.5)
        hint = (f"did you mean `{guess[0]}`? " if guess else "") + "allowed: " + ", ".join(allowed)
        doc.error(ptr, "enum", f"`{_short(value)}` is not an allowed value", trap.hint if trap else hint)
    elif kind == "pattern" and isinstance(value, str):
        odd = [c for c in value if ord(c) > 127 or unicodedata.category(c) in ("Cf", "Cc")]
        if odd:
            names = ", ".join(sorted({f"U+{ord(c):04X} {unicodedata.name(c, 'UNNAMED')}" for c in odd}))
            doc.error(ptr, "non-ascii-id", f"`{_short(value)}` contains characters that are not plain "
                      f"ASCII: {names}", "ids use ASCII letters, digits and hyphens only; retype it "
                      "with a half-width keyboard")
        else:
            doc.error(ptr, "pattern", f"`{_short(value)}` does not have the expected form",
                      f"{_description(schema)} (pattern {err.validator_value})")
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        lo, hi = schema.get("minimum", "…"), schema.get("maximum", "…")
        doc.error(ptr, "range", f"{_short(value)} is outside the allowed range {lo}–{hi}",
                  trap.hint if trap else _description(schema))
    elif kind in ("minItems", "maxItems"):
        lo, hi = schema.get("minItems", 0), schema.get("maxItems", "…")
        doc.error(ptr, "count", f"{len(value)} item(s); between {lo} and {hi} are required",
                  _description(schema))
    elif kind in ("minLength", "maxLength"):
        doc.error(ptr, "length", f"text length {len(value)} is outside the allowed bounds",
                  _description(schema))
    elif kind == "format":
        doc.error(ptr, "date", f"`{_short(value)}` is not a real calendar date", "write YYYY-MM-DD")
    elif kind == "uniqueItems":
        doc.error(ptr, "duplicate-item", "the list repeats an entry", "remove the repeated entry")
    else:
        doc.error(ptr, "schema", err.message, _description(schema))


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
