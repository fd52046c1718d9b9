"""Build integrity: atomic swap, records in = pages out = PDF chapters, and SHA256SUMS.

One full ``casebook build --strict`` of a copy of the real project (site + PDF), one build that fails
after the site stage, and one in-process site build whose page set is made to miss a record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from casebook.report.html import DEFAULT_TEMPLATES
from hostile.project import cli_subprocess, make_project, pdftotext, squash

pytestmark = pytest.mark.slow


def tree(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder`` (and '<dir>' for folders)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Path, Path]:
    root = make_project(tmp_path_factory.mktemp("integrity") / "project")
    site = root.parent / "site"
    run = cli_subprocess("--root", root, "build", "--strict", "--site-dir", site)
    assert run.code == 0, run.output
    return root, site


@pytest.fixture(scope="session")
def cases(built) -> dict[str, str]:
    """Case id → Japanese title, read from the records themselves (not from the model under test)."""
    root = built[0]
    out = {}
    for path in sorted((root / "casestudies").glob("*/case.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["id"]] = data["title"]["ja"]
    assert len(out) >= 3
    return out


# -- atomic output ------------------------------------------------------------------------------------

def test_failed_build_after_the_site_stage_leaves_the_previous_site_intact(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    site = tmp_path / "site"
    (site / "casestudies" / "old").mkdir(parents=True)
    (site / "index.html").write_text("<p>previous edition</p>", encoding="utf-8")
    (site / "casestudies" / "old" / "index.html").write_text("old case", encoding="utf-8")
    (site / "report.pdf").write_bytes(b"%PDF-1.7 previous")
    before = tree(site)
    # The site builds; the report then asks for a resource outside its asset folders and must stop.
    shutil.copytree(DEFAULT_TEMPLATES, root / "templates" / "report")  # the project's own copy, changed
    template = root / "templates" / "report" / "cover.html.j2"
    template.write_text('<img src="http://127.0.0.1:9/beacon.png" alt="">\n'
                        + template.read_text(encoding="utf-8"), encoding="utf-8")
    run = cli_subprocess("--root", root, "build", "--strict", "--site-dir", site)
    assert run.code == 1, run.output
    assert "refused to fetch" in run.stderr and "127.0.0.1:9" in run.stderr
    assert "mkdocs build failed" not in run.stderr  # it really failed after the site stage
    assert tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]  # no staging, no .site-old


def test_successful_build_replaces_the_previous_site_completely(built) -> None:
    _root, site = built
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site")]
    assert (site / "index.html").is_file() and (site / "report.pdf").is_file()


# -- records in = pages out = PDF chapters ----------------------------------------------------------

def test_every_case_study_has_its_page(built, cases) -> None:
    from html.parser import HTMLParser

    class H1(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.text = False, ""

        def handle_starttag(self, tag, attrs):
            self.inside = self.inside or tag == "h1"

        def handle_endtag(self, tag):
            if tag == "h1":
                self.inside = False

        def handle_data(self, data):
            if self.inside:
                self.text += data

    site = built[1]
    for cid, title in cases.items():
        page = site / "casestudies" / cid / "index.html"
        assert page.is_file(), cid
        parser = H1()
        parser.feed(page.read_text(encoding="utf-8"))
        assert title in parser.text, cid
    listed = {p.parent.name for p in (site / "casestudies").glob("*/index.html")}
    assert listed == set(cases)  # and no page for a record that does not exist


def test_every_case_study_has_a_pdf_bookmark_and_chapter(built, cases) -> None:
    from pypdf import PdfReader

    pdf = built[1] / "report.pdf"
    reader = PdfReader(pdf)

    def titles(outline) -> list[str]:
        out = []
        for item in outline:
            out += titles(item) if isinstance(item, list) else [item.title]
        return out

    bookmarks = [squash(t) for t in titles(reader.outline)]
    text = squash(pdftotext(pdf))
    for cid, title in cases.items():
        assert any(squash(title) in b for b in bookmarks), (cid, bookmarks)
        assert text.count(squash(title)) >= 2, cid  # the 目次 line and the chapter heading


def test_a_page_set_missing_a_record_fails_naming_it(built, monkeypatch, tmp_path: Path) -> None:
    """The plugin compares the generated pages with the records; simulate a renderer that drops one."""
    from casebook import site as site_pkg
    from casebook.errors import RenderError
    from casebook.mkdocs_build import build_site

    root = built[0]
    dropped = "sample-sme-loan-intake"
    real = site_pkg.render_pages

    def lossy(corpus, *args):
        return [p for p in real(corpus, *args) if dropped not in p.path]

    monkeypatch.setattr(site_pkg, "render_pages", lossy)
    with pytest.raises(RenderError) as info:
        build_site(root, tmp_path / "site", strict=True)
    assert "records in = pages out" in str(info.value) and dropped in str(info.value)


# -- SHA256SUMS -------------------------------------------------------------------------------------

def test_sha256sums_lists_the_pdf_and_every_data_file(built) -> None:
    site = built[1]
    lines = (site / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {line.split("  ", 1)[1] for line in lines}
    data = {p.relative_to(site).as_posix() for p in (site / "data").rglob("*") if p.is_file()}
    assert "report.pdf" in listed and "data/casebook.json" in listed and "data/checklist.csv" in listed
    assert "data/casebook-offline.zip" in listed  # the download page links it (the site-only build cannot)
    assert "report-summary.pdf" in listed  # the 概要版 beside the report
    assert data <= listed and listed <= data | {"report.pdf", "report-summary.pdf"}
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((site / name).read_bytes()).hexdigest() == digest, name


def test_the_site_is_stamped_with_the_edition_date_not_the_build_time(built) -> None:
    root, site = built
    date = yaml.safe_load((root / "content/catalog/publication.yaml").read_text(encoding="utf-8"))
    day = dt.datetime.fromisoformat(date["publication"]["date"]).replace(tzinfo=dt.UTC)
    # MkDocs writes the build time into sitemap.xml.gz's gzip header (bytes 4-8) unless told otherwise;
    # the same records must give the same site and the same offline zip.
    header = (site / "sitemap.xml.gz").read_bytes()[:8]
    assert int.from_bytes(header[4:8], "little") == int(day.timestamp())


def test_the_overview_is_built_and_linked_from_the_report_and_data_pages(built) -> None:
    """The 概要版 sits beside report.pdf, and both download pages link to that file (and the offline zip has it)."""
    import re
    import zipfile

    site = built[1]
    assert (site / "report-summary.pdf").read_bytes().startswith(b"%PDF-")
    for page in ("report/index.html", "data/index.html"):
        hrefs = re.findall(r'href="([^"]*report-summary\.pdf)"', (site / page).read_text(encoding="utf-8"))
        assert hrefs and all((site / page).parent.joinpath(h).resolve() == (site / "report-summary.pdf").resolve()
                             for h in hrefs), (page, hrefs)
    with zipfile.ZipFile(site / "data" / "casebook-offline.zip") as zf:
        assert zf.read("casebook/report-summary.pdf") == (site / "report-summary.pdf").read_bytes()


def test_sha256sum_accepts_the_file(built) -> None:
    site = built[1]
    run = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=site, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count(": OK") == len((site / "SHA256SUMS").read_text(encoding="utf-8").splitlines())


def test_sha256sum_notices_a_changed_download(built, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    (copy / "data").mkdir(parents=True)
    site = built[1]
    for name in ("SHA256SUMS", "report.pdf"):
        (copy / name).write_bytes((site / name).read_bytes())
    for p in (site / "data").rglob("*"):
        if p.is_file():
            (copy / p.relative_to(site)).parent.mkdir(parents=True, exist_ok=True)
            (copy / p.relative_to(site)).write_bytes(p.read_bytes())
    with (copy / "data" / "checklist.csv").open("ab") as fh:
        fh.write(b"x")
    run = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=copy, capture_output=True, text=True)
    assert run.returncode != 0 and "data/checklist.csv: FAILED" in run.stdout
