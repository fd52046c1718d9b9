"""The PDF evaluation report (評価報告書): corpus → print HTML (Jinja2) → WeasyPrint → PDF.

No MkDocs here. ``render_report`` works in-process; ``render_report_subprocess`` validates and renders in a
child Python so a long-lived caller (``casebook serve``) gets WeasyPrint's memory back.
"""

from __future__ import annotations

from .child import render_report_subprocess
from .fetcher import AssetFetcher, RefusedFetch
from .html import build_html, templates_dir
from .pdf import VARIANTS, ReportInfo, render_report

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
