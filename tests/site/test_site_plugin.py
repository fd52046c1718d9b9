"""The MkDocs plugin's methods, called directly (no full build)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from casebook.plugin import CasebookPlugin, safe_title
from conftest import make_project


@pytest.fixture
def setup(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_EDIT_BASE", "https://git.example.org/cb/edit/main")
    root = make_project(tmp_path / "proj", hostile=False)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    plugin = config.plugins["casebook"]
    assert isinstance(plugin, CasebookPlugin)
    plugin.on_config(config)
    config.plugins._current_plugin = "casebook"  # what MkDocs sets while it runs a plugin's event
    return root, config, plugin


def docs_files(config) -> Files:
    from mkdocs.structure.files import get_files

    return get_files(config)


def test_on_files_adds_generated_pages_and_exports(setup):
    root, config, plugin = setup
    files = plugin.on_files(docs_files(config), config=config)
    case = files.get_file_from_path("casestudies/sample-chatbot.md")
    assert case is not None and case.generated_by == "casebook"
    assert "問合せ対応チャットボット" not in case.content_string  # record text is a marker in the Markdown
    assert "# 問合せ対応チャットボット" in plugin.fragments.resolve(case.content_string)
    assert files.get_file_from_path("data/checklist.csv").content_bytes.startswith(b"\xef\xbb\xbf")
    assert files.get_file_from_path("data/schemas/casestudy.schema.json") is not None
    assert not (root / "content" / "casestudies").exists()  # nothing written into docs_dir


def test_validation_errors_fail_with_diagnostics(setup):
    root, config, plugin = setup
    case = root / "casestudies" / "sample-chatbot" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("risk: R-HALLUCINATION", "risk: R-NOPE"),
                    encoding="utf-8")
    with pytest.raises(PluginError) as exc:
        plugin.on_files(docs_files(config), config=config)
    assert "case.yaml:" in str(exc.value) and "R-NOPE" in str(exc.value)


def test_validation_warnings_are_logged_as_warnings(setup, caplog):
    root, config, plugin = setup
    case = root / "casestudies" / "sample-chatbot" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace(", en: Inquiry chatbot (test)", ""),
                    encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.casebook"):
        plugin.on_files(docs_files(config), config=config)
    assert any(r.levelno == logging.WARNING and r.name == "mkdocs.plugins.casebook" for r in caplog.records)


def test_hand_written_file_may_not_hide_a_generated_page(setup):
    root, config, plugin = setup
    (root / "content" / "risks").mkdir()
    (root / "content" / "risks" / "index.md").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(PluginError, match="would hide a generated page"):
        plugin.on_files(docs_files(config), config=config)


def test_dropped_record_fails(setup, monkeypatch):
    _root, config, plugin = setup
    import casebook.site as core

    real = core.render_pages
    monkeypatch.setattr(core, "render_pages", lambda *a: [p for p in real(*a) if "M-PII" not in p.path])
    with pytest.raises(PluginError, match="M-PII-MASKING"):
        plugin.on_files(docs_files(config), config=config)


def test_edit_url_points_at_source_yaml(setup):
    root, _config, plugin = setup
    assert plugin.edit_url(root / "casestudies" / "x" / "case.yaml") == \
        "https://git.example.org/cb/edit/main/casestudies/x/case.yaml"
    assert plugin.edit_url(None) is None
    assert plugin.edit_url(Path("/elsewhere/file.yaml")) is None


def test_page_context_sets_edit_url_and_safe_title(setup):
    _root, config, plugin = setup
    files = plugin.on_files(docs_files(config), config=config)

    class FakePage:
        def __init__(self, file):
            self.file, self.edit_url, self.meta = file, "wrong", {}
            self.title = "&lt;/title&gt;&lt;script&gt;x"

    page = FakePage(files.get_file_from_path("risks/R-HALLUCINATION.md"))
    plugin.on_page_context({}, page=page, config=config, nav=None)
    assert page.edit_url.endswith("/content/catalog/risks.yaml")
    assert page.meta["title"] == "&lt;/title&gt;&lt;script&gt;x"
    hand = FakePage(File("index.md", config.docs_dir, config.site_dir, True))
    plugin.on_page_context({}, page=hand, config=config, nav=None)
    assert hand.edit_url == "wrong" and hand.meta == {}


def test_safe_title():
    assert safe_title("A <code>&lt;b&gt;</code> &amp; B") == "A &lt;b&gt; &amp; B"


def test_on_serve_watches_record_folders(setup):
    root, config, plugin = setup

    class Server:
        def __init__(self):
            self.watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

    server = plugin.on_serve(Server(), config=config, builder=None)
    assert str(root / "casestudies") in server.watched
    assert str(root / "content" / "catalog") in server.watched


def test_post_build_enhances_search_index(setup, monkeypatch):
    _root, config, plugin = setup
    index = Path(config.site_dir) / "search" / "search_index.json"
    index.parent.mkdir(parents=True)
    index.write_text(json.dumps({"config": {}, "docs": []}), encoding="utf-8")
    import casebook.search

    seen = {}

    def fake(d, words, query, budget):
        seen["words"], seen["budget"] = words, budget
        return {**d, "docs": [{"location": "x/"}]}

    monkeypatch.setattr(casebook.search, "enhance_index", fake)
    plugin.on_post_build(config=config)
    assert json.loads(index.read_text(encoding="utf-8"))["docs"] == [{"location": "x/"}]
    assert isinstance(seen["words"], dict)  # readers' words by index location (none before on_files ran)


def test_search_index_over_its_budget_stops_the_build_naming_the_page():
    from casebook.errors import RenderError
    from casebook.search import enhance_index

    index = {"config": {}, "docs": [{"location": "a/", "title": "甲", "text": "乙"},
                                    {"location": "b/", "title": "丙", "text": "丁"}]}
    with pytest.raises(RenderError, match=r"budgets\.search_seconds.*'a/'"):
        enhance_index(index, budget=-1.0)  # already over before the first page
    assert enhance_index({"config": {}, "docs": [{"location": "a/", "title": "甲", "text": "乙"}]},
                         budget=60.0)["docs"][0]["location"] == "a/"
