"""Japanese conventions in the report: 和暦 dates, no doubled abbreviations, no ids in running text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook.render.dates import format_date
from casebook.report.html import build_html
from casebook.validate import validate

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("value", "western", "expected"), [
    ("2026-11-30", True, "令和8年（2026年）11月30日"),
    ("2026-11-30", False, "令和8年11月30日"),
    ("2019-05-01", False, "令和元年5月1日"),
    ("2019-04-30", False, "平成31年4月30日"),
    ("2026-06", False, "令和8年6月"),
    ("継続中", True, "継続中"),
])
def test_wareki_dates(value, western, expected):
    assert format_date(value, "wareki", western) == expected


def test_iso_style_leaves_dates_alone():
    assert format_date("2026-11-30", "iso") == "2026-11-30"


def test_no_doubled_abbreviation_in_headings():
    html, _ = build_html(validate(REPO).corpus)  # the shipped scales' names already end in （TRL）
    assert "（TRL）" in html
    text = re.sub(r"<[^>]+>", "", html)
    assert not re.search(r"（([A-Z]{2,5})）（\1）", text)


def test_policy_cites_name_records_without_their_ids(corpus):
    html, _ = build_html(corpus)
    cites = re.findall(r'<p class="cites">根拠・関連: (.*?)</p>', html, re.S)
    assert cites
    for line in cites:
        shown = re.sub(r"<[^>]+>", "", line)
        assert not re.search(r"\b[A-Z]+(?:-[A-Z0-9]+)+\b", shown), shown
