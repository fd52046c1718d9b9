"""One exception hierarchy; every error knows where in the input it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in an input file (1-based line and column; 0 when unknown)."""

    path: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return str(self.path)


class CasebookError(Exception):
    """Base class of every error Casebook raises on purpose."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class LoadError(CasebookError):
    """A file could not be read as a record file."""


class ValidationError(CasebookError):
    """The corpus has errors; ``diagnostics`` holds every one of them."""

    def __init__(self, diagnostics: list) -> None:  # list[Diagnostic]
        errors = [d for d in diagnostics if d.severity == "error"]
        first = errors[0] if errors else None
        super().__init__(
            f"{len(errors)} error(s) in the records",
            first.location if first else None,
        )
        self.diagnostics = diagnostics


class RenderError(CasebookError):
    """A page or the report could not be rendered."""


class UsageError(CasebookError):
    """The command line was wrong (exit code 2)."""
