"""Render the report in a child process: memory WeasyPrint keeps after a render goes with the child."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ..errors import RenderError
from .pdf import ReportInfo, check_variant


def render_report_subprocess(root: Path, output: Path, variant: str | None = "pdf/ua-1",
                             timeout: float | None = 900) -> ReportInfo:
    """Validate ``root`` and render its report to ``output`` in a fresh Python process."""
    variant = check_variant(variant)
    cmd = [sys.executable, "-m", "casebook.report", str(Path(root).resolve()), str(Path(output).resolve()),
           "--variant", variant or "none"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"report render did not finish within {timeout} s") from exc
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        detail = proc.stderr.strip().splitlines()
        raise RenderError("report render failed in the subprocess: "
                          + (detail[-1] if detail else f"exit code {proc.returncode}"))
    return ReportInfo(**json.loads(lines[-1]))
