"""Splitting the report into parts: the plan of parts, what is read from a part's HTML, counters."""

from __future__ import annotations

import pytest

from casebook.errors import RenderError
from casebook.report.html import Plan
from casebook.report.parts import Part, check_chapters, counters_after, scan, split


def test_front_matter_case_groups_analysis_then_back(corpus):
    plan = Plan(corpus)
    plan.chapters = [*plan.chapters, plan.chapters[2]]  # two case chapters
    parts = split(plan, cases_per_part=1)
    assert [p.name for p in parts] == ["front", "cases-001", "cases-002", "analysis", "back"]
    assert [s.kind for s in parts[0].sections] == ["cover", "toc", "summary", "methodology"]
    assert [s.chapter for s in parts[1].sections] == [plan.chapters[2]]
    appendices = [c.section for c in plan.chapters if c.kind == "appendix"]  # one section each, as listed
    assert appendices[:4] == ["unverified", "provisions", "checklist", "glossary"] and appendices[-1] == "editions"
    assert [s.kind for s in parts[-1].sections] == ["policy", *appendices]
    with pytest.raises(ValueError):
        split(plan, cases_per_part=0)


def test_a_small_corpus_is_front_matter_and_one_body_part(corpus):
    plan = Plan(corpus)
    front, body = split(plan, cases_per_part=len(corpus.cases))
    assert [s.kind for s in front.sections] == ["cover", "toc", "summary", "methodology"]
    appendices = [c.section for c in plan.chapters if c.kind == "appendix"]
    assert [s.kind for s in body.sections] == [*["case"] * len(corpus.cases), "analysis", "policy", *appendices]


def test_case_groups_hold_at_most_the_given_number(corpus):
    plan = Plan(corpus)
    plan.chapters = plan.chapters + [plan.chapters[2]] * 6  # seven case chapters in all
    sizes = [len(p.sections) for p in split(plan, cases_per_part=3) if p.name.startswith("cases-")]
    assert sizes == [3, 3, 1]


def test_scan_reads_ids_links_and_counted_elements():
    part = Part("x", [])
    scan(part, '<h1 id="c1" class="case sample">T</h1><table><caption>a</caption></table>'
               '<figure><figcaption>f</figcaption></figure><h1 class="appendix" id="a">A</h1>'
               '<h1 class="toc-title" id="toc">目次</h1><a href="#c1">x</a><a href="https://x.example/">y</a>'
               '<p>&lt;h1 class="chapter"&gt; is text, not a heading</p><caption>b</caption>')
    assert part.ids == {"c1", "a", "toc"}
    assert part.links == {"c1"}
    assert dict(part.increments) == {"chapter": 1, "table": 2, "figure": 1, "appendix": 1}


def test_counters_run_on_from_the_parts_before():
    first, second = Part("a", []), Part("b", [])
    scan(first, '<h1 class="chapter">1</h1><h1 class="chapter">2</h1><caption>t</caption>')
    scan(second, '<h1 class="case">3</h1><figcaption>f</figcaption>')
    assert counters_after([]) == "chapter 0 appendix 0 table 0 figure 0"
    assert counters_after([first]) == "chapter 2 appendix 0 table 1 figure 0"
    assert counters_after([first, second]) == "chapter 3 appendix 0 table 1 figure 1"


def test_a_chapter_in_several_parts_or_none_is_refused():
    one, two = Part("one", []), Part("two", [])
    scan(one, '<h1 id="ch-a" class="chapter">a</h1>')
    scan(two, '<h1 id="ch-a" class="chapter">a</h1>')
    with pytest.raises(RenderError, match=r"ch-a is in 2 parts .*report\.html\.j2"):
        check_chapters([one, two], ["ch-a"])
    with pytest.raises(RenderError, match=r"ch-b is in 0 parts"):
        check_chapters([one], ["ch-a", "ch-b"])
    check_chapters([one], ["ch-a"])
