"""Diagnostics: what the validator reports, and the three ways it prints them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import messages
from .characters import json_safe, visible
from .errors import Location


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one place: a registered code plus the parameters its texts need.

    The texts (Japanese and English message and hint) come from the registry in
    ``casebook/messages/diagnostics.yaml``; ``variant`` picks one of the code's named variants.
    """

    location: Location
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: str = ""  # "error", "warning" or "note" (shown to the reviewer, never fails); "" = the code's
    field: str = ""  # JSON pointer of the offending value, e.g. /assessments/0/risk
    variant: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.params, Mapping):  # the old (code, message, hint) call: texts live in the registry
            raise TypeError(f"diagnostic `{self.code}`: pass parameters, not text; add the texts to "
                            "casebook/messages/diagnostics.yaml")
        entry = messages.registry().get(self.code)
        if entry is None:  # every code is registered with its texts and a fixture (tests/test_messages.py)
            raise KeyError(f"unregistered diagnostic code `{self.code}`")
        if not self.severity:
            object.__setattr__(self, "severity", entry.severity)
        entry.texts(self.variant)  # an unknown variant fails here, where it is written

    def render(self, lang: str) -> tuple[str, str]:
        """(message, hint) in ``lang``."""
        return messages.render(self.code, self.params, lang, self.variant)

    @property
    def message(self) -> str:
        """The message in Japanese, the default language."""
        return self.render(messages.DEFAULT_LANGUAGE)[0]

    @property
    def hint(self) -> str:
        return self.render(messages.DEFAULT_LANGUAGE)[1]

    @property
    def message_en(self) -> str:
        return self.render("en")[0]

    @property
    def hint_en(self) -> str:
        return self.render("en")[1]

    def sort_key(self) -> tuple:
        return (str(self.location.path), self.location.line, self.location.column, self.code)

    def text(self, root: Path | None = None, lang: str | None = None) -> str:
        # Every part may quote contributed text (a file name, a value, a pii_allow reason): characters a
        # terminal would act on are shown as <U+XXXX>, so a record cannot rewrite what a reviewer reads.
        lang = messages.language(lang)
        message, hint = self.render(lang)
        path = visible(str(_relative(self.location.path, root)))
        where = f"{path}:{self.location.line}:{self.location.column}"
        out = f"{where}: {self.severity}[{self.code}]: {visible(message)}"
        if self.field:
            out += f" ({messages.text('field', lang, field=visible(self.field))})"
        if hint:
            out += f"\n  {messages.text('hint', lang)}: {visible(hint)}"
        return out

    def as_dict(self, root: Path | None = None, lang: str | None = None) -> dict:
        """Position, code and the texts in both languages (``message``/``hint`` in ``lang``)."""
        lang = messages.language(lang)
        texts = {code: dict(zip(("message", "hint"), self.render(code), strict=True))
                 for code in messages.LANGUAGES}
        return {
            "path": str(_relative(self.location.path, root)),
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity,
            "code": self.code,
            "field": self.field,
            "message": texts[lang]["message"],
            "hint": texts[lang]["hint"],
            **{f"{key}_{code}": value for code, pair in texts.items() for key, value in pair.items()},
        }

    def github(self, root: Path | None = None, lang: str | None = None) -> str:
        """A GitHub Actions workflow command (annotation on the file and line), in both languages."""
        level = {"error": "error", "warning": "warning"}.get(self.severity, "notice")
        path = _relative(self.location.path, root)
        first = messages.language(lang)
        lines = []
        for code in (first, *(c for c in messages.LANGUAGES if c != first)):
            message, hint = self.render(code)
            lines.append(visible(message + (f" — {hint}" if hint else "")))
        body = "\n".join(lines)
        body = body.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        # Properties are escaped too: a contributor names the files, and a raw `,` `:` or newline in a
        # folder name would let it write annotations (or ::stop-commands::) of its own.
        return (
            f"::{level} file={_property(visible(str(path)))},line={max(self.location.line, 1)},"
            f"col={max(self.location.column, 1)},title={_property(self.code)}::{body}"
        )


@dataclass
class Report:
    """Everything the validator found, sorted by place."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))


def format_report(diags: Iterable[Diagnostic], fmt: str, root: Path | None = None, lang: str | None = None) -> str:
    """Text (in ``lang``: Japanese unless asked or the locale says English), JSON or GitHub annotations
    (both with the texts in both languages)."""
    diags = sorted(diags, key=Diagnostic.sort_key)
    if fmt == "json":
        # JSON escapes C0 controls itself; C1 controls, bidi and invisible characters are escaped too, so the
        # output is still the same JSON but safe to print.
        out = json.dumps([d.as_dict(root, lang) for d in diags], ensure_ascii=False, indent=2)
        return json_safe(out)
    if fmt == "github":
        return "\n".join(d.github(root, lang) for d in diags)
    return "\n".join(d.text(root, lang) for d in diags)


def _property(value: str) -> str:
    """Escape a workflow-command property value as GitHub's runner expects."""
    return (value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def _relative(path: Path, root: Path | None) -> Path:
    if root is None:
        return path
    try:
        # Not path.resolve(): a symbolic link must be named as itself, not as the file it points to
        return (path.parent.resolve() / path.name).relative_to(root.resolve())
    except ValueError:
        return path
