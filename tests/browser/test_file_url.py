"""The site from a shared drive: the offline zip unpacked and opened as file:// in headless Chromium.

Every nav link opens a page (never a directory listing), and the self-check keeps its ticks across a reload.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from casebook.site.offline import FOLDER, write_offline_zip

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    path = write_offline_zip(REPO, site, strict=True)
    data = path.read_bytes()
    out = tmp_path_factory.mktemp("share")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        zf.extractall(out)
    return out / FOLDER


def test_every_nav_link_opens_a_page_under_file_url(page, offline_site):
    start = (offline_site / "index.html").as_uri()
    page.goto(start)
    hrefs = page.eval_on_selector_all("nav.md-nav--primary a.md-nav__link[href]",
                                      "els => [...new Set(els.map(e => e.href))]")
    assert len(hrefs) >= 15
    for href in hrefs:
        assert href.startswith("file://"), href
        target = Path(href.split("#")[0].removeprefix("file://"))
        assert target.is_file() and target.suffix == ".html", href
        page.goto(href)
        assert page.query_selector("article.md-content__inner h1") is not None, href
        assert "Index of" not in page.title(), href


def test_self_check_keeps_ticks_under_file_url(page, offline_site):
    page.goto((offline_site / "self-check" / "index.html").as_uri())
    page.click('.sc-example[data-case="sample-rag-inquiry-chatbot"]')
    page.check("#sc-M-PII-MASKING-1")
    page.reload()
    page.wait_for_selector("#sc-M-PII-MASKING-1")
    assert page.is_checked("#sc-M-PII-MASKING-1")


def test_offline_search_index_is_a_script(offline_site):
    js = (offline_site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert js.startswith("var __index = {")
