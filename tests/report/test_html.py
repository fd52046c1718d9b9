"""Corpus → report HTML: golden file for the fixture, escaping of hostile record text, anchors."""

from __future__ import annotations

import os
import re
from pathlib import Path

from casebook.report.html import Plan, build_html
from casebook.validate import validate

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "report" / "fixture"
UPDATE = os.environ.get("CASEBOOK_UPDATE_GOLDEN") == "1"
_SECTION = re.compile(r'<section class="[^"]*"(?: aria-labelledby="([^"]+)"| aria-label="([^"]+)")')


def fragments(html: str) -> dict[str, str]:
    """The report HTML cut at its top-level sections (cover, chapters, appendices), one golden file each
    named by the section's id, so a change to one chapter shows as one small diff; ``head`` holds everything
    before the cover; the order is kept in ``sections.txt``."""
    cuts = [(m.start(), m.group(1) or "cover") for m in _SECTION.finditer(html)]
    out = {"head": html[: cuts[0][0]] if cuts else html}
    for n, (start, key) in enumerate(cuts, start=1):
        end = cuts[n][0] if n < len(cuts) else len(html)
        out[key] = html[start:end]
    return out


def test_fixture_html_matches_golden(corpus):
    """Regenerate with CASEBOOK_UPDATE_GOLDEN=1 and review the diff like code."""
    html, _ = build_html(corpus)
    parts = fragments(html)
    assert "".join(parts.values()) == html
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for stale in GOLDEN.glob("*.html"):
            stale.unlink()
        for key, text in parts.items():
            (GOLDEN / f"{key}.html").write_text(text, encoding="utf-8")
        (GOLDEN / "sections.txt").write_text("".join(f"{key}\n" for key in parts), encoding="utf-8")
    assert (GOLDEN / "sections.txt").is_file(), "no golden files yet: run with CASEBOOK_UPDATE_GOLDEN=1"
    order = (GOLDEN / "sections.txt").read_text(encoding="utf-8").split()
    assert list(parts) == order, "the report's sections changed (sections.txt); update the golden"
    stored = {key: (GOLDEN / f"{key}.html").read_text(encoding="utf-8") for key in order}
    changed = [key for key in parts if parts[key] != stored[key]]
    assert not changed, f"report HTML changed in {changed}; see the diff, then update the golden"


def test_html_is_japanese_and_carries_edition_dates(corpus):
    html, _ = build_html(corpus)
    assert '<html lang="ja">' in html
    date = corpus.publication.date
    assert f'<meta name="dcterms.created" content="{date}">' in html
    assert f'<meta name="dcterms.modified" content="{date}">' in html
    assert str(corpus.root) not in html  # no absolute paths: the golden file is portable


def test_every_internal_link_has_a_target(corpus):
    html, _ = build_html(corpus)
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert targets <= ids, targets - ids
    assert len(ids) == len(re.findall(r'\sid="([^"]+)"', html)), "duplicate ids"


def test_record_ids_in_prose_link_to_anchors(corpus):
    html, plan = build_html(corpus)
    # the policy clause text names R-PRIVACY-LEAK; it must link to the risk's row in the report, and as
    # running text it shows the risk's name, not its id
    name = corpus.risks["R-PRIVACY-LEAK"].name.ja
    assert f'<a href="#{plan.anchors["R-PRIVACY-LEAK"]}">{name}</a>に留意する。' in html


def test_table_header_cells_have_scope(corpus):
    html, _ = build_html(corpus)
    assert re.findall(r"<th(?=[\s>])(?![^>]*scope=)[^>]*>", html) == []


def test_sample_chapters_are_labelled(corpus):
    html, plan = build_html(corpus)
    for case in plan.cases:
        start = html.index(f'id="{plan.anchors[case.id]}"')
        end = html.index("</section>", start)
        if case.is_sample:
            assert "説明用の架空事例" in html[start:end]
            assert '<span class="nobr">（例示）</span>' in html[start:end]
    assert "測定結果ではない" in html[: html.index('class="toc"')]  # on the cover


def test_hostile_text_is_inert(hostile_root, secret):
    result = validate(hostile_root)
    assert result.corpus is not None, [str(d) for d in result.report.errors]
    html, _ = build_html(result.corpus)
    body = html[html.index("<body>"):]
    assert "<img src=\"file:" not in body
    assert "<link" not in body
    assert "<style" not in body
    assert not re.search(r"<[a-z][a-z0-9]*\s[^<>]*style=", body)  # no element carries a style from the text
    assert "<b " not in body
    assert re.search(r"&lt;img src=(&#34;|&quot;|\")file:///etc/hostname(&#34;|&quot;|\")&gt;", body)
    assert secret[1] not in html
    assert len(re.findall(r"<img\s", body)) == 1  # the case's own figure, nothing from the text


def test_plan_counts(corpus):
    plan = Plan(corpus)
    assert plan.counts["cases"] == len(corpus.cases)
    assert plan.counts["assessments"] == sum(len(c.assessments) for c in corpus.cases.values())
    assert [c.kind for c in plan.chapters].count("case") == len(corpus.cases)
