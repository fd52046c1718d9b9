"""Settings shared by the whole suite: the fast tier's marks and hypothesis profiles.

``bash scripts/test.sh --fast`` runs ``-m "not slow and not browser"``: everything but real site/PDF builds
and browser tests. Modules listed in ``_SLOW_MODULES`` render PDFs in every test (or a shared fixture) and
count as slow as a whole, so a new test there is in the right tier without remembering the mark.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

_SLOW_MODULES = {"report/test_pdf.py", "report/test_assemble.py", "report/test_xref.py", "test_preview.py"}
_HERE = Path(__file__).parent

# CI runs on a fresh clone: no example database to replay from, no wall-clock deadline on a busy machine.
settings.register_profile("ci", database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        try:
            rel = Path(item.fspath).relative_to(_HERE).as_posix()
        except ValueError:
            continue
        if rel in _SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
