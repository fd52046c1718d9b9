"""Every page template in the real browser: no request leaves the site's origin, axe-core finds no
violation, and the case-study table filter works. The site is served from a sub-path (/casebook/)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import recall

SEARCH_QUERY = "個人情報の漏えい"


def _first(site_dir: Path, section: str) -> str:
    pages = sorted(p.parent.name for p in (site_dir / section).glob("*/index.html"))
    assert pages, f"no generated page under {section}/"
    return f"{section}/{pages[0]}/"


@pytest.fixture(scope="session")
def templates(site_dir) -> dict[str, str]:
    """One URL (relative to the site) per page template."""
    return {
        "home": "",
        "policy": "policy/",
        "casestudies": "casestudies/",
        "casestudy": _first(site_dir, "casestudies"),
        "risk": _first(site_dir, "risks"),
        "mitigation": _first(site_dir, "mitigations"),
        "regulation": _first(site_dir, "regulations"),
        "matrix": "matrix/",
        "checklist": "checklist/",
        "glossary": "glossary/",
    }


NAMES = ["home", "policy", "casestudies", "casestudy", "risk", "mitigation", "regulation", "matrix",
         "checklist", "glossary"]


def _watch(page, base_url: str) -> list[str]:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    foreign: list[str] = []

    def on_request(request):
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if not url.startswith(origin + "/"):
            foreign.append(url)

    page.on("request", on_request)
    page.context.on("request", on_request)  # includes the search worker's requests
    return foreign


def _open_search(page, query: str) -> None:
    page.click("input.md-search__input")
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material reacts to keyup only
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && /\\d/.test(m.textContent); }",
        timeout=10_000,
    )
    # The result list fades in (CSS transitions of .25 s); checked mid-fade, colours are half-blended.
    page.mouse.move(0, 0)
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')",
                           timeout=5_000)


@pytest.mark.parametrize("name", NAMES)
def test_no_request_leaves_the_origin(page, base_url, templates, name):
    foreign = _watch(page, base_url)
    response = page.goto(base_url + templates[name], wait_until="networkidle")
    assert response is not None and response.ok, f"{name}: HTTP {response and response.status}"
    _open_search(page, SEARCH_QUERY)
    assert page.locator(".md-search-result__item").count() > 0, f"{name}: search found nothing"
    page.wait_for_load_state("networkidle")
    assert foreign == [], f"{name}: requests to other origins: {foreign}"


def _axe(page):
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page)


@pytest.mark.parametrize("name", NAMES)
def test_axe_has_no_violations(page, base_url, templates, name):
    page.goto(base_url + templates[name], wait_until="networkidle")
    results = _axe(page)
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


def test_axe_with_search_results_open(page, base_url):
    page.goto(base_url, wait_until="networkidle")
    _open_search(page, SEARCH_QUERY)
    results = _axe(page)
    assert results.violations_count == 0, results.generate_report()


def test_case_study_filter_hides_rows(page, base_url):
    page.goto(base_url + "casestudies/", wait_until="networkidle")
    box = page.locator(".cb-filter input[type=search]")
    box.wait_for()
    rows = page.locator(".cb-filter table tbody tr")
    total = rows.count()
    assert total >= 2, "need at least two case studies to test the filter"
    texts = [rows.nth(i).inner_text() for i in range(total)]
    # A word from the first row's title that no other row contains.
    title = page.locator(".cb-filter table tbody tr").first.locator("a").first.inner_text()
    word = next(
        (title[i:i + n] for n in (4, 3, 2) for i in range(len(title) - n + 1)
         if sum(title[i:i + n] in t for t in texts) == 1),
        None,
    )
    assert word, f"no word unique to the first row in {title!r}"
    box.fill(word)
    visible = [i for i in range(total) if rows.nth(i).is_visible()]
    assert visible == [0], f"filter {word!r}: visible rows {visible} of {total}"
    box.fill("")
    assert all(rows.nth(i).is_visible() for i in range(total))
    box.fill("該当なしの語句ZZZ")
    assert not any(rows.nth(i).is_visible() for i in range(total))


def test_pages_work_from_a_sub_path(page, base_url, templates):
    """Links and assets resolve under /casebook/: every stylesheet and script loaded, none 404."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for name in ("home", "casestudy", "risk"):
        page.goto(base_url + templates[name], wait_until="networkidle")
        assert page.locator("link[rel=stylesheet]").count() > 0
        path = urlsplit(page.url).path
        assert path.startswith("/" + recall.SUBPATH + "/"), path
    assert failed == []
