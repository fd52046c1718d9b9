"""The PDF evaluation report (評価報告書): corpus → print HTML (Jinja2) → WeasyPrint → PDF.

No MkDocs here. ``render_report`` works in-process; ``render_report_subprocess`` validates and renders in a
child Python so a long-lived caller (``casebook serve``) gets WeasyPrint's memory back.

The names below are imported on first use: importing WeasyPrint costs about 1.5 s, and ``casebook
validate`` imports ``casebook.report.structure`` (no WeasyPrint) through this package.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .child import render_report_subprocess
    from .fetcher import AssetFetcher, RefusedFetch
    from .html import build_html, templates_dir
    from .pdf import VARIANTS, ReportInfo, render_report

_WHERE = {
    "VARIANTS": "pdf",
    "AssetFetcher": "fetcher",
    "RefusedFetch": "fetcher",
    "ReportInfo": "pdf",
    "build_html": "html",
    "render_report": "pdf",
    "render_report_subprocess": "child",
    "templates_dir": "html",
}

__all__ = [
    "VARIANTS",
    "AssetFetcher",
    "RefusedFetch",
    "ReportInfo",
    "build_html",
    "render_report",
    "render_report_subprocess",
    "templates_dir",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
