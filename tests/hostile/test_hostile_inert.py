"""Hostile text that a record may legally hold: the build succeeds and every payload is inert.

One full ``casebook build --strict`` (site + PDF) of the real project plus one hostile case study and one
hostile glossary entry. Each payload must then appear only as text: no element, attribute, link or fetch
in any built page or in the search index comes from it, and the PDF shows it literally (or not at all).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from .project import (
    cli_subprocess,
    live_markup,
    make_project,
    parse,
    pdftotext,
    shipped_case,
    squash,
    write_case,
)

pytestmark = pytest.mark.slow

CASE_ID = "hostile-inert"

# name → text placed in a record. Each must be shown literally (after the noted normalisation).
TITLE = "</title></style><script>alert('XSS-TITLE')</script><img src=x onerror=alert('XSS-TITLEIMG')> 悪意の題名"
SCRIPT = "<script>alert('XSS-SCRIPT')</script>"
HANDLER = "<img src=x onerror=\"alert('XSS-ONERROR')\">"
DIV = "<div onmouseover=\"alert('XSS-DIV')\">ブロック</div>"
JS_LINK = "[ここを押す](javascript:alert('XSS-JSLINK'))"
JS_LINK_MIXED = "[大文字](JaVaScRiPt:alert('XSS-JSMIXED'))"
DATA_LINK = "[データ](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"
RAW_LINK = "<a href=\"javascript:alert('XSS-RAWA')\">生のリンク</a>"
REF_LINK = "[参照リンク][evil]\n\n[evil]: javascript:alert('XSS-REFDEF')"
AUTOLINK = "<javascript:alert('XSS-AUTOLINK')>"
TITLE_ATTR = "[題](https://www.example.org/ \"x\" onmouseover=\"alert('XSS-TITLEATTR')\")"
IMG_PASSWD = "![パスワード](/etc/passwd)"
IMG_PARENT = "![上位](../../../../etc/hostname)"
IMG_FILE = "![ファイル](file:///etc/passwd)"
IMG_HTTP = "![外部](http://127.0.0.1:9/track.png)"
JINJA_EXPR = "式{{ 7*7 }}終"
JINJA_STMT = "文{% include '/etc/passwd' %}終"
JINJA_COMMENT = "注{# hidden #}終"
ATTR_LIST = "段落 {: onclick=\"alert('XSS-ATTRLIST')\" }"
ATTR_ID = "見出し {#evil .cls onclick=alert('XSS-ATTRID')}"
SNIPPET = "--8<-- \"/etc/passwd\""
STYLE_CLOSE = "</style><style>body{background:url(http://127.0.0.1:9/x)}</style>"
RAW_BLOCK = "<table><tr><td onclick=\"alert('XSS-TABLE')\">表</td></tr></table>"
IFRAME = "<iframe src=\"http://127.0.0.1:9/\"></iframe>"
ENTITY = "&lt;script&gt;alert('XSS-ENTITY')&lt;/script&gt;"
# Link forms the link pattern of prose.py did not see, which Markdown read as live links and images:
NESTED = "[入れ子[括弧]](javascript:alert('XSS-NESTED'))"
SQ_TITLE = "[押す](javascript:location='http://127.0.0.1:9/' '題')"
IMG_IN_LINK = "[![追跡](x)](http://127.0.0.1:9/pixel.png)"
CODE_SPLIT = "`x\n\n[分割[コード]](javascript:alert('XSS-CODESPLIT'))\n\ny`"
ESC_TICK = "\\`[逃げ[た]](javascript:alert('XSS-ESCTICK'))`"
BANG_ID = "!R-HALLUCINATION"

PROSE = [SCRIPT, HANDLER, DIV, JS_LINK, JS_LINK_MIXED, DATA_LINK, RAW_LINK, AUTOLINK, TITLE_ATTR, IMG_PASSWD,
         IMG_PARENT, IMG_FILE, IMG_HTTP, JINJA_EXPR, JINJA_STMT, JINJA_COMMENT, ATTR_LIST, SNIPPET, STYLE_CLOSE,
         IFRAME, ENTITY, NESTED, SQ_TITLE, IMG_IN_LINK, CODE_SPLIT, ESC_TICK, BANG_ID]
# Shown literally on the site (html.parser text) and in the PDF (pdftotext), whitespace aside.
LITERAL = [TITLE, SCRIPT, HANDLER, DIV, RAW_LINK, AUTOLINK, JINJA_EXPR, JINJA_STMT, JINJA_COMMENT, SNIPPET,
           STYLE_CLOSE, RAW_BLOCK, IFRAME, ENTITY, "{: onclick=\"alert('XSS-ATTRLIST')\" }",
           "{#evil .cls onclick=alert('XSS-ATTRID')}", NESTED, SQ_TITLE, "](http://127.0.0.1:9/pixel.png)",
           "[分割[コード]]",
           "[逃げ[た]](javascript:alert('XSS-ESCTICK'))"]
GLOSSARY_TERM = "<b onclick=alert('XSS-TERM')>用語</b>{{ 7*7 }}"
GLOSSARY_DEF = "定義。" + SCRIPT + " " + JS_LINK

PASSWD_LINE = re.compile(r"root:[^:\s]*:0:0:")


def hostile_case() -> dict:
    case = shipped_case()
    case["id"] = CASE_ID
    case["title"] = {"ja": TITLE, "en": "Hostile " + SCRIPT}
    case["summary"] = {"ja": "要約。\n\n" + "\n\n".join(PROSE) + "\n\n" + RAW_BLOCK + "\n\n" + REF_LINK}
    case["service"]["ja"] += " " + HANDLER + " " + ATTR_ID
    case["system"]["description"]["ja"] += "\n\n" + ATTR_LIST + "\n\n" + SNIPPET
    case["system"]["models"][0]["ja"] = "モデル " + SCRIPT
    case["system"]["data_sources"][0]["ja"] = "資料 " + IMG_FILE
    case["readiness"]["trl"]["basis"]["ja"] += " " + JINJA_EXPR
    a = case["assessments"][0]
    a["context"]["ja"] = "状況。" + DIV + " " + JS_LINK
    a["findings"]["ja"] = "所見。" + STYLE_CLOSE + " " + JINJA_STMT
    a["mitigations"][0]["note"]["ja"] = "注記。" + RAW_LINK + " " + DATA_LINK
    a["evaluations"][0]["method"]["ja"] += " " + IMG_HTTP
    case["lessons"] = [{"ja": "教訓。" + SCRIPT + " " + JS_LINK_MIXED}, {"ja": "教訓。" + IFRAME}]
    case["improvements"] = [{"title": {"ja": "改善 " + HANDLER, "en": "Improvement"},
                             "description": {"ja": "内容。" + ATTR_LIST + " " + JINJA_COMMENT},
                             "risks": [a["risk"]]}]
    return case


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory) -> tuple[Path, Path]:
    root = make_project(tmp_path_factory.mktemp("hostile-inert") / "project")
    write_case(root, CASE_ID, hostile_case())
    glossary = root / "content" / "catalog" / "glossary.yaml"
    data = yaml.safe_load(glossary.read_text(encoding="utf-8"))
    data["glossary"].append({"id": "hostile-term", "term": {"ja": GLOSSARY_TERM, "en": "hostile term"},
                             "definition": {"ja": GLOSSARY_DEF}})
    glossary.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = root.parent / "site"
    run = cli_subprocess("--root", root, "build", "--strict", "--site-dir", site)
    assert run.code == 0, run.output
    return root, site


@pytest.fixture(scope="session")
def pages(hostile_build) -> dict[str, str]:
    _root, site = hostile_build
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


@pytest.fixture(scope="session")
def case_page(hostile_build) -> str:
    return (hostile_build[1] / "casestudies" / CASE_ID / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def pdf_text(hostile_build) -> str:
    return pdftotext(hostile_build[1] / "report.pdf")


def test_the_hostile_case_is_published(hostile_build, case_page) -> None:
    """Not refused and not dropped: it has its page and its PDF chapter."""
    assert "悪意の題名" in parse(case_page).plain


def test_no_page_holds_live_markup_from_a_record(pages) -> None:
    problems = [p for path, markup in sorted(pages.items()) for p in live_markup(parse(markup), path)]
    assert problems == []


def test_every_payload_shows_as_text_on_the_case_page(case_page) -> None:
    text = squash(parse(case_page).plain)
    missing = [p for p in LITERAL if squash(p) not in text]
    assert missing == []


def test_title_is_text_in_head_and_heading(case_page) -> None:
    head = case_page.split("</head>")[0]
    (title,) = re.findall(r"<title>(.*?)</title>", head, re.DOTALL)
    assert "<" not in title and "悪意の題名" in title
    assert "&lt;/title&gt;&lt;/style&gt;&lt;script&gt;" in title
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", case_page, re.DOTALL)
    assert len(headings) == 1 and "&lt;script&gt;alert(" in headings[0] and "<script" not in headings[0]


def test_links_from_prose_go_nowhere_dangerous(case_page) -> None:
    page = parse(case_page)
    hrefs = [el.attrs.get("href") or "" for el in page.elements if el.tag == "a"]
    assert not [h for h in hrefs if re.match(r"(?i)\s*(javascript|data|file|vbscript):", h)
                or ("alert" in h and not h.startswith("#"))]
    # the scheme-less or hostile targets are shown next to their label as text
    text = page.plain
    assert "ここを押す (javascript:alert('XSS-JSLINK'))" in text
    assert "データ (data:text/html;base64," in text
    # a link title cannot smuggle an attribute: the http link keeps only its address
    assert not [el for el in page.elements if "onmouseover" in el.attrs]


def test_images_from_prose_are_never_fetched(pages, case_page) -> None:
    srcs = [el.attrs.get("src") or "" for markup in pages.values() for el in parse(markup).elements
            if el.tag == "img"]
    assert not [s for s in srcs if "etc/" in s or s.startswith(("file:", "http:", "https:", "javascript:", "x"))]
    text = parse(case_page).plain
    for target in ("/etc/passwd", "../../../../etc/hostname", "file:///etc/passwd", "http://127.0.0.1:9/track.png"):
        assert f"({target})" in text  # the address is shown as text beside "[画像: …]"


def test_jinja_in_records_is_not_evaluated(case_page, pdf_text) -> None:
    text = squash(parse(case_page).plain)
    assert "式{{7*7}}終" in text and "式49終" not in text
    assert "文{%include'/etc/passwd'%}終" in text and "注{#hidden#}終" in text
    pdf = squash(pdf_text)
    assert "式{{7*7}}終" in pdf and "式49終" not in pdf


def test_glossary_payload_is_text(pages) -> None:
    (path,) = [p for p, m in pages.items() if p.startswith("glossary/")]
    page = parse(pages[path])
    text = squash(page.plain)
    assert squash(GLOSSARY_TERM) in text and squash(SCRIPT) in text
    assert not [el for el in page.elements if el.tag == "b" and "onclick" in el.attrs]


def test_search_index_holds_no_live_markup(hostile_build) -> None:
    """Material renders the index's text and titles as HTML in its result list: they must be escaped."""
    index = json.loads((hostile_build[1] / "search" / "search_index.json").read_text(encoding="utf-8"))
    problems = []
    for doc in index["docs"]:
        for key in ("title", "text"):
            problems += live_markup(parse(doc.get(key) or ""), f"search_index {doc['location']} {key}")
            tags = {el.tag for el in parse(doc.get(key) or "").elements}
            if tags & {"script", "img", "iframe", "style", "div", "table", "a"} and "XSS" in (doc.get(key) or ""):
                problems.append(f"search_index {doc['location']} {key}: record markup as tags {sorted(tags)}")
    assert problems == []
    hits = [d for d in index["docs"] if "XSS-SCRIPT" in d["text"]]
    assert hits, "the hostile case study must be searchable (as text)"


def test_pdf_shows_payloads_as_text(pdf_text) -> None:
    pdf = squash(pdf_text)
    missing = [p for p in [TITLE, SCRIPT, HANDLER, RAW_LINK, SNIPPET, STYLE_CLOSE, ENTITY, GLOSSARY_TERM]
               if squash(p) not in pdf]
    assert missing == []


def test_pdf_links_are_web_or_internal_only(hostile_build) -> None:
    from pypdf import PdfReader

    reader = PdfReader(hostile_build[1] / "report.pdf")
    uris, actions = [], []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is None:
                continue
            action = action.get_object()
            actions.append(str(action.get("/S")))
            if action.get("/S") == "/URI":
                uris.append(str(action.get("/URI")))
    assert set(actions) <= {"/URI", "/GoTo"}, actions
    assert not [u for u in uris if not u.startswith(("http://", "https://"))], uris
    assert not [u for u in uris if "127.0.0.1" in u or "alert" in u]
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/JavaScript" not in (root.get("/Names") or {})


def test_no_local_file_reaches_any_output(hostile_build, pdf_text) -> None:
    site = hostile_build[1]
    leaked = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
              and p.suffix in (".html", ".json", ".csv", ".xml", ".txt", ".js")
              and PASSWD_LINE.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert leaked == []
    assert not PASSWD_LINE.search(pdf_text)
    assert not list(site.rglob("passwd")) and not list(site.rglob("hostname"))
