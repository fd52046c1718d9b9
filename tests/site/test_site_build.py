"""Integration: the real `mkdocs build --strict` of the fixture project, read back from the HTML."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from htmlscan import scan

from conftest import EDIT_BASE, HOSTILE_TITLE

pytestmark = pytest.mark.slow


def html_pages(site: Path) -> list[Path]:
    """Every built page except 404.html (MkDocs roots it at "/" when site_url is unset: it may be served
    from any path, so it cannot use relative links)."""
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def read(site: Path, url_path: str):
    return scan((site / url_path / "index.html").read_text(encoding="utf-8"))


def test_every_record_has_its_page(built, corpus):
    for case in corpus.cases.values():
        assert (built / "casestudies" / case.id / "index.html").is_file()
    for rid in corpus.risks:
        assert (built / "risks" / rid / "index.html").is_file()
    for mid in corpus.mitigations:
        assert (built / "mitigations" / mid / "index.html").is_file()
    for iid in corpus.instruments:
        assert (built / "regulations" / iid / "index.html").is_file()
    for pid, provision in corpus.provisions.items():
        assert pid in read(built, f"regulations/{provision.instrument.id}").ids
    for clause in corpus.policy.clauses:
        assert clause.id in read(built, "policy").ids
    for mid in corpus.metrics:
        assert mid in read(built, "methodology/scoring").ids


def test_records_in_equal_pages_out(built, corpus):
    def pages(section: str) -> set[str]:
        return {p.parent.name for p in (built / section).glob("*/index.html")}

    assert pages("casestudies") == set(corpus.cases)
    assert pages("risks") == set(corpus.risks)
    assert pages("mitigations") == set(corpus.mitigations)
    assert pages("regulations") == set(corpus.instruments)


def test_every_internal_link_resolves(built):
    problems = []
    id_cache: dict[Path, set[str]] = {}
    for page in html_pages(built):
        s = scan(page.read_text(encoding="utf-8"))
        for tag, url in s.links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "data:")):
                continue
            if url.startswith("/"):
                problems.append(f"{page}: absolute link {url}")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if tag == "a" and parts.path.endswith(("report.pdf", "report-summary.pdf", "casebook-offline.zip")):
                continue  # all three are added by `casebook build` after the site (see tests/test_cli_build.py)
            if not target.is_file():
                problems.append(f"{page.relative_to(built)}: {url} → missing")
                continue
            if parts.fragment and tag == "a" and target.suffix == ".html":
                ids = id_cache.setdefault(target, scan(target.read_text(encoding="utf-8")).ids)
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{page.relative_to(built)}: {url} → no anchor")
    assert not problems, "\n".join(problems[:30])


def test_no_request_leaves_the_origin(built):
    for page in html_pages(built):
        s = scan(page.read_text(encoding="utf-8"))
        for tag, url in s.links:
            if tag in ("script", "link", "img", "iframe", "source"):
                assert not urlsplit(url).netloc, f"{page}: {tag} loads {url}"


def test_sample_banner_on_sample_pages(built, corpus):
    for case in corpus.cases.values():
        text = read(built, f"casestudies/{case.id}").plain
        assert ("説明のための架空の例" in text) == case.is_sample
    for section in ("casestudies", "matrix", "risks/R-HALLUCINATION"):
        assert "サンプルを含みます" in read(built, section).plain


def test_record_text_is_escaped(built):
    page = (built / "casestudies" / "hostile-case" / "index.html").read_text(encoding="utf-8")
    s = scan(page)
    assert HOSTILE_TITLE in s.plain  # shown as text …
    assert "<script>alert(1)</script>" not in page and "</title><script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not any(tag == "img" and a.get("onerror") for tag, a in s.tags)
    assert not any(url.startswith("javascript:") for _, url in s.links)
    assert "<img src=x" in s.plain
    # … while record ids in prose became links
    assert any(url.startswith("../../risks/R-HALLUCINATION/") for _, url in s.links)
    index = read(built, "casestudies")
    assert HOSTILE_TITLE in index.plain


def test_edit_links_point_at_the_source_yaml(built):
    s = read(built, "casestudies/sample-chatbot")
    assert s.edit_links == [EDIT_BASE + "casestudies/sample-chatbot/case.yaml"]
    assert read(built, "risks/R-HALLUCINATION").edit_links == [EDIT_BASE + "content/catalog/risks.yaml"]
    assert read(built, "matrix").edit_links == []  # built from many files: no single source


def test_matrix_is_a_real_table_with_text_labels(built, corpus):
    page = (built / "matrix" / "index.html").read_text(encoding="utf-8")
    s = scan(page)
    heads = [a for tag, a in s.tags if tag == "th"]
    assert sum(1 for a in heads if a.get("scope") == "row") == len(corpus.cases)
    table = next(a for tag, a in s.tags if tag == "table" and "cb-matrix" in a.get("class", ""))
    assert table["aria-labelledby"] in s.ids
    for case in corpus.cases.values():
        for a in case.assessments:
            assert f"{a.residual.value} {a.residual.band.label.ja}" in s.plain


def test_case_page_figures(built):
    text = read(built, "casestudies/sample-chatbot").plain
    assert "12.0%" in text and "3.0%" in text
    assert "8.2–17.2%" in text  # Wilson 95% interval of 24/200
    assert "暫定の文言" in text


def test_exports(built, corpus):
    data = json.loads((built / "data" / "casebook.json").read_text(encoding="utf-8"))
    assert data["edition"] == corpus.publication.edition
    assert {c["id"] for c in data["casestudies"]} == set(corpus.cases)
    assert {r["id"] for r in data["risks"]} == set(corpus.risks)
    raw = (built / "data" / "checklist.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    # One row per check item (an item lists the risks it serves), not one per (risk, item).
    assert [r["項目ID"] for r in rows] == list(corpus.check_items)
    for path in ("data/self-assessment.xlsx", "data/rules-template.docx"):
        assert (built / path).read_bytes()[:2] == b"PK", path
    assert (built / "data" / "schemas" / "casestudy.schema.json").is_file()
    assert "checklist.csv" in {Path(u).name for _, u in read(built, "checklist").links}


def test_no_table_is_left_as_markdown(built):
    """A template that loses the blank line before a table prints its rows as one paragraph of pipes."""
    stuck = [page.relative_to(built).as_posix() for page in html_pages(built)
             if re.search(r"<p>[^<]*\|\s*:?-{3,}", page.read_text(encoding="utf-8"))]
    assert not stuck, stuck
    data = scan((built / "data" / "index.html").read_text(encoding="utf-8"))
    linked = {Path(unquote(urlsplit(u).path)).name for tag, u in data.links if tag == "a"}
    assert any(tag == "table" for tag, _ in data.tags)
    assert {"self-assessment.xlsx", "rules-template.docx", "checklist.csv"} <= linked


def test_search_index_written(built):
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"] for d in index["docs"]}
    assert "casestudies/sample-chatbot/" in locations


def test_japanese_heading_anchors(built):
    ids = read(built, "methodology/scoring").ids
    assert "発生可能性" in ids
