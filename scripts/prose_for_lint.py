"""Write the Japanese prose that lives in YAML records out as files textlint can read.

    .venv/bin/python scripts/prose_for_lint.py OUT

writes
  OUT/policy/P1.md … P12.md  the usage policy (content/catalog/policy.yaml), one file per chapter: the title
                             and preamble go into P1.md; each clause is a heading "P6-3 見出し" followed by its
                             text, so a textlint message names the clause to fix in policy.yaml;
  OUT/report/report.html     the evaluation report's HTML as WeasyPrint receives it (the generated report
                             text: templates plus every record's prose), without rendering the PDF.

The policy is taken from the validated corpus (the same text the site and the PDF show), not by re-reading
the YAML, so what is linted is what is published. Used by scripts/textlint.sh.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def policy_markdown(policy) -> dict[str, str]:
    """Chapter id → Markdown of that chapter (the first one also carries the title and preamble)."""
    files: dict[str, str] = {}
    for index, chapter in enumerate(policy.chapters):
        lines: list[str] = []
        if index == 0:
            lines += [f"# {policy.title.ja}", ""]
            if policy.preamble is not None:
                lines += [policy.preamble.ja, ""]
        lines += [f"## {chapter.id} {chapter.title.ja}", ""]
        if chapter.intro is not None:
            lines += [chapter.intro.ja, ""]
        for clause in chapter.clauses:
            lines += [f"### {clause.id} {clause.title.ja}", "", clause.text.ja, ""]
        files[chapter.id] = "\n".join(lines)
    return files


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    sys.path.insert(0, str(ROOT / "src"))
    from casebook.commands import load_corpus
    from casebook.report.html import build_html, templates_dir

    corpus = load_corpus(ROOT, show_warnings=False)
    if corpus.policy is None:
        print("prose_for_lint: the corpus has no policy", file=sys.stderr)
        return 1
    (out / "policy").mkdir(parents=True, exist_ok=True)
    for chapter_id, text in policy_markdown(corpus.policy).items():
        (out / "policy" / f"{chapter_id}.md").write_text(text, encoding="utf-8")
    (out / "report").mkdir(parents=True, exist_ok=True)
    html, _plan = build_html(corpus, templates_dir(corpus.root))
    (out / "report" / "report.html").write_text(html, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
