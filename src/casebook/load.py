"""Load one YAML record file safely, keeping the line and column of every value.

PyYAML's own constructors are not used: they keep the last of two duplicate keys, expand aliases and
read YAML 1.1 values such as ``no`` or ``12:30`` as booleans and numbers. Here the parse tree is walked
by hand so each of those becomes a diagnostic instead of silent data loss.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from . import keyboard, messages
from .diagnostics import Diagnostic
from .errors import Location

try:  # libyaml is much faster; fall back to the pure-Python parser where it is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """libyaml calls back into Python's regex-based resolver for every scalar; records repeat the same
    short keys and values thousands of times, so remember each plain scalar's tag."""

    _tags: ClassVar[dict[str, str]] = {}

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0] and len(value) <= 64:
            tag = self._tags.get(value)
            if tag is None:
                tag = self._tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_FLOW_GUARD = 1000
#: Digits of an integer the loader converts at all (Python refuses more than 4,300 and the conversion is
#: quadratic); content/catalog/limits.yaml sets the real, much lower limit.
MAX_INT_DIGITS = 4000

Pointer = tuple[str | int, ...]

_T = "tag:yaml.org,2002:"
_ALLOWED_SCALAR_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")
_EXP_NUMBER = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$")
_SAFE = yaml.constructor.SafeConstructor()


@dataclass(frozen=True)
class Trap:
    """A plain scalar that YAML 1.1 reads differently from what the writer probably meant."""

    raw: str
    why: str  # the `yaml11-trap` variant that explains it: bool, base60, octal, infinite, exponent
    kind: str  # "bool" (yes/no/on/off), "number" (base 60, octal, inf) or "text" (1e3 kept as text)
    value: Any = None  # what YAML 1.1 made of it, when that is a number

    @property
    def hint(self) -> str:
        """The variant reference for another code's diagnostic (``type``, ``enum``, ``range``)."""
        return f"yaml11-trap:{self.why}"

    @property
    def params(self) -> dict[str, Any]:
        return {"raw": self.raw, "read_as": self.value}


@dataclass
class Document:
    """A loaded file: its data, where each value sits, and what went wrong while reading it."""

    path: Path
    data: Any = None
    traps: dict[Pointer, Trap] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)  # for the reviewer; never fail (e.g. pii-allowed)
    root: yaml.Node | None = None  # the parse tree, kept so positions are looked up only when needed
    kind: str | None = None  # "casestudy" or the catalogue key, once the validator knows it
    max_int_digits: int = MAX_INT_DIGITS
    #: The strings that may hold a cross-reference or a typed chapter number (``[[`` or 第), with their
    #: pointers, noted by the per-file stage so the corpus-wide reference check does not walk every
    #: document again in the parent process; None when not noted (then the check walks the data).
    ref_strings: list[tuple[Pointer, str]] | None = None

    def location(self, pointer: Pointer = (), key: bool = False) -> Location:
        """Line and column of the value at ``pointer`` (of its key with ``key=True``).

        Walks the parse tree instead of storing a position for every value: almost every record is
        valid, so positions are needed for a handful of nodes at most. Falls back to the closest parent.
        """
        if self.root is None and self.data is not None:
            self.root = _reparse(self.path)  # dropped by a worker process; the file has not changed
        node = self.root
        if node is None:
            return Location(self.path, 1, 1)
        mark = node.start_mark
        for i, part in enumerate(pointer):
            found = _child(node, part)
            if found is None:
                break
            knode, node = found
            last = i == len(pointer) - 1
            mark = knode.start_mark if (key or _is_alias(node, knode)) and last and knode is not None \
                else node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def error(self, pointer: Pointer, code: str, params: dict[str, Any] | None = None, key: bool = False,
              severity: str = "", variant: str = "") -> None:
        """Report ``code`` (a registered diagnostic code) at ``pointer`` with the parameters its texts use."""
        self.diagnostics.append(Diagnostic(self.location(pointer, key), code, params or {}, severity,
                                           pointer_text(pointer), variant))


def _reparse(path: Path) -> yaml.Node | None:
    try:
        return yaml.compose(path.read_bytes().decode("utf-8").removeprefix("\ufeff"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for knode, vnode in node.value:
            if isinstance(knode, yaml.ScalarNode) and _nfc(knode.value) == part:
                return knode, vnode
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _is_alias(value: yaml.Node, knode: yaml.Node | None) -> bool:
    # libyaml hands back the anchored node itself for an alias; it then starts before its key
    return knode is not None and value.start_mark.index < knode.start_mark.index


def pointer_text(pointer: Pointer) -> str:
    return "/" + "/".join(str(p) for p in pointer) if pointer else ""


def load_file(path: Path, max_bytes: int = MAX_BYTES, max_int_digits: int = MAX_INT_DIGITS) -> Document:
    """Read ``path``; never raises for bad content, returns diagnostics instead."""
    doc = Document(path, max_int_digits=min(max_int_digits, MAX_INT_DIGITS))
    try:
        if path.is_symlink():
            doc.error((), "symlink")
            return doc
        size = path.stat().st_size
        if size > max_bytes:
            doc.error((), "file-too-large", {"size": f"{size:,}", "limit": f"{max_bytes:,}"})
            return doc
        raw = path.read_bytes()
    except OSError as exc:
        doc.error((), "unreadable", {"reason": messages.os_reason(exc)})
        return doc
    return load_bytes(raw, doc)


def load_bytes(raw: bytes, doc: Document) -> Document:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        # Columns count characters everywhere else (libyaml marks), so decode the line's valid prefix.
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8")) + 1
        doc.diagnostics.append(Diagnostic(Location(doc.path, line, col), "encoding",
                                          {"byte": f"{raw[exc.start]:02x}"}))
        return doc
    return load_text(text.removeprefix("\ufeff"), doc)


def load_text(text: str, doc: Document) -> Document:
    if "\x00" in text:
        doc.diagnostics.append(Diagnostic(_char_location(doc.path, text, text.index("\x00")), "encoding",
                                          variant="nul"))
        return doc
    # A cheap guard against bracket bombs only: brackets in quoted text count too, so its limit is far
    # above MAX_DEPTH; the walker reports real nesting beyond MAX_DEPTH at its place.
    depth = _flow_depth(text)
    if depth > MAX_FLOW_GUARD:
        doc.error((), "too-deep", {"depth": depth, "limit": MAX_DEPTH}, variant="brackets")
        return doc
    # A full-width colon or indent breaks the YAML a line later with an unrelated message: name the
    # character on its own line instead, and read no further until it is retyped.
    if mistakes := keyboard.scan(text):
        for m in mistakes:
            doc.diagnostics.append(Diagnostic(Location(doc.path, m.line, m.column), m.code, m.params))
        return doc
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(doc.path, mark.line + 1, mark.column + 1) if mark else Location(doc.path, 1, 1)
        doc.diagnostics.append(Diagnostic(loc, "yaml-syntax",
                                          {"problem": messages.yaml_problem(exc.problem or exc.context or "")}))
        return doc
    except yaml.reader.ReaderError as exc:
        # Control characters: libyaml gives a byte offset, the pure-Python reader a character offset, so
        # find the character itself (the reader stops at its first occurrence).
        char = exc.character if isinstance(exc.character, int) else None
        where = text.find(chr(char)) if char is not None else -1
        loc = _char_location(doc.path, text, where) if where >= 0 else Location(doc.path, 1, 1)
        doc.diagnostics.append(Diagnostic(loc, "yaml-syntax", {"problem": messages.yaml_problem(exc.reason),
                                          "codepoint": f"{char:04X}" if char is not None else "?"},
                                          variant="control"))
        return doc
    except (yaml.YAMLError, RecursionError) as exc:
        doc.error((), "yaml-syntax", {"problem": str(exc)})
        return doc
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        doc.error((), "empty-file")
        return doc
    if len(nodes) > 1:
        loc = nodes[1].start_mark
        doc.diagnostics.append(Diagnostic(Location(doc.path, loc.line + 1, loc.column + 1),
                                          "multiple-documents"))
    if "&" in text:
        _check_anchors(text, doc)
    doc.root = nodes[0]
    doc.data = _Walker(doc).walk(nodes[0], ())
    if doc.data is None and not doc.diagnostics:
        # `---` alone, `~` or `null`: without a diagnostic the record would silently drop out of the corpus
        doc.error((), "empty-file", variant="only-null")
    return doc


def _char_location(path: Path, text: str, index: int) -> Location:
    before = text[:index]
    return Location(path, before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)


_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_depth(text: str) -> int:
    """Upper bound of bracket nesting, counted before parsing so a hostile file cannot exhaust the stack."""
    depth = best = 0
    for m in _BRACKETS.finditer(text):  # only the brackets, not every character, go through Python
        ch = m.group()
        if ch in "[{":
            depth += 1
            best = max(best, depth)
        elif ch in "]}" and depth:
            depth -= 1
    return best


def _check_anchors(text: str, doc: Document) -> None:
    try:
        for event in yaml.parse(text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            if anchor and not isinstance(event, yaml.AliasEvent):
                m = event.start_mark
                doc.diagnostics.append(Diagnostic(Location(doc.path, m.line + 1, m.column + 1), "anchor",
                                                  {"name": anchor}))
    except yaml.YAMLError:
        pass  # already reported by the composer


class _Walker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()

    def walk(self, node: yaml.Node, ptr: Pointer) -> Any:
        doc = self.doc
        if id(node) in self.seen:
            doc.error(ptr, "alias")
            return None
        self.seen.add(id(node))
        if len(ptr) > MAX_DEPTH:
            doc.error(ptr, "too-deep", {"limit": MAX_DEPTH})
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, ptr)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _T + "seq":
                doc.error(ptr, "yaml-tag", {"tag": node.tag})
            return [self.walk(child, (*ptr, i)) for i, child in enumerate(node.value)]
        return self._scalar(node, ptr)

    def _mapping(self, node: yaml.MappingNode, ptr: Pointer) -> dict:
        doc = self.doc
        if node.tag != _T + "map":
            doc.error(ptr, "yaml-tag", {"tag": node.tag})
        out: dict[str, Any] = {}
        first_key: dict[str, int] = {}
        for knode, vnode in node.value:
            kpos = (knode.start_mark.line + 1, knode.start_mark.column + 1)
            if not isinstance(knode, yaml.ScalarNode):
                doc.diagnostics.append(Diagnostic(Location(doc.path, *kpos), "yaml-key"))
                continue
            key = _nfc(knode.value)
            if key == "<<":
                doc.diagnostics.append(Diagnostic(Location(doc.path, *kpos), "alias", variant="merge"))
                continue
            child = (*ptr, key)
            if key in first_key:
                doc.diagnostics.append(Diagnostic(Location(doc.path, *kpos), "duplicate-key",
                                                  {"name": key, "first": first_key[key]},
                                                  field=pointer_text(child)))
                continue
            first_key[key] = kpos[0]
            out[key] = self.walk(vnode, child)
        return out

    def _scalar(self, node: yaml.ScalarNode, ptr: Pointer) -> Any:
        doc, tag, value = self.doc, node.tag, node.value
        if tag not in _ALLOWED_SCALAR_TAGS:
            doc.error(ptr, "yaml-tag", {"tag": tag})
            return None
        if tag == _T + "str" or tag == _T + "timestamp":
            # Dates stay text (the schema checks their form); quoted scalars are always text.
            if not node.style and tag == _T + "str" and _EXP_NUMBER.match(value):
                doc.traps[ptr] = Trap(value, "exponent", "text")
            return _nfc(value)
        if tag == _T + "null":
            return None
        if tag == _T + "bool":
            if value.lower() in ("true", "false"):
                return value.lower() == "true"
            doc.traps[ptr] = Trap(value, "bool", "bool")
            return _SAFE.construct_yaml_bool(node)
        if tag == _T + "int":
            digits = len(value.lstrip("+-").replace("_", ""))
            if digits > doc.max_int_digits:
                doc.error(ptr, "limit", {"value": f"{digits:,}", "limit": f"{doc.max_int_digits:,}"},
                          variant="integer")
                return None
            if ":" in value:
                doc.traps[ptr] = Trap(value, "base60", "number", _SAFE.construct_yaml_int(node))
            elif _LEADING_ZERO.match(value):
                doc.traps[ptr] = Trap(value, "octal", "number", _SAFE.construct_yaml_int(node))
            return _SAFE.construct_yaml_int(node)
        result = _SAFE.construct_yaml_float(node)
        if result != result or result in (float("inf"), float("-inf")):
            doc.traps[ptr] = Trap(value, "infinite", "number")
        elif ":" in value:
            doc.traps[ptr] = Trap(value, "base60", "number", result)
        return result


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
