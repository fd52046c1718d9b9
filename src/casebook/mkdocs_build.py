"""Run a real MkDocs build of ``<root>/mkdocs.yml`` through MkDocs' Python API."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import Location, RenderError


class _Counter(logging.Handler):
    """Counts warnings and errors the way ``mkdocs build --strict`` does."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def edition_time(date: str | None) -> Iterator[None]:
    """MkDocs stamps ``sitemap.xml`` (and its gzip header) with the time of the build; stamp it with the
    edition's date instead (``SOURCE_DATE_EPOCH``, which MkDocs honours), so the same records give the same
    site and the same offline zip. A value already in the environment wins."""
    if not date or "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    day = dt.datetime.fromisoformat(date[:10]).replace(tzinfo=dt.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(day.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def build_site(root: Path, site_dir: Path, strict: bool, only_cases: list[Path] | None = None,
               corpus: object = None, offline: bool = False) -> None:
    """Build the site of the project at ``root`` into ``site_dir``; raise RenderError on failure.

    With ``strict`` every warning logged under ``mkdocs`` (including the casebook plugin's) fails the build.
    ``only_cases`` limits the case studies to those folders (``casebook preview``); ``corpus``, when given, is
    the caller's already validated :class:`casebook.model.Corpus` (``casebook build`` validates once).
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise RenderError("no mkdocs.yml", Location(config_file))
    counter = _Counter()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(counter)
    try:
        with config_file.open("rb") as fh:
            config = load_config(fh, config_file_path=str(config_file), site_dir=str(site_dir), strict=strict)
        if offline:  # for a shared drive (file://): page.html links and Material's offline search
            from material.plugins.offline.plugin import OfflinePlugin

            config["use_directory_urls"] = False
            plugin = OfflinePlugin()
            plugin.load_config({})
            config.plugins["material/offline"] = plugin
        if only_cases:
            config.plugins["casebook"].config.only_cases = [str(p) for p in only_cases]
        if corpus is not None:  # already validated by the caller: the plugin does not validate again
            config.plugins["casebook"].corpus = corpus
        config.plugins.on_startup(command="build", dirty=False)
        try:
            with edition_time(getattr(getattr(corpus, "publication", None), "date", None)):
                build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        detail = "".join(f"\n  {m}" for m in counter.messages)  # strict mode aborts without saying why
        raise RenderError(f"mkdocs build failed: {exc}{detail}", Location(config_file)) from exc
    except SystemExit as exc:  # mkdocs aborts some failures this way
        raise RenderError(f"mkdocs build aborted ({exc.code})", Location(config_file)) from exc
    finally:
        mkdocs_log.removeHandler(counter)
    if strict and counter.messages:
        raise RenderError(f"{len(counter.messages)} warning(s) in strict mode:\n" + "\n".join(counter.messages),
                          Location(config_file))
