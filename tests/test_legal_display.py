"""The legal basis a case declares for special data, and its volume, reach the site page and the report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook import site
from casebook.report.html import build_html
from casebook.validate import validate

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus():
    result = validate(REPO)
    assert result.corpus is not None, [d.text(REPO) for d in result.report.errors]
    return result.corpus


@pytest.fixture(scope="module")
def declaring(corpus):
    cases = [c for c in corpus.cases.values() if c.special_data]
    assert cases, "the shipped corpus has no case that declares special data"
    return cases


def test_site_page_shows_each_declaration_with_basis_and_provisions(corpus, declaring):
    pages = {p.path: p for p in site.render_pages(corpus)}
    for case in declaring:
        page = pages[f"casestudies/{case.id}.md"].resolved()
        section = page.split("## 要配慮個人情報等の取扱い", 1)
        assert len(section) == 2, f"{case.id}: no special-data section"
        body = section[1].split("\n## ", 1)[0]
        for sd in case.special_data:
            assert corpus.label("special_data_category", sd.category) in body
            assert corpus.label("special_data_basis", sd.basis) in body
            if sd.consent_form:
                assert corpus.label("consent_form", sd.consent_form) in body
            for p in sd.provisions:
                assert f"#{p.id})" in body, f"{case.id}: {p.id} not linked"
        if case.volume:
            row = next(line for line in page.splitlines() if line.startswith("| 利用量 |"))
            assert f"{case.volume.interactions:,} 件" in row
            assert ("（例示）" in row) == case.volume.illustrative


def test_report_shows_each_declaration_and_marks_unverified_provisions(corpus, declaring):
    html, _ = build_html(corpus)
    for case in declaring:
        start = html.index(f'id="case-{case.id}-special-data"')
        block = html[start:html.index(f'id="case-{case.id}-readiness"')]
        captions = re.findall(r"<caption>(.*?)の取扱いと法的根拠</caption>", block)
        assert captions == [corpus.label("special_data_category", sd.category) for sd in case.special_data]
        for sd in case.special_data:
            for p in sd.provisions:
                link = f'<a href="#prov-{p.id}">{p.citation}</a>'
                assert link + ('<span class="nobr">（要確認）</span>' if not p.verified else "") in block


def test_scoring_page_and_report_show_the_likelihood_bounds(corpus):
    bounded = [s for s in corpus.scoring.likelihood if s.max_rate is not None]
    assert bounded, "the shipped scoring catalogue has no likelihood bounds"
    page = next(p for p in site.render_pages(corpus) if p.path.startswith("methodology/scoring")).resolved()
    html, _ = build_html(corpus)
    for s in bounded:
        row = next(line for line in page.splitlines() if line.startswith(f"| {s.level} | "))
        assert f"発生率の上限 {s.max_rate * 100:g}%" in row
        assert f"発生率の95%上限 {s.max_rate * 100:g}%" in html
        if s.max_events_per_year is not None:
            assert f"年 {s.max_events_per_year:g} 件" in row
    for rule in corpus.scoring.evidence.values():
        assert f"(#{rule.metric})" in page
