"""The ``casebook`` command. Exit codes: 0 ok, 1 invalid input or failed build, 2 usage error."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from . import messages
from .characters import visible
from .diagnostics import Diagnostic, format_report
from .errors import CasebookError, Location, UsageError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds ``content/catalog`` or ``mkdocs.yml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "content" / "catalog").is_dir() or (folder / "mkdocs.yml").is_file():
            return folder
    return here


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 already; keep the message short
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="casebook", description="地域金融機関の生成AI 利用方針・評価報告書を YAML レコードから作る。"
                " Builds the Casebook site and report from YAML records.")
    p.add_argument("--root", type=Path, help="project folder (default: found from the current folder)")
    lang_help = "language of the messages: ja (default) or en (default en when LANG/LC_ALL starts with en)"
    p.add_argument("--lang", choices=messages.LANGUAGES, default=None, help=lang_help)
    # `--lang` is accepted after the command too (casebook validate --lang en); SUPPRESS keeps the first one
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=messages.LANGUAGES, default=argparse.SUPPRESS, help=lang_help)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add = sub.add_parser

    def add_parser(name: str, **kwargs):  # every command takes --lang
        return _add(name, parents=[common], **kwargs)

    sub.add_parser = add_parser  # type: ignore[method-assign]

    v = sub.add_parser("validate", help="check every record and report all problems (file:line:col)")
    v.add_argument("--format", choices=["text", "json", "github"], default="text",
                   help="text (default), json, or github workflow annotations")
    v.add_argument("--strict", action="store_true", help="warnings fail too")
    v.add_argument("--today", type=dt.date.fromisoformat, help="date used for the future-date check")
    v.add_argument("paths", nargs="*", type=Path, help="limit case studies to these folders or files")

    n = sub.add_parser("new", help="create casestudies/<slug>/case.yaml from the annotated template")
    n.add_argument("slug", help="case id: lower-case ASCII letters, digits and hyphens")

    b = sub.add_parser("build", help="build the site and the PDF report into site/ (atomically)")
    b.add_argument("--strict", action="store_true", help="warnings fail the build")
    b.add_argument("--site-dir", type=Path, default=None, help="output folder (default: site/)")
    b.add_argument("--no-pdf", action="store_true", help="skip the PDF report")
    b.add_argument("--final", action="store_true",
                   help="the edition to publish: refuse while any 要確認 item or draft marker remains (default: draft)")

    s = sub.add_parser("serve", help="preview the site with live reload on record changes")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address:port to serve on")
    s.add_argument("--verbose", action="store_true", help="show MkDocs' whole log instead of the short summary")

    r = sub.add_parser("pdf", help="render the PDF evaluation report")
    r.add_argument("-o", "--output", type=Path, default=None, help="output file (default: site/report.pdf)")
    r.add_argument("--pdf-variant", default="pdf/ua-1", help="pdf/ua-1 (default), pdf/a-3b or none")

    pv = sub.add_parser("preview", help="build one case study's page and PDF chapter quickly")
    pv.add_argument("case", type=Path, help="casestudies/<id>")
    pv.add_argument("-o", "--output", type=Path, default=None, help="output folder (default: build/preview)")

    d = sub.add_parser("diff", help="list records added, removed and changed since another edition (git ref)")
    d.add_argument("ref", help="git ref of the earlier edition (tag, branch or commit)")
    d.add_argument("--format", choices=["text", "json", "markdown"], default="text", help="output format")

    sub.add_parser("schemas", help="print where the JSON Schemas are (for editors)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    root = (args.root or find_root()).resolve()
    args.lang = messages.language(args.lang)
    try:
        return COMMANDS[args.command](root, args)
    except UsageError as exc:
        diags = getattr(exc, "diagnostics", None)
        if diags:
            print(format_report(diags, "text", root, args.lang), file=sys.stderr)
        else:
            print(f"casebook: {visible(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except CasebookError as exc:
        diags = getattr(exc, "diagnostics", None)
        if diags:
            print(format_report(diags, "text", root, args.lang), file=sys.stderr)
            errors = sum(d.severity == "error" for d in diags)
            print(f"casebook: {messages.text('errors-in-records', args.lang, errors=errors)}", file=sys.stderr)
        else:
            print(f"casebook: {visible(str(exc))}", file=sys.stderr)
        return EXIT_INVALID


def cmd_validate(root: Path, args: argparse.Namespace) -> int:
    from .validate import validate

    lang = args.lang
    only, problems = case_paths(root, args.paths)
    if problems:  # a mistyped path must never pass as "ok — 0 errors" (exit 2, like any usage error)
        print(format_report(problems, args.format, root, lang))
        return EXIT_USAGE
    result = validate(root, today=args.today, only_cases=only)
    report = result.report
    if report.diagnostics:
        print(format_report(report.diagnostics, args.format, root, lang))
    if result.notes and args.format != "json":  # json stays the list of diagnostics
        print(format_report(result.notes, args.format, root, lang),
              file=sys.stderr if args.format == "text" else None)
    if args.format == "text":
        key = "validate-failed" if report.failed(args.strict) else "validate-ok"
        print(messages.text(key, lang, files=len(result.documents), errors=len(report.errors),
                            warnings=len(report.warnings)), file=sys.stderr)
        if only is not None:  # the folders asked for (a case file that does not parse is still one of them)
            print(messages.text("validate-scope", lang, cases=len(set(only))), file=sys.stderr)
    return EXIT_INVALID if report.failed(args.strict) else EXIT_OK


def case_paths(root: Path, paths: Sequence[Path]) -> tuple[list[Path] | None, list[Diagnostic]]:
    """The case folders the paths name (None: all of them), and a diagnostic for every path that names none.

    A path is a case folder ``casestudies/<id>``, the ``case.yaml`` in it, or ``casestudies`` / the project
    itself (every case). Anything else — a typo, a file the loader does not read such as ``case.yml`` — is
    an error: the contributor would otherwise believe a case passed that was never checked.
    """
    from .validate import CASE_FILE, CASES_DIR

    cases_dir = (root / CASES_DIR).resolve()
    folders: list[Path] = []
    problems: list[Diagnostic] = []
    everything = False
    for given in paths:
        path = given if given.is_absolute() else Path.cwd() / given
        if not path.exists() and not given.is_absolute() and (root / given).exists():
            path = root / given  # `casebook --root project validate casestudies/x` from elsewhere
        shown = Location(Path(str(given)))
        resolved = path.resolve()
        if not path.exists():
            problems.append(_missing_path(given, resolved, cases_dir))
        elif resolved in (root.resolve(), cases_dir):
            everything = True
        elif path.is_file():
            if resolved.parent.parent != cases_dir:
                problems.append(Diagnostic(shown, "path-not-case", {"path": str(given)}))
            elif path.name != CASE_FILE:
                problems.append(Diagnostic(shown, "path-wrong-file", {"path": str(given)}))
            else:
                folders.append(resolved.parent)
        elif resolved.parent != cases_dir:
            problems.append(Diagnostic(shown, "path-not-case", {"path": str(given)}))
        else:
            folders.append(resolved)  # a folder without case.yaml is reported by the validator itself
    if everything or not paths:
        return None, problems
    return folders, problems


def _missing_path(given: Path, resolved: Path, cases_dir: Path) -> Diagnostic:
    import difflib

    known = sorted(p.name for p in cases_dir.iterdir() if p.is_dir()) if cases_dir.is_dir() else []
    name = resolved.parent.name if resolved.name == "case.yaml" else resolved.name
    guess = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    shown = f"casestudies/{guess[0]}" if guess else ""
    return Diagnostic(Location(Path(str(given))), "path-missing", {"path": str(given), "guess": shown},
                      variant="" if guess else "list")


def cmd_new(root: Path, args: argparse.Namespace) -> int:
    from .scaffold import new_case

    path = new_case(root, args.slug)
    folder = path.parent.relative_to(root)
    print(messages.text("new-created", args.lang, path=path.relative_to(root), folder=folder))
    return EXIT_OK


def cmd_schemas(root: Path, args: argparse.Namespace) -> int:
    from importlib import resources

    folder = resources.files("casebook.schemas")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".schema.json"):
            print(entry)
    return EXIT_OK


def _lazy(module: str, func: str):
    def run(root: Path, args: argparse.Namespace) -> int:
        import importlib

        return getattr(importlib.import_module(f"casebook.{module}"), func)(root, args)

    return run


COMMANDS = {
    "validate": cmd_validate,
    "new": cmd_new,
    "schemas": cmd_schemas,
    "build": _lazy("commands", "build"),
    "serve": _lazy("commands", "serve"),
    "pdf": _lazy("commands", "pdf"),
    "preview": _lazy("commands", "preview"),
    "diff": _lazy("commands", "diff"),
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
