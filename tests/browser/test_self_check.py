"""The self-check page in headless Chromium: applicability from the catalogue, ticks kept across a reload,
export and hostile imports refused without touching the saved ticks, axe-clean, no request off the site."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SHOTS = Path("/tmp/casebook-self-check-shots")


def _open(page, base_url: str):
    page.goto(base_url + "self-check/")
    page.wait_for_selector("#sc-results")
    return page


def _example(page, case: str) -> None:
    page.click(f'.sc-example[data-case="{case}"]')
    page.wait_for_selector(".sc-item")


def test_examples_pick_risks_from_the_catalogue(page, base_url):
    _open(page, base_url)
    data = json.loads(page.text_content("#self-check-data"))
    for ex in data["examples"]:
        _example(page, ex["case"])
        risks = set(page.eval_on_selector_all("td.sc-done", "els => els.map(e => e.dataset.risk)"))
        assert set(data["always"]) <= risks
        if "investment" in ex["answers"].get("product", []):
            assert {"R-MISSELLING", "R-SUITABILITY"} <= risks
        if "personal" in ex["answers"].get("data", []):
            assert "R-PRIVACY-LEAK" in risks
        SHOTS.mkdir(exist_ok=True)
        page.locator("#sc-progress-title").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('sc-progress-title').scrollIntoView()")
        page.screenshot(path=str(SHOTS / f"{ex['case']}.png"), full_page=False)
    # the SME loan intake has no investment product: the suitability risk is not asked for
    _example(page, "sample-sme-loan-intake")
    assert page.query_selector('td.sc-done[data-risk="R-SUITABILITY"]') is None


def test_ticks_survive_a_reload_and_keyboard_ticks_work(page, base_url):
    _open(page, base_url)
    _example(page, "sample-rag-inquiry-chatbot")
    page.focus("#sc-M-PII-MASKING-1")
    page.keyboard.press("Space")
    page.fill('textarea[data-note="M-PII-MASKING-1"]', "情報管理部 共有フォルダ")
    page.check("#sc-M-RAG-CITATION-1")
    page.reload()
    page.wait_for_selector("#sc-M-PII-MASKING-1")
    assert page.is_checked("#sc-M-PII-MASKING-1") and page.is_checked("#sc-M-RAG-CITATION-1")
    assert page.input_value('textarea[data-note="M-PII-MASKING-1"]') == "情報管理部 共有フォルダ"
    assert page.text_content('td.sc-done[data-risk="R-PRIVACY-LEAK"]') == "1"


def _import(page, name: str, content: str) -> str:
    page.set_input_files("#sc-import", files=[{"name": name, "mimeType": "application/octet-stream",
                                               "buffer": content.encode("utf-8")}])
    page.wait_for_function("document.getElementById('sc-message').textContent.length > 0")
    text = page.text_content("#sc-message")
    page.evaluate("document.getElementById('sc-message').textContent = ''")
    return text


@pytest.mark.parametrize(("name", "content"), [
    ("broken.json", "{not json"),
    ("array.json", "[1, 2, 3]"),
    ("other.json", json.dumps({"format": "something-else", "version": 1, "items": {}})),
    ("edition.json", json.dumps({"format": "casebook-self-check", "version": 1, "edition": "0.1", "items": {}})),
    ("hostile.json", "EDITION"),
    ("hostile.csv", "項目ID,実施状況\n<img src=x onerror=window.__pwned=1>,実施済み\n"),
    ("status.csv", "項目ID,実施状況\nM-PII-MASKING-1,<b>済</b>\n"),
])
def test_bad_imports_are_refused_and_ticks_kept(page, base_url, name, content):
    _open(page, base_url)
    data = json.loads(page.text_content("#self-check-data"))
    _example(page, "sample-rag-inquiry-chatbot")
    page.check("#sc-M-PII-MASKING-1")
    if content == "EDITION":
        content = json.dumps({"format": "casebook-self-check", "version": 1, "edition": data["edition"],
                              "items": {"M-PII-MASKING-1": {"done": False, "note": "<script>window.__pwned=1</script>"},
                                        "<img src=x onerror=window.__pwned=1>": {"done": True}}})
    message = _import(page, name, content)
    assert message.startswith("読み込めませんでした") and "保存済みの記録は変更していません" in message
    assert page.is_checked("#sc-M-PII-MASKING-1")
    assert page.evaluate("window.__pwned") is None
    assert page.query_selector("#sc-message img, #sc-message b, #sc-results img") is None
    page.reload()
    page.wait_for_selector("#sc-M-PII-MASKING-1")
    assert page.is_checked("#sc-M-PII-MASKING-1")


def test_export_then_import_round_trip(page, base_url, site_dir):
    _open(page, base_url)
    _example(page, "sample-investment-preconsultation")
    page.check("#sc-M-RAG-CITATION-2")
    with page.expect_download() as info:
        page.click("#sc-export-json")
    exported = Path(info.value.path()).read_text(encoding="utf-8")
    with page.expect_download() as info:
        page.click("#sc-export-csv")
    csv_text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    # checklist.csv's layout, row for row, with the page's status and a メモ column: a bank can merge them.
    exported_rows = list(csv.reader(io.StringIO(csv_text)))
    published = list(csv.reader(io.StringIO((site_dir / "data" / "checklist.csv").read_text(encoding="utf-8-sig"))))
    assert exported_rows[0] == [*published[0], "メモ"]
    assert [r[:10] for r in exported_rows[1:]] == [r[:10] for r in published[1:]]
    status = published[0].index("実施状況")
    ticked = {r[0]: r[status] for r in exported_rows[1:] if r[status]}
    assert ticked.get("M-RAG-CITATION-2") == "実施済み"
    page.once("dialog", lambda d: d.accept())
    page.click("#sc-clear")
    assert _import(page, "back.json", exported).startswith("読み込みました")
    assert page.is_checked("#sc-M-RAG-CITATION-2")
    page.once("dialog", lambda d: d.accept())
    page.click("#sc-clear")
    _example(page, "sample-investment-preconsultation")
    assert _import(page, "back.csv", csv_text).startswith("読み込みました")
    assert page.is_checked("#sc-M-RAG-CITATION-2")


def test_ticks_of_items_this_edition_lacks_are_reported(page, base_url):
    _open(page, base_url)
    edition = json.loads(page.text_content("#self-check-data"))["edition"]
    saved = {"format": "casebook-self-check", "version": 1, "edition": "0.9", "answers": {},
             "items": {"M-OLD-THING-1": {"done": True, "note": ""}}}
    page.evaluate("s => localStorage.setItem('casebook-self-check', s)", json.dumps(saved))
    page.reload()
    page.wait_for_selector("#sc-results")
    message = page.text_content("#sc-message")
    assert "M-OLD-THING-1" in message and "この版にない確認項目" in message and edition


def test_self_check_is_axe_clean_and_stays_on_site(page, base_url):
    from axe_playwright_python.sync_playwright import Axe

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    foreign: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((origin, "data:", "blob:")) else foreign.append(r.url))
    _open(page, base_url)
    _example(page, "sample-rag-inquiry-chatbot")
    page.check("#sc-M-PII-MASKING-1")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert foreign == []
