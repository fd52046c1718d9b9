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


def _parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The command line, its help in ``lang`` (interface.yaml)."""
    lang = messages.language(lang)

    def t(key: str) -> str:
        return messages.text(key, lang)

    p = _Parser(prog="casebook", description=t("help-description"))
    p.add_argument("--root", type=Path, help=t("help-root"))
    lang_help = t("help-lang")
    p.add_argument("--lang", choices=messages.LANGUAGES, default=None, help=lang_help)
    # `--lang` is accepted after the command too (casebook validate --lang en); SUPPRESS keeps the first one
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=messages.LANGUAGES, default=argparse.SUPPRESS, help=lang_help)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add = sub.add_parser

    def add_parser(name: str, **kwargs):  # every command takes --lang; its help opens `casebook NAME --help`
        kwargs.setdefault("description", kwargs.get("help"))
        return _add(name, parents=[common], **kwargs)

    sub.add_parser = add_parser  # type: ignore[method-assign]

    v = sub.add_parser("validate", help=t("help-validate"))
    v.add_argument("--format", choices=["text", "json", "github"], default="text",
                   help=t("help-format"))
    v.add_argument("--strict", action="store_true", help=t("help-strict"))
    v.add_argument("--today", type=dt.date.fromisoformat, help=t("help-today"))
    v.add_argument("paths", nargs="*", type=Path, help=t("help-paths"))

    n = sub.add_parser("new", help=t("help-new"))
    n.add_argument("slug", help=t("help-slug"))

    b = sub.add_parser("build", help=t("help-build"))
    b.add_argument("--strict", action="store_true", help=t("help-build-strict"))
    b.add_argument("--site-dir", type=Path, default=None, help=t("help-site-dir"))
    b.add_argument("--no-pdf", action="store_true", help=t("help-no-pdf"))
    b.add_argument("--final", action="store_true",
                   help=t("help-final"))

    s = sub.add_parser("serve", help=t("help-serve"))
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help=t("help-dev-addr"))
    s.add_argument("--verbose", action="store_true", help=t("help-verbose"))

    r = sub.add_parser("pdf", help=t("help-pdf"))
    r.add_argument("-o", "--output", type=Path, default=None, help=t("help-output"))
    r.add_argument("--pdf-variant", default="pdf/ua-1", help=t("help-pdf-variant"))

    pv = sub.add_parser("preview", help=t("help-preview"))
    pv.add_argument("case", type=Path, help=t("help-case"))
    pv.add_argument("-o", "--output", type=Path, default=None, help=t("help-preview-output"))

    d = sub.add_parser("diff", help=t("help-diff"))
    d.add_argument("ref", help=t("help-ref"))
    d.add_argument("--format", choices=["text", "json", "markdown"], default="text", help=t("help-diff-format"))

    sub.add_parser("schemas", help=t("help-schemas"))
    return p


def _asked_language(argv: Sequence[str]) -> str | None:
    """``--lang`` from the arguments before they are parsed (the help is written in it)."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        elif arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        else:
            continue
        return value if value in messages.LANGUAGES else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(_asked_language(argv))
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
