"""Record text cannot reach any Markdown extension of the site (issue 19: contributed text ran code).

Every extension the site's Markdown runs with — those listed in ``mkdocs.yml`` and those plugins add
(mkdocstrings) — has a trigger below. One build puts every trigger into a case study's title, prose, table
cells and list items, and the same triggers into a hand-written page. The hand-written page proves each
trigger is live (the extension really fires); the case-study page proves none fires from a record, and a
Python file in the case folder that mkdocstrings would import is never run. A new extension without a
trigger here fails the test, so nobody can add one without deciding how record text stays out of it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook.errors import RenderError
from casebook.mkdocs_build import build_site

from .project import make_project, shipped_case, write_case

pytestmark = pytest.mark.slow

CASE = "sample-rag-inquiry-chatbot"

#: extension → (trigger written as Markdown, regex that matches the extension's output when it fires)
TRIGGERS: dict[str, tuple[str, str]] = {
    "toc": ("[TOC]", r'<div class="toc">'),
    "tables": ("| cbtha | cbthb |\n|---|---|\n| cbtda | cbtdb |", r"<td>cbtda</td>"),
    "admonition": ('!!! danger "cbadmon"\n    cbadmonbody', r'admonition-title">cbadmon<'),
    "attr_list": ("cbattr paragraph\n{: #cbattrid .cbattrclass }", r'id="cbattrid"'),
    "md_in_html": ('<div class="cbmdh" markdown="1">\n**cbmdhbold**\n</div>',
                   r'<div class="cbmdh">\s*<p><strong>cbmdhbold'),
    "def_list": ("cbdefterm\n:   cbdefbody", r"<dt>cbdefterm</dt>"),
    "pymdownx.details": ('??? note "cbdetails"\n    cbdetailsbody', r"<summary>cbdetails</summary>"),
    "mkdocstrings": ("::: casebook.errors", r'class="doc doc-'),
    "fenced_code": ("```\ncbfenced\n```",
                    r"<pre[^>]*>(?:<span></span>)?<code[^>]*>cbfenced"),
    "mkdocs_autorefs": ("[cbautoref][casebook.errors]",
                        r"<a[^>]*>cbautoref</a>"),
    # Python-Markdown's own syntax that record prose must not have either
    "markdown.headings": ("# cbheading", r"<h1[^>]*>cbheading"),
    "markdown.html_block": ('<div class="cbrawdiv">cbraw</div>', r'<div class="cbrawdiv">'),
}
#: Extensions that are not a way in: Casebook's own fragment stash (its marker is a control character the
#: loader and the renderer refuse), and the ones a record can only reach through the triggers above.
NOT_A_WAY_IN = {"casebook.site.fragments"}

EXPLOIT = """::: json
    options:
      extensions:
        - {script}"""


def _extension_names(root: Path) -> set[str]:
    """Every Markdown extension of the real config, after the plugins' on_config (mkdocstrings adds one)."""
    from mkdocs.config import load_config

    with (root / "mkdocs.yml").open("rb") as fh:
        config = load_config(fh, config_file_path=str(root / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    names = set()
    for ext in config.markdown_extensions:
        names.add(ext if isinstance(ext, str) else type(ext).__module__)
    return names


def _module_to_trigger(name: str) -> str:
    short = name.removeprefix("markdown.extensions.")
    for package in ("mkdocstrings", "mkdocs_autorefs"):
        if short.startswith(package):
            return package
    return short


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("isolation") / "project")
    sentinel = root / "ran.txt"
    # Outside the case folder (validation refuses any extra file in one, see the last test), by absolute
    # path: only the renderer stands between the record and this file.
    script = root / "elsewhere" / "notes.py"
    script.parent.mkdir()
    script.write_text(f"open({str(sentinel)!r}, 'w').write('ran')\n", encoding="utf-8")
    everything = "\n\n".join(t for t, _ in TRIGGERS.values())
    data = shipped_case(CASE)
    data["title"]["ja"] = "::: casebook.errors"  # a title becomes `# <title>`: mkdocstrings' heading form
    data["summary"]["ja"] = EXPLOIT.format(script=script) + "\n\n" + everything
    data["service"]["ja"] = everything
    data["lessons"] = [{"ja": t} for t, _ in TRIGGERS.values()]
    write_case(root, CASE, data)
    (root / "content" / "triggers.md").write_text("# 対照\n\n" + everything + "\n", encoding="utf-8")
    site = root / "site"
    error = None
    try:
        build_site(root, site, strict=False)
    except RenderError as exc:
        error = exc
    return root, site, sentinel, error


def test_every_markdown_extension_of_the_site_has_a_trigger(built):
    root = built[0]
    names = {_module_to_trigger(n) for n in _extension_names(root)} - {
        _module_to_trigger(n) for n in NOT_A_WAY_IN}
    missing = sorted(n for n in names if n not in TRIGGERS)
    assert not missing, f"add a trigger for each new Markdown extension: {missing}"


def test_the_shipped_python_file_is_never_run(built):
    assert not built[2].exists()


def test_every_trigger_fires_in_hand_written_content(built):
    _, site, _, error = built
    assert error is None, error
    page = (site / "triggers" / "index.html").read_text(encoding="utf-8")
    dead = [name for name, (_, fired) in TRIGGERS.items() if not re.search(fired, page)]
    assert not dead, f"triggers that do not fire even in content: {dead}"


def test_no_trigger_fires_from_record_text(built):
    _, site, _, _ = built
    page = (site / "casestudies" / CASE / "index.html").read_text(encoding="utf-8")
    fired = [name for name, (_, pattern) in TRIGGERS.items() if re.search(pattern, page)]
    assert not fired, f"record text reached: {fired}"
    assert "::: casebook.errors" in page and "cbadmonbody" in page and "cbdefterm" in page  # shown as text
    assert 'class="doc doc-' not in page and "notes.py" in page


def test_a_file_in_a_case_folder_stops_the_build_before_anything_renders(tmp_path):
    root = make_project(tmp_path / "project")
    sentinel = root / "ran.txt"
    (root / "casestudies" / CASE / ".notes.py").write_text(
        f"open({str(sentinel)!r}, 'w').write('ran')\n", encoding="utf-8")
    data = shipped_case(CASE)
    data["summary"]["ja"] = EXPLOIT.format(script=f"casestudies/{CASE}/.notes.py")
    write_case(root, CASE, data)
    with pytest.raises(RenderError) as info:
        build_site(root, root / "site", strict=False)
    assert "stray-case-file" in str(info.value) and ".notes.py" in str(info.value)
    assert not sentinel.exists() and not (root / "site").exists()
