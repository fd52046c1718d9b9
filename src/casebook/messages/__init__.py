"""Message catalogs: the registry of diagnostic codes and the command line's own strings, Japanese first.

The texts live in YAML beside this module (``diagnostics.yaml``, ``interface.yaml``) and are read once. Python
code names a code (or an interface string's id) and passes parameters; it never builds sentences itself.
"""

from __future__ import annotations

import errno
import os
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"


@dataclass(frozen=True)
class Term:
    """A word from the registry's ``terms:`` table, used as a parameter (``what=Term("risk")``)."""

    key: str


@dataclass(frozen=True)
class Phrase:
    """A term of the registry that is a template itself (``wide-digit``: 「全角の数字（{chars}）」), filled
    with ``params`` in the language of the message that quotes it."""

    key: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Either:
    """Several terms joined by the registry's word for "or" ("string or null", 「文字列または空（null）」)."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    message: dict[str, str]
    hint: dict[str, str] | None


@dataclass(frozen=True)
class Code:
    """One diagnostic code: its default message and hint, and named variants."""

    code: str
    group: str
    severity: str
    message: dict[str, str]
    hint: dict[str, str] | None
    variants: dict[str, Variant]

    def texts(self, variant: str = "") -> Variant:
        if not variant:
            return Variant(self.message, self.hint)
        if ":" in variant:  # the hint of another code's variant (a YAML 1.1 trap explains a type error)
            other, name = variant.split(":", 1)
            return Variant(self.message, registry()[other].texts(name).hint)
        try:
            return self.variants[variant]
        except KeyError:
            raise KeyError(f"diagnostic code `{self.code}` has no variant `{variant}`") from None


def _read(name: str) -> dict[str, Any]:
    # libyaml: the pure-Python parser spent about 0.14 s of CPU on diagnostics.yaml in every run that
    # prints a diagnostic or builds the site (libyaml 0.015 s, same data; three runs each)
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=yaml.CSafeLoader)


@cache
def _diagnostics_file() -> dict[str, Any]:
    return _read("diagnostics.yaml")


@cache
def registry() -> dict[str, Code]:
    """Every diagnostic code, read once from ``diagnostics.yaml``."""
    out: dict[str, Code] = {}
    for code, body in _diagnostics_file()["codes"].items():
        variants: dict[str, Variant] = {}
        for name, hint in (body.get("hints") or {}).items():
            variants[name] = Variant(body["message"], hint)
        for name, v in (body.get("variants") or {}).items():
            variants[name] = Variant(v.get("message", body["message"]), v.get("hint", body.get("hint")))
        out[code] = Code(code, body["group"], body["severity"], body["message"], body.get("hint"), variants)
    return out


@cache
def groups() -> dict[str, dict[str, str]]:
    return dict(_diagnostics_file()["groups"])


@cache
def terms() -> dict[str, dict[str, str]]:
    return dict(_diagnostics_file()["terms"])


@cache
def interface() -> dict[str, dict[str, str]]:
    """The command line's own strings (summary lines, labels), keyed by id."""
    return dict(_read("interface.yaml")["strings"])


def os_reason(exc: OSError) -> Term | str:
    """Why the system refused a file, as a registry term when it has one (``os-EISDIR``), else the system's
    own words."""
    name = errno.errorcode.get(exc.errno or 0, "")
    return Term(f"os-{name}") if f"os-{name}" in terms() else str(exc.strerror or exc)


def yaml_problem(problem: str) -> dict[str, str] | str:
    """What the YAML parser says, in both languages when the registry's ``yaml_problems`` knows it."""
    return _known(problem, "yaml_problems")


def image_problem(problem: str) -> dict[str, str] | str:
    """Why an image could not be read, in both languages when the registry's ``image_problems`` knows it."""
    return _known(problem, "image_problems")


def _known(text: str, table: str) -> dict[str, str] | str:
    ja = (_diagnostics_file().get(table) or {}).get(text)
    return {"ja": ja, "en": text} if ja else text


def language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``explicit`` if given; otherwise English when the locale (LC_ALL, LC_MESSAGES, LANG) starts with
    ``en``, Japanese in every other case (including C and POSIX)."""
    if explicit:
        return explicit
    env = os.environ if environ is None else environ
    if env.get("CASEBOOK_LANG") in LANGUAGES:  # set by `casebook --lang … serve` for the MkDocs process
        return env["CASEBOOK_LANG"]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:  # the first one set decides, as POSIX has it
            return "en" if value.lower().startswith("en") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


class _Params(dict):
    """Parameters as a template sees them: terms and {ja, en} pairs in the template's language."""

    def __init__(self, params: Mapping[str, Any], lang: str) -> None:
        super().__init__(params)
        self.lang = lang

    def __getitem__(self, key: str) -> Any:
        return localise(super().__getitem__(key), self.lang)


def localise(value: Any, lang: str) -> Any:
    if isinstance(value, Term):
        return pick(terms()[value.key], lang) if value.key in terms() else value.key
    if isinstance(value, Phrase):
        return fill(pick(terms()[value.key], lang), value.params, lang)
    if isinstance(value, Either):
        joiner = pick(terms()["or"], lang)
        return (joiner if lang == "ja" else f" {joiner} ").join(str(localise(Term(k), lang)) for k in value.keys)
    if isinstance(value, dict) and DEFAULT_LANGUAGE in value:
        return pick(value, lang)
    if isinstance(value, (list, tuple)):
        return ("、" if lang == "ja" else ", ").join(str(localise(v, lang)) for v in value)
    return value


def pick(texts: Mapping[str, str], lang: str) -> str:
    """The text in ``lang``, falling back to Japanese (the publication's language)."""
    return texts.get(lang) or texts[DEFAULT_LANGUAGE]


def fill(template: str, params: Mapping[str, Any], lang: str) -> str:
    return string.Formatter().vformat(template, (), _Params(params, lang))


def render(code: str, params: Mapping[str, Any], lang: str, variant: str = "") -> tuple[str, str]:
    """(message, hint) of ``code`` in ``lang``; the hint is "" when the code has none."""
    texts = registry()[code].texts(variant)
    message = fill(pick(texts.message, lang), params, lang)
    hint = fill(pick(texts.hint, lang), params, lang) if texts.hint else ""
    return message, hint


def text(key: str, lang: str, **params: Any) -> str:
    """An interface string (``interface.yaml``) in ``lang``."""
    return fill(pick(interface()[key], lang), params, lang)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True)
class Listed:
    """One code (or one of its variants) as the contributors' page 「検査メッセージ一覧」 shows it."""

    code: str
    severity: str
    variant: str
    message: dict[str, str]
    hint: dict[str, str] | None


def listing() -> list[tuple[dict[str, str], list[Listed]]]:
    """Every code with its variants, grouped as ``groups:`` orders them (templates, not filled in)."""
    by_group: dict[str, list[Listed]] = {g: [] for g in groups()}
    for code, entry in registry().items():
        rows = by_group.setdefault(entry.group, [])
        rows.append(Listed(code, entry.severity, "", entry.message, entry.hint))
        for name, v in entry.variants.items():
            if v.message != entry.message or v.hint != entry.hint:
                rows.append(Listed(code, entry.severity, name, v.message, v.hint))
    return [(groups()[g], [_shown(r) for r in rows]) for g, rows in by_group.items() if rows]


def _shown(row: Listed) -> Listed:
    """Templates as a reader sees them: a literal brace is written doubled in the registry."""
    def plain(texts: dict[str, str] | None) -> dict[str, str] | None:
        return {k: v.replace("{{", "{").replace("}}", "}") for k, v in texts.items()} if texts else None

    return Listed(row.code, row.severity, row.variant, plain(row.message) or {}, plain(row.hint))
