"""Diagnostics: what the validator reports, and the three ways it prints them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .characters import json_safe, visible
from .errors import Location


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one place, with a hint that says how to fix it."""

    location: Location
    code: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error", "warning" or "note" (shown to the reviewer, never fails)
    field: str = ""  # JSON pointer of the offending value, e.g. /assessments/0/risk

    def sort_key(self) -> tuple:
        return (str(self.location.path), self.location.line, self.location.column, self.code)

    def text(self, root: Path | None = None) -> str:
        # Every part may quote contributed text (a file name, a value, a pii_allow reason): characters a
        # terminal would act on are shown as <U+XXXX>, so a record cannot rewrite what a reviewer reads.
        path = visible(str(_relative(self.location.path, root)))
        where = f"{path}:{self.location.line}:{self.location.column}"
        out = f"{where}: {self.severity}[{self.code}]: {visible(self.message)}"
        if self.field:
            out += f" (field {visible(self.field)})"
        if self.hint:
            out += f"\n  hint: {visible(self.hint)}"
        return out

    def as_dict(self, root: Path | None = None) -> dict:
        return {
            "path": str(_relative(self.location.path, root)),
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity,
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }

    def github(self, root: Path | None = None) -> str:
        """A GitHub Actions workflow command (annotation on the file and line)."""
        level = {"error": "error", "warning": "warning"}.get(self.severity, "notice")
        path = _relative(self.location.path, root)
        body = visible(self.message + (f" — {self.hint}" if self.hint else ""))
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


def format_report(diags: Iterable[Diagnostic], fmt: str, root: Path | None = None) -> str:
    diags = sorted(diags, key=Diagnostic.sort_key)
    if fmt == "json":
        # JSON escapes C0 controls itself; C1 controls, bidi and invisible characters are escaped too, so the
        # output is still the same JSON but safe to print.
        out = json.dumps([d.as_dict(root) for d in diags], ensure_ascii=False, indent=2)
        return json_safe(out)
    if fmt == "github":
        return "\n".join(d.github(root) for d in diags)
    return "\n".join(d.text(root) for d in diags)


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
