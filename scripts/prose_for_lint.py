"""Write the Japanese prose that lives in YAML records out as files textlint can read.

    .venv/bin/python scripts/prose_for_lint.py OUT [--no-report]

writes
  OUT/site/<path>.md         each hand-written page in content/ and content/guide/ with its
                             cross-references ([[ref:P4]]) resolved as the site shows them (「第4章（…）」);
                             nothing else changes, so line numbers are those of the file in content/;
  OUT/policy/P1.md … P12.md  the usage policy (content/catalog/policy.yaml) as the site's policy page reads,
                             one file per chapter: the title and preamble go into P1.md; each clause is a
                             heading "P6-3 見出し" followed by its text, so a message names the clause to fix;
  OUT/report/report.html     the evaluation report's HTML as WeasyPrint receives it (the generated report
                             text: templates plus every record's prose), without rendering the PDF;
  OUT/report/overview.html   the 概要版's HTML likewise, when the project has content/report/overview.md.

Text is taken from the validated corpus and resolved with the site's own resolver, so what is linted is
what is published. Used by scripts/textlint.sh.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from casebook.render import xref  # noqa: E402


def policy_markdown(policy, resolve) -> dict[str, str]:
    """Chapter id → Markdown of that chapter (the first one also carries the title and preamble)."""

    def text(value: str) -> str:
        return xref.REF.sub(lambda m: _label(m, resolve), value)

    files: dict[str, str] = {}
    for index, chapter in enumerate(policy.chapters):
        lines: list[str] = []
        if index == 0:
            lines += [f"# {policy.title.ja}", ""]
            if policy.preamble is not None:
                lines += [text(policy.preamble.ja), ""]
        lines += [f"## {chapter.id} {chapter.title.ja}", ""]
        if chapter.intro is not None:
            lines += [text(chapter.intro.ja), ""]
        for clause in chapter.clauses:
            lines += [f"### {clause.id} {clause.title.ja}", "", text(clause.text.ja), ""]
        files[chapter.id] = "\n".join(lines)
    return files


def _label(match, resolve) -> str:
    target = resolve(match.group(2))
    return xref.label(match.group(1), target) if target is not None else match.group(0)


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or (len(argv) == 2 and argv[1] != "--no-report"):
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    report = len(argv) == 1
    from casebook.commands import load_corpus
    from casebook.report.html import build_html, templates_dir
    from casebook.site.links import Links

    corpus = load_corpus(ROOT, show_warnings=False)
    if corpus.policy is None:
        print("prose_for_lint: the corpus has no policy", file=sys.stderr)
        return 1
    links = Links(corpus)
    content = ROOT / "content"
    for page in sorted([*content.glob("*.md"), *(content / "guide").glob("*.md")]):
        rel = page.relative_to(content).as_posix()
        target = out / "site" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(xref.markdown_links(page.read_text(encoding="utf-8"), links.refs(rel, markdown=True)),
                          encoding="utf-8")
    (out / "policy").mkdir(parents=True, exist_ok=True)
    for chapter_id, text in policy_markdown(corpus.policy, links.refs("policy/index.md")).items():
        (out / "policy" / f"{chapter_id}.md").write_text(text, encoding="utf-8")
    if not report:
        return 0
    (out / "report").mkdir(parents=True, exist_ok=True)
    html, _plan = build_html(corpus, templates_dir(corpus.root))
    (out / "report" / "report.html").write_text(html, encoding="utf-8")
    from casebook.report.overview import has_overview, overview_html

    if has_overview(corpus):  # the 概要版 (content/report/overview.md with its generated blocks)
        (out / "report" / "overview.html").write_text(overview_html(corpus), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
