"""Property: hostile prose in one case study is refused with a diagnostic, or rendered within budget.

Generated prose (deep list nesting, long single-script runs, mixed scripts, Markdown syntax, control and
invisible characters, long ASCII words) goes through ``validate`` on a copy of the fixture corpus. When
validation accepts it, the same text goes through the steps that crashed on such input before: the prose
renderer, WeasyPrint (the PDF engine) on the rendered HTML and the search step's hidden terms, each
within a time bound. No step may raise.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook import search
from casebook.render import prose
from casebook.validate import validate
from projects import CORPUS

TODAY = dt.date(2026, 11, 1)

nested = st.integers(1, 900).map(lambda n: "".join("    " * i + "- 項目\n" for i in range(n)))
runs = st.tuples(st.sampled_from("カあ漢AＡ1"), st.integers(50, 20_000)).map(lambda t: t[0] * t[1])
SYMBOLS = [*"あア漢字Aa1 ー。、\n-*_#>[]()`!<&", "\u00ad", "\x1b", "\u202e", "\U000e0041", "\r"]
mixed = st.text(alphabet=st.sampled_from(SYMBOLS), max_size=400)
words = st.integers(100, 5000).map(lambda n: "説明 " + "W" * n + " 終わり")
PROSE = st.one_of(nested, runs, mixed, words, st.lists(st.one_of(nested, runs, mixed, words), max_size=3)
                  .map("\n\n".join))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("prose") / "project"
    shutil.copytree(CORPUS, root)
    return root


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=PROSE)
def test_hostile_prose_is_refused_or_rendered_within_budget(project: Path, text: str) -> None:
    case_file = project / "casestudies" / "sample-chatbot" / "case.yaml"
    original = case_file.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    data["summary"] = {"ja": text or "空"}
    case_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    try:
        result = validate(project, today=TODAY)
    finally:
        case_file.write_text(original, encoding="utf-8")
    if result.report.errors:
        assert all(d.code and d.message for d in result.report.errors)
        return
    import weasyprint

    start = time.perf_counter()
    html = prose.to_html(text)
    weasyprint.HTML(string=f"<html lang='ja'><body>{html}</body></html>").write_pdf()
    search.hidden_terms("題", html)
    assert time.perf_counter() - start < 60
