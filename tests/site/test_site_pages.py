"""Unit tests of the engine-free core: escaping, links, page set, golden Markdown for the fixture corpus.

Regenerate the golden files (review the diff like code): CASEBOOK_UPDATE_GOLDEN=1 pytest tests/site
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casebook import site
from casebook.site.markup import cell, extlink, inline, relative, text_colour
from casebook.validate import validate
from projects import CORPUS as FIXTURE

REPO = Path(__file__).resolve().parents[2]

GOLDEN = REPO / "tests" / "golden" / "site"
GOLDEN_PAGES = [
    "casestudies/index.md",
    "casestudies/sample-chatbot.md",
    "risks/R-PRIVACY-LEAK.md",
    "mitigations/M-PII-MASKING.md",
    "regulations/APPI.md",
    "policy/index.md",
    "matrix/index.md",
    "checklist/index.md",
]


@pytest.fixture(scope="module")
def fixture_corpus():
    result = validate(FIXTURE)
    assert result.corpus is not None
    return result.corpus


@pytest.fixture(scope="module")
def pages(fixture_corpus):
    return {p.path: p for p in site.render_pages(fixture_corpus)}


@pytest.mark.parametrize("path", GOLDEN_PAGES)
def test_golden(pages, path):
    golden = GOLDEN / path.replace("/", "__")
    actual = pages[path].resolved()
    if os.environ.get("CASEBOOK_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"missing golden file {golden}; run with CASEBOOK_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_records_in_pages_out(fixture_corpus, pages):
    assert site.missing_pages(fixture_corpus, list(pages.values())) == []
    dropped = [p for p in pages.values() if p.path != "casestudies/sample-chatbot.md"]
    assert site.missing_pages(fixture_corpus, dropped) == ["sample-chatbot"]


def test_sources_for_edit_links(pages):
    assert pages["casestudies/sample-chatbot.md"].source.name == "case.yaml"
    assert pages["risks/R-HALLUCINATION.md"].source.name == "risks.yaml"
    assert pages["policy/index.md"].source.name == "policy.yaml"
    assert pages["matrix/index.md"].source is None


def test_no_page_is_written_to_disk(fixture_corpus, tmp_path):
    before = sorted(p for p in FIXTURE.rglob("*"))
    site.render_pages(fixture_corpus)
    site.exports(fixture_corpus)
    assert sorted(p for p in FIXTURE.rglob("*")) == before


def test_inline_is_escaped_html_text():
    out = inline("<b>x</b> | *y* [z](javascript:1) {#id} `c` # h\n::: os")
    assert out == ("&lt;b&gt;x&lt;/b&gt; | *y* [z](javascript:1) {#id} `c` # h ::: os")


def test_cell_is_one_line_of_finished_html():
    assert cell("a | b\n\nc **d**", None) == "a | b c <strong>d</strong>"


def test_extlink_allows_http_only():
    assert extlink("https://example.org/a?x=1&y=2") == ('<a href="https://example.org/a?x=1&amp;y=2">'
                                                     "https://example.org/a?x=1&amp;y=2</a>")
    assert "href" not in extlink("javascript:alert(1)")


def test_record_text_never_reaches_page_markdown(fixture_corpus, pages):
    """Pages carry markers only: every title, name and prose field is stored as finished HTML."""
    texts = [c.title.ja for c in fixture_corpus.cases.values()]
    texts += [c.summary.ja.split("\n")[0] for c in fixture_corpus.cases.values()]
    texts += [r.name.ja for r in fixture_corpus.risks.values()]
    texts += [m.name.ja for m in fixture_corpus.mitigations.values()]
    for page in pages.values():
        for text in texts:
            assert text not in page.markdown, (page.path, text)
    assert any(text in page.resolved() for page in pages.values() for text in texts)


def test_prose_links_in_finished_html_are_final_urls(fixture_corpus):
    links = site.Links(fixture_corpus)
    href = links.html_href("casestudies/sample-chatbot.md")
    assert href("R-HALLUCINATION") == "../../risks/R-HALLUCINATION/"
    assert href("APPI-23") == "../../regulations/APPI/#APPI-23"
    assert href("sample-chatbot") is None
    flat = site.Links(fixture_corpus, directory_urls=False).html_href("policy/index.md")
    assert flat("R-HALLUCINATION") == "../risks/R-HALLUCINATION.html"
    assert flat("P1-1") == "index.html#P1-1"


def test_relative_links():
    assert relative("risks/R-A.md", "casestudies/x.md") == "../risks/R-A.md"
    assert relative("policy/index.md#P1-1", "policy/index.md") == "#P1-1"
    assert relative("methodology/scoring/index.md#m", "matrix/index.md") == "../methodology/scoring/index.md#m"


def test_text_colour_contrasts():
    assert text_colour("#ffffff") == "#000000"
    assert text_colour("#000") == "#ffffff"


def test_prose_ids_become_relative_links(fixture_corpus):
    href = site.Links(fixture_corpus).href("casestudies/sample-chatbot.md")
    assert href("R-HALLUCINATION") == "../risks/R-HALLUCINATION.md"
    assert href("APPI-23") == "../regulations/APPI.md#APPI-23"
    assert href("P1-1") == "../policy/index.md#P1-1"
    assert href("sample-chatbot") is None  # no link to the page itself
    assert href("NOT-A-RECORD") is None


def test_checklist_csv_has_bom_and_neutralises_formulas(fixture_corpus):
    data = site.checklist_csv(fixture_corpus)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("項目ID,確認項目,軽減策ID")
    from casebook.site.exports import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"


def test_casebook_json_is_complete(fixture_corpus):
    import json

    data = json.loads(site.casebook_json(fixture_corpus))
    case = data["casestudies"][0]
    assert case["assessments"][0]["risk"] == "R-HALLUCINATION"
    ev = case["assessments"][0]["evaluations"][0]
    assert ev["metric"] == "hallucination-rate" and len(ev["after_interval"]) == 2
    assert data["policy"]["chapters"][0]["clauses"][0]["cites"] == ["R-PRIVACY-LEAK", "APPI-23"]
    assert case["source"] == "casestudies/sample-chatbot/case.yaml"


def test_schema_reference_reads_descriptions():
    from casebook.site.schemadoc import reference, split

    docs = {d.stem: d for d in reference()}
    assert "casestudy" in docs and docs["risks"].ja
    assert split("日本語\nEnglish") == ("日本語", "English")
    top = next(s for s in docs["risks"].sections if s.name == "risk")
    assert any(f.name == "id" and f.required for f in top.fields)


def test_core_imports_no_mkdocs():
    for path in (REPO / "src" / "casebook" / "site").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import mkdocs" not in text and "from mkdocs" not in text, path


def test_caveats_of_verified_provisions_and_editorial_captions_are_shown():
    """Audit a11/a12: a verified record's verification_note is shown, and an editorial caption says so."""
    corpus = validate(REPO).corpus
    pages = {p.path: p.resolved() for p in site.render_pages(corpus)}
    bank_reg = pages["regulations/BANK-REG.md"]
    assert "確認の範囲: " in bank_reg and "条文アンカー" in bank_reg
    assert "内閣府令で定める禁止行為（見出しは本書による）" in bank_reg
    appi = pages["regulations/APPI.md"]
    assert "第28条 外国にある第三者への提供の制限 " in appi  # the statute's own caption: no mark
