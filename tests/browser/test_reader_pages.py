"""A reader's menu and vocabulary (issue 14): one title, Japanese footer, developer pages apart, readable
headings, and a 404 page that works under the sub-path the site is served from."""

from __future__ import annotations

from casebook.validate import validate

from .conftest import ROOT


def _contrast(fg: str, bg: str) -> float:
    def rgb(css: str) -> tuple[float, float, float, float]:
        parts = [float(x) for x in css[css.index("(") + 1:-1].split(",")]
        return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)

    def lum(c):
        out = []
        for v in c[:3]:
            v /= 255
            out.append(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4)
        return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]

    f, b = rgb(fg), rgb(bg)
    blended = tuple(f[i] * f[3] + b[i] * (1 - f[3]) for i in range(3))
    hi, lo = sorted((lum(blended), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_one_title_japanese_footer_and_developer_section(page, base_url):
    title = validate(ROOT).corpus.publication.title.ja
    page.goto(base_url, wait_until="load")
    assert page.title() == title
    assert page.inner_text(".md-header__topic").strip().startswith(title[:10])
    footer = page.inner_text("footer")
    assert "Made with" not in footer and "Material for MkDocs" not in footer
    assert "版" in footer
    sections = page.eval_on_selector_all(
        ".md-nav--primary > .md-nav__list > .md-nav__item--section",
        "els => els.map(e => ({label: e.querySelector('label, .md-nav__link').innerText.trim(),"
        " links: Array.from(e.querySelectorAll('a')).map(a => a.getAttribute('href'))}))",
    )
    dev = [s for s in sections if s["label"] == "開発者向け"]
    assert dev and any("schema/" in h for h in dev[0]["links"]) and any("api/" in h for h in dev[0]["links"])
    readers = [h for s in sections if s["label"] != "開発者向け" for h in s["links"]]
    assert not any("api/" in h or "schema/" in h for h in readers)
    nav = page.inner_text(".md-nav--primary")
    assert "軽減策" in nav and "\n対策\n" not in f"\n{nav}\n"


def test_headings_have_enough_contrast(page, base_url):
    page.goto(base_url + "matrix/", wait_until="load")
    fg, bg = page.evaluate("""() => [getComputedStyle(document.querySelector('.md-typeset h1')).color,
                                     getComputedStyle(document.body).backgroundColor]""")
    assert _contrast(fg, bg if "rgba(0, 0, 0, 0)" not in bg else "rgb(255, 255, 255)") >= 7, (fg, bg)


def test_404_page_works_under_a_sub_path(page, base_url, site_dir):
    body = (site_dir / "404.html").read_text(encoding="utf-8")
    missing = base_url + "no/such/page/"
    page.route(missing, lambda route: route.fulfill(status=404, body=body, content_type="text/html"))
    page.goto(missing, wait_until="load")
    sheets = page.evaluate("() => Array.from(document.styleSheets).map(s => s.href || '')")
    assert any(s.startswith(base_url + "assets/stylesheets/main.") for s in sheets), sheets
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"
    hrefs = page.eval_on_selector_all(".md-nav--primary a.md-nav__link", "els => els.map(a => a.href)")
    assert hrefs and all(h.startswith(base_url) for h in hrefs), hrefs[:5]
    assert base_url + "policy/" in hrefs
