"""The 概要版 read back from the real PDF: 2–6 pages from the same records and the editor's summary, the
main report's title, the illustrative label, tagged PDF/UA-1 like the main report, byte-identical."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest

from casebook.errors import RenderError
from casebook.report.html import Plan, render_part, templates_dir
from casebook.report.overview import FILE_NAME, has_overview, render_overview
from casebook.validate import validate

from .conftest import pdftotext, squash
from .test_pdf import struct_elements

pytestmark = pytest.mark.slow  # renders PDFs (the slow tier, like test_pdf.py)

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def shipped():
    corpus = validate(REPO).corpus
    assert corpus is not None
    return corpus


@pytest.fixture(scope="module")
def overview(shipped, tmp_path_factory):
    """The shipped 概要版, rendered once for the session (only this module uses it)."""
    return render_overview(shipped, tmp_path_factory.mktemp("overview") / FILE_NAME)


def main_report_title(corpus) -> str:
    """The <title> of the main report's HTML (what its cover and PDF metadata carry)."""
    plan = Plan(corpus)
    front = SimpleNamespace(sections=plan.sections()[0], counters="")
    html = render_part(plan, templates_dir(corpus.root), front, {c.anchor: "" for c in plan.chapters})
    return re.search(r"<title>(.*?)</title>", html).group(1)


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def test_overview_has_two_to_six_pages_and_the_main_reports_title(shipped, overview):
    assert 2 <= overview.pages <= 6
    assert len(pypdf.PdfReader(overview.path).pages) == overview.pages
    title = main_report_title(shipped)
    assert pdfinfo(overview.path)["Title"] == f"{title}（概要版）"
    first = squash(pdftotext(overview.path, 1, 1))
    assert first.startswith(squash("概要版")) and squash(title) in first
    assert overview.warnings == []


def test_overview_says_its_cases_are_illustrative_where_it_shows_them(shipped, overview):
    assert shipped.has_samples
    first = squash(pdftotext(overview.path, 1, 1))
    assert "説明用の架空の事例" in first and "測定結果ではない" in first
    text = squash(pdftotext(overview.path))
    caption = re.search(r"表\d+主なリスクの評価結果（([^）]*)）", text)
    assert caption is not None and caption.group(1) == "説明用の架空事例による例示"
    assert "表の数値は説明用の架空事例に基づく例示であり、測定結果ではない" in text


def test_overview_is_built_from_the_records(shipped, overview):
    text = squash(pdftotext(overview.path))
    plan = Plan(shipped)
    named = [r for r in shipped.risks.values() if r.programme_named]
    assert len(named) == 4 and all(squash(r.name.ja) in text for r in named)
    rows = [squash(line) for line in pdftotext(overview.path, layout=True).splitlines()]
    for summary in plan.risk_summaries:  # the key-results row of each named risk: the worst scores recorded
        if summary.risk.programme_named:
            inherent, residual = summary.worst_inherent, summary.worst_residual
            row = (f"{len(summary.assessments)}件{inherent.likelihood}×{inherent.impact}＝{inherent.value}"
                   f"{inherent.band.label.ja}{residual.likelihood}×{residual.impact}＝{residual.value}")
            assert any(r.startswith(squash(summary.risk.name.ja)[:6]) and row in r for r in rows), row
    assert all(squash(ch.title.ja) in text for ch in shipped.policy.chapters)
    counts = plan.counts
    assert f"事例{counts['cases']}うち説明用の架空事例{counts['samples']}件" in text
    assert "[[" not in text and "\ue002" not in text and "policy-outline" not in text


def test_references_name_the_main_reports_numbers(shipped, overview):
    """「本編第3章（評価の方法）」: the number the main report gives that chapter, without a dangling link."""
    text = squash(pdftotext(overview.path))
    plan = Plan(shipped)
    method = next(c for c in plan.chapters if c.anchor == "ch-method")
    assert f"本編{method.number}（{method.title}）" in text
    policy = next(c for c in plan.chapters if c.anchor == "ch-policy")
    assert f"本編{policy.ordinal}.5節" in text  # [[num:P5]]: the policy's fifth chapter, a section there
    for number, title in re.findall(r"本編(第\d+章)（([^）]+)）", text):
        assert any(c.number == number and squash(c.title) == title for c in plan.chapters), (number, title)
    guide = [c for c in plan.chapters if c.kind != "case"]
    assert all(squash(c.number + c.title) in text for c in guide)  # the guide to the main report
    links = [a for page in pypdf.PdfReader(overview.path).pages for a in page.get("/Annots", []) or []]
    assert links == []


def test_overview_is_tagged_pdf_ua_like_the_main_report(shipped, overview):
    fields = pdfinfo(overview.path)
    assert fields["Tagged"] == "yes" and fields["Page size"].startswith("595.276 x 841.89")  # A4
    assert fields["Author"] == shipped.publication.publisher.ja and fields["Subject"] and fields["Keywords"]
    reader = pypdf.PdfReader(overview.path)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "ja" and "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.creation_date == reader.metadata.modification_date
    kinds = [e["/S"] for e in struct_elements(reader)]
    assert {"/H1", "/H2", "/Table", "/TH", "/L"} <= set(kinds)
    scopes = [e["/A"].get("/Scope") for e in struct_elements(reader) if e["/S"] == "/TH"]
    assert {"/Column", "/Row"} <= set(scopes) and all(s in ("/Column", "/Row") for s in scopes)
    assert next(item.title for item in reader.outline if not isinstance(item, list)) == main_report_title(shipped)
    fonts = subprocess.run(["pdffonts", str(overview.path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts


def test_pdfua_checker_reports_no_errors_or_warnings(overview):
    pdfua = pytest.importorskip("pdfua")
    report = pdfua.validate(str(overview.path))
    assert [(f.rule_id, f.message) for f in report.findings if f.severity.name in ("ERROR", "WARNING")] == []


def test_same_input_gives_the_same_bytes(shipped, overview, tmp_path):
    again = render_overview(shipped, tmp_path / "again.pdf")
    assert again.sha256 == overview.sha256 == hashlib.sha256(overview.path.read_bytes()).hexdigest()
    assert (tmp_path / "again.pdf").read_bytes() == overview.path.read_bytes()


def _project(tmp_path: Path, overview_text: str | None) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    folder = root / "content" / "report"
    folder.mkdir(parents=True, exist_ok=True)
    if overview_text is not None:
        (folder / "overview.md").write_text(overview_text, encoding="utf-8")
    return root


def test_a_project_without_summary_text_has_no_overview(tmp_path):
    root = _project(tmp_path, None)
    (root / "content" / "report" / "overview.md").unlink(missing_ok=True)
    assert not has_overview(validate(root).corpus)


def test_a_summary_longer_than_six_pages_is_refused_and_leaves_no_file(tmp_path):
    long = "# 概要\n\n" + "".join(f"## 節{i}\n\n" + "本文である。" * 120 + "\n\n" for i in range(30))
    corpus = validate(_project(tmp_path, long)).corpus
    with pytest.raises(RenderError, match="within 6 A4 pages"):
        render_overview(corpus, tmp_path / FILE_NAME)
    assert not (tmp_path / FILE_NAME).exists() and not list(tmp_path.glob(f".{FILE_NAME}*"))


def test_summary_text_cannot_fetch_outside_the_templates(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRETTOKEN4711", encoding="utf-8")
    text = (f"# 概要\n\n## 目的\n\n本文。![秘密]({secret.as_uri()}) [秘密]({secret.as_uri()})\n\n"
            '<img src="file:///etc/hostname"> <link rel=stylesheet href="http://127.0.0.1:9/x.css">\n')
    corpus = validate(_project(tmp_path, text)).corpus
    try:
        info = render_overview(corpus, tmp_path / FILE_NAME)
    except RenderError as exc:  # the fetcher refused the image: the render stops, naming it
        assert "refused" in str(exc)
        return
    out = pdftotext(info.path)
    assert "SECRETTOKEN4711" not in out and "<img" in out  # raw HTML stays text


def test_overview_stays_within_six_pages_with_twelve_more_cases(tmp_path):
    """More case studies move the main report's chapter numbers and lengthen its case list, not the summary."""
    import sys

    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from synth_corpus import write_project
    finally:
        sys.path.pop(0)
    corpus = validate(write_project(12, tmp_path / "synth")).corpus  # the shipped case studies are copied too
    assert corpus is not None and has_overview(corpus) and len(corpus.cases) >= 15
    info = render_overview(corpus, tmp_path / FILE_NAME)
    assert 2 <= info.pages <= 6
    text = squash(pdftotext(info.path))
    plan = Plan(corpus)
    cases = [c for c in plan.chapters if c.kind == "case"]
    assert f"{cases[0].number}〜{cases[-1].number}事例ごとの評価（{len(cases)}事例）" in text
    policy = next(c for c in plan.chapters if c.anchor == "ch-policy")
    assert f"本編{policy.ordinal}.5節" in text and squash(f"{policy.number}{policy.title}") in text
    assert f"事例{len(cases)}うち説明用の架空事例" in text


def test_a_check_note_in_the_summary_keeps_the_edition_a_draft(tmp_path):
    """``[[check:…]]`` in overview.md is an open item like one in a chapter (what `casebook build --final`
    refuses on, and what the 未確認事項一覧 lists)."""
    from casebook.report.edition import open_items

    root = _project(tmp_path, "# 概要\n\n## 目的\n\n本文である。[[check:件数を確認する]]\n")
    corpus = validate(root).corpus
    items = [i for i in open_items(corpus) if i.kind == "本文の確認事項"]
    assert [(i.id, i.note, i.line) for i in items] == [("overview", "件数を確認する", 5)]
