"""A compiled yes/no check for the subset of JSON Schema our schemas use.

jsonschema is thorough but slow (about 3 ms per case study). Almost every record is valid, so the
validator first asks this compiled check; only a record it rejects goes through jsonschema for the full,
located diagnostics. Compilation refuses any keyword it does not implement, so the two can never quietly
disagree about what a schema means.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from .schemas import all_schemas

Check = Callable[[Any], bool]

_IGNORED = {"$schema", "$id", "$defs", "title", "description", "$comment", "examples", "default", "x-aliases"}
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),  # not 400.0: see schema._Validator
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "null": lambda v: v is None,
}



@cache
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A JSON Schema ``pattern`` as Python regex with ECMA-262's `$`.

    In ECMA-262 a final `$` is the end of the text; Python's `$` also matches before a final newline,
    which let an id such as "R-NEW\\n" through both the fast check and jsonschema.
    """
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _date_ok(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return ("d", tuple(sorted((k, _freeze(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("l", tuple(_freeze(v) for v in value))
    return (type(value) is bool, value)


class _Compiler:
    def __init__(self) -> None:
        self.schemas = all_schemas()
        self.cache: dict[tuple[str, str], Check] = {}

    def ref(self, base: str, ref: str) -> Check:
        doc, _, frag = ref.partition("#")
        doc = doc or base
        key = (doc, frag)
        if key not in self.cache:
            slot: list[Check] = []
            self.cache[key] = lambda v: slot[0](v)  # placeholder allows recursive schemas
            node: Any = self.schemas[doc]
            for part in filter(None, frag.split("/")):
                node = node[part]
            slot.append(self.compile(node, doc))
            self.cache[key] = slot[0]
        return self.cache[key]

    def compile(self, schema: dict[str, Any], base: str) -> Check:
        checks: list[Check] = []
        unknown = set(schema) - _IGNORED - {
            "$ref", "type", "properties", "required", "additionalProperties", "items", "enum", "pattern",
            "minimum", "maximum", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "format"}
        if unknown:
            raise NotImplementedError(f"fastcheck does not implement {sorted(unknown)}")
        if "$ref" in schema:
            checks.append(self.ref(base, schema["$ref"]))
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            tests = [_TYPES[n] for n in names]
            checks.append(tests[0] if len(tests) == 1 else lambda v: any(t(v) for t in tests))
        if "enum" in schema:
            allowed = [_freeze(x) for x in schema["enum"]]
            checks.append(lambda v: _freeze(v) in allowed)
        if "pattern" in schema:
            rx = ecma_regex(schema["pattern"])
            checks.append(lambda v: not isinstance(v, str) or rx.search(v) is not None)
        if "format" in schema:
            if schema["format"] != "date":
                raise NotImplementedError(f"format {schema['format']}")
            checks.append(_date_ok)
        for key, op in (("minimum", lambda v, b: v >= b), ("maximum", lambda v, b: v <= b)):
            if key in schema:
                bound = schema[key]
                checks.append(lambda v, b=bound, op=op: not _TYPES["number"](v) or op(v, b))
        for key, op in (("minLength", lambda n, b: n >= b), ("maxLength", lambda n, b: n <= b)):
            if key in schema:
                bound = schema[key]
                checks.append(lambda v, b=bound, op=op: not isinstance(v, str) or op(len(v), b))
        for key, op in (("minItems", lambda n, b: n >= b), ("maxItems", lambda n, b: n <= b)):
            if key in schema:
                bound = schema[key]
                checks.append(lambda v, b=bound, op=op: not isinstance(v, list) or op(len(v), b))
        if schema.get("uniqueItems"):
            checks.append(lambda v: not isinstance(v, list) or len({_freeze(x) for x in v}) == len(v))
        if "items" in schema:
            item = self.compile(schema["items"], base)

            def items(v: Any, item: Check = item) -> bool:
                if isinstance(v, list):
                    for x in v:
                        if not item(x):
                            return False
                return True

            checks.append(items)
        if "required" in schema:
            required = list(schema["required"])
            checks.append(lambda v: not isinstance(v, dict) or all(k in v for k in required))
        props = {k: self.compile(s, base) for k, s in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties", True)
        extra_check: Check | None = None
        if isinstance(extra, dict):
            extra_check = self.compile(extra, base)
        if props or extra is not True:
            def obj(v: Any, props=props, extra=extra, extra_check=extra_check) -> bool:
                if not isinstance(v, dict):
                    return True
                for k, x in v.items():
                    check = props.get(k)
                    if check is not None:
                        if not check(x):
                            return False
                    elif extra is False or (extra_check is not None and not extra_check(x)):
                        return False
                return True
            checks.append(obj)
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:  # the most common case (type + properties); no loop, no generator
            first, second = checks
            return lambda v: first(v) and second(v)

        def every(v: Any, checks: tuple[Check, ...] = tuple(checks)) -> bool:
            for check in checks:  # noqa: SIM110 - a plain loop: all() with a generator costs twice as much here
                if not check(v):
                    return False
            return True

        return every


@cache
def compiled(stem: str) -> Check:
    """The compiled check for ``<stem>.schema.json``: True when the instance is valid."""
    return _Compiler().ref(f"{stem}.schema.json", "")
