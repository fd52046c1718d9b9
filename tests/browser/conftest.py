"""Browser tests: the built site in headless Debian Chromium, served from a sub-path on 127.0.0.1.

The site is built once per session with ``mkdocs build`` (or taken from ``CASEBOOK_BROWSER_SITE``, an already
built site folder) and served at ``http://127.0.0.1:<port>/casebook/`` so that every page must work from a
sub-path. Chromium is Debian's (``/usr/bin/chromium``); ``playwright install`` is never needed.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_recall():
    spec = importlib.util.spec_from_file_location("search_recall", ROOT / "scripts" / "search_recall.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["search_recall"] = module
    spec.loader.exec_module(module)
    return module


recall = _load_recall()


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site_root(tmp_path_factory) -> Path:
    """Folder served over HTTP; the site is its ``casebook/`` sub-folder."""
    if not Path(recall.CHROMIUM).exists():
        pytest.skip(f"no Chromium at {recall.CHROMIUM} (scripts/bootstrap.sh installs it)")
    root = tmp_path_factory.mktemp("www")
    given = os.environ.get("CASEBOOK_BROWSER_SITE")
    if given:
        recall.stage_site(Path(given), root)
    else:
        recall.build_site(root)
    return root


@pytest.fixture(scope="session")
def site_dir(site_root) -> Path:
    return site_root / recall.SUBPATH


@pytest.fixture(scope="session")
def base_url(site_root):
    with recall.serve(site_root) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = recall.launch(pw)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    p = context.new_page()
    try:
        yield p
    finally:
        context.close()
