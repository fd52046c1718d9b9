"""Casebook: YAML records → validated corpus → site pages and PDF evaluation report."""

from __future__ import annotations

from .errors import CasebookError, LoadError, Location, RenderError, UsageError, ValidationError
from .model import Corpus
from .validate import Result, validate

__all__ = [
    "CasebookError",
    "Corpus",
    "LoadError",
    "Location",
    "RenderError",
    "Result",
    "UsageError",
    "ValidationError",
    "validate",
]
