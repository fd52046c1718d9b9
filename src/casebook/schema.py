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

from . import keyboard
from .fastcheck import compiled, ecma_regex
from .load import Document, Pointer, pointer_text
from .messages import Either, Phrase, Term
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


# The display labels and aliases of each closed vocabulary, by its set of codes: {codes: {label: code}}.
Labels = dict[frozenset[str], dict[str, str]]


def check(doc: Document, stem: str, labels: Labels | None = None) -> None:
    """Append a diagnostic to ``doc`` for every schema violation; ``labels`` turn 「関西」 into `kinki`."""
    flagged: set[Pointer] = set()
    missing: set[Pointer] = set()
    # Where the loader refused a value (alias, tag, depth) it left None; a type error there would only
    # repeat that diagnostic in a more confusing form.
    refused = {d.field for d in doc.diagnostics if d.field and d.code in ("alias", "yaml-tag", "too-deep", "limit")}
    if not compiled(stem)(doc.data):  # the fast check passes nearly every record; explain only failures
        for err in validator(stem).iter_errors(doc.data):
            for leaf in _leaves(err):
                if pointer_text(tuple(leaf.absolute_path)) not in refused:
                    _report(doc, leaf, flagged, missing, labels or {})
    for ptr, trap in doc.traps.items():
        if ptr in flagged:
            continue
        if trap.kind == "bool":
            doc.error(ptr, "yaml11-trap", trap.params, severity="warning", variant="read-bool")
        elif trap.kind == "number":
            doc.error(ptr, "yaml11-trap", trap.params, variant=trap.why)


def _leaves(err: SchemaError) -> list[SchemaError]:
    """For oneOf/anyOf failures keep the most relevant branch only."""
    if err.validator in ("oneOf", "anyOf") and err.context:
        from jsonschema.exceptions import best_match
        return _leaves(best_match(err.context))
    return [err]


def _description(schema: dict[str, Any]) -> dict[str, str]:
    """A schema's description as {ja, en}: its first line is Japanese, its second English."""
    lines = (schema.get("description") or "").split("\n")
    return {"ja": lines[0], "en": lines[1] if len(lines) > 1 else lines[0]}


def _wide(doc: Document, ptr: Pointer, value: str, ascii_form: str, key: bool = False) -> None:
    """A value (or key) typed full-width where its half-width form is what was meant."""
    chars = [Phrase(f"wide-{kind}", {"chars": found}) for kind, found in keyboard.wide_kinds(value)]
    doc.error(ptr, "fullwidth-character", {"value": _short(value), "chars": chars,
                                           "ascii": ascii_form}, key=key)


#: The validation keywords ``_report`` turns into a diagnostic code. A schema keyword outside this set would
#: have no message; tests/test_messages.py checks that the shipped schemas use no other.
REPORTED = frozenset({
    "additionalProperties", "required", "format", "type", "enum", "pattern", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "minLength", "maxLength", "uniqueItems",
})


def _report(doc: Document, err: SchemaError, flagged: set[Pointer], missing: set[Pointer],
            labels: Labels | None = None) -> None:
    ptr: Pointer = tuple(err.absolute_path)
    kind, value, schema = err.validator, err.instance, err.schema
    folded = keyboard.fold(value) if isinstance(value, str) else None
    if kind == "additionalProperties" and isinstance(value, dict):
        known = sorted(schema.get("properties", {}))
        for key in value:
            if key in known:
                continue
            if keyboard.fold(key) in known:
                _wide(doc, (*ptr, key), key, keyboard.fold(key), key=True)
                continue
            guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            doc.error((*ptr, key), "unknown-field", {"name": key, "guess": guess[0] if guess else "",
                                                      "allowed": ", ".join(known)},
                      key=True, variant="" if guess else "list")
        return
    if kind == "required" and isinstance(value, dict):
        # jsonschema yields one error per missing name, each carrying the whole list: report the list once
        if ptr in missing:
            return
        missing.add(ptr)
        typed_wide = {keyboard.fold(k) for k in value if isinstance(k, str)}
        for name in err.validator_value:
            if name not in value and name not in typed_wide:  # ｕｓｅ＿ｌｅｖｅｌ: is reported as typed full-width
                sub = schema.get("properties", {}).get(name, {})
                doc.error(ptr, "missing-field", {"name": name, "description": _description(sub)}, key=True,
                          variant="" if sub.get("description") else "bare")
        return
    if kind == "format" and ptr in flagged:
        return  # a date that already fails its pattern is not also "not a real calendar date"
    flagged.add(ptr)
    trap = doc.traps.get(ptr)
    if kind == "type" and folded is not None and folded != value and _number(folded) is not None \
            and {"integer", "number"} & set(err.validator_value if isinstance(err.validator_value, list)
                                            else [err.validator_value]):
        _wide(doc, ptr, value, folded)
    elif kind == "type":
        want = err.validator_value
        wants = want if isinstance(want, list) else [want]
        got = _PY_TYPES.get(type(value), type(value).__name__)
        params: dict[str, Any] = {"want": Either(tuple(wants)), "got": Term(got), "value": _short(value),
                                  "description": _description(schema)}
        if trap:
            params.update(trap.params, value=trap.raw)  # what the contributor typed, not what YAML made of it
            variant = trap.hint
        elif want == "integer" and isinstance(value, float) and value.is_integer():
            params["whole"], variant = int(value), "decimal"
        elif want == "object" and got == "string" and "ja" in schema.get("properties", {}):
            variant = "text-mapping"
        else:
            variant = ""
        doc.error(ptr, "type", params, variant=variant)
    elif kind == "enum" and folded is not None and folded != value and folded in err.validator_value:
        _wide(doc, ptr, value, folded)
    elif kind == "enum" and (code := _label_code(value, err.validator_value, labels or {})):
        doc.error(ptr, "enum", {"value": _short(value), "code": code, "allowed": "", "guess": code},
                  variant="label")
    elif kind == "enum":
        allowed = [str(v) for v in err.validator_value]
        # `x-aliases` in a schema maps everyday names to the value (kansai → kinki); spelling is no guide there
        alias = schema.get("x-aliases", {}).get(str(value).lower())
        guess = [alias] if alias else difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.5)
        params = {"value": _short(value), "allowed": ", ".join(allowed), "guess": guess[0] if guess else "",
                  **(trap.params if trap else {})}
        doc.error(ptr, "enum", params, variant=trap.hint if trap else ("guess" if guess else ""))
    elif kind == "pattern" and isinstance(value, str) and folded != value \
            and ecma_regex(err.validator_value).search(folded):
        _wide(doc, ptr, value, folded)
    elif kind == "pattern" and isinstance(value, str) and schema.get("format") == "date":
        iso = keyboard.iso_date(value)
        doc.error(ptr, "japanese-date", {"value": _short(value), "iso": iso or ""}, variant="" if iso else "unknown")
    elif kind == "pattern" and isinstance(value, str):
        odd = [c for c in value if ord(c) > 127 or unicodedata.category(c) in ("Cf", "Cc")]
        if odd:
            names = ", ".join(sorted({f"U+{ord(c):04X} {unicodedata.name(c, 'UNNAMED')}" for c in odd}))
            doc.error(ptr, "non-ascii-id", {"value": _short(value), "names": names})
        else:
            doc.error(ptr, "pattern", {"value": _short(value), "description": _description(schema),
                                       "pattern": err.validator_value})
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        lo, hi = schema.get("minimum", "…"), schema.get("maximum", "…")
        doc.error(ptr, "range", {"value": _short(value), "low": lo, "high": hi,
                                 "description": _description(schema), **(trap.params if trap else {})},
                  variant=trap.hint if trap else "")
    elif kind in ("minItems", "maxItems"):
        lo, hi = schema.get("minItems", 0), schema.get("maxItems")
        doc.error(ptr, "count", {"count": len(value), "low": lo, "high": hi, "description": _description(schema)},
                  variant=_bounds_variant(lo, hi))
    elif kind in ("minLength", "maxLength"):
        lo, hi = schema.get("minLength", 0), schema.get("maxLength")
        doc.error(ptr, "length", {"length": len(value), "low": lo, "high": hi, "description": _description(schema)},
                  variant=_bounds_variant(lo, hi))
    elif kind == "format":
        doc.error(ptr, "date", {"value": _short(value)})
    elif kind == "uniqueItems":
        doc.error(ptr, "duplicate-item")
    else:  # unreachable from any record: tests/test_messages.py checks the shipped schemas use only REPORTED
        raise ValueError(f"schema keyword `{kind}` has no diagnostic code (casebook/messages/diagnostics.yaml)")


def _bounds_variant(low: int, high: int | None) -> str:
    """Which bounds a count or length message states: both, only the lower or only the upper."""
    return "at-least" if high is None else ("at-most" if not low else "")


def _number(text: str) -> int | float | None:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


def _label_code(value: Any, allowed: list, labels: Labels) -> str | None:
    """The code whose display label or alias ``value`` is (「関西」 → `kinki`), from the vocabulary data."""
    if not isinstance(value, str):
        return None
    codes = frozenset(str(v) for v in allowed)
    for vocabulary, by_label in labels.items():
        if codes <= vocabulary:
            code = by_label.get(keyboard.fold(value).strip().lower())
            if code in codes:
                return code
    return None


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
