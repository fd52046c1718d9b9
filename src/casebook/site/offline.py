"""The whole site as one zip for a shared drive or an intranet without a web server (``file://``).

The copy inside is built with ``page.html`` links (not folder links, which a browser shows as a directory
listing under ``file://``) and Material's ``offline`` plugin (search index as a script). Entries are sorted
and carry a fixed time, so the same site gives the same bytes.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from .adoption import ZIP_TIME

ZIP_NAME = "data/casebook-offline.zip"
FOLDER = "casebook"  # the folder the zip unpacks to


def zip_folder(folder: Path) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            entry = zipfile.ZipInfo(f"{FOLDER}/{path.relative_to(folder).as_posix()}", ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zf.writestr(entry, path.read_bytes())
    return out.getvalue()


def write_offline_zip(root: Path, site: Path, strict: bool, corpus: object = None) -> Path:
    """Build the file:// copy of the site, add the built PDF, and write the zip into ``site``."""
    from ..mkdocs_build import build_site
    from ..report.overview import FILE_NAME as OVERVIEW_PDF

    with tempfile.TemporaryDirectory(prefix="casebook-offline-") as tmp:
        copy = Path(tmp) / "site"
        build_site(root, copy, strict, corpus=corpus, offline=True)
        for pdf in ("report.pdf", OVERVIEW_PDF):  # the report and its 概要版, when built
            if (site / pdf).is_file():
                shutil.copyfile(site / pdf, copy / pdf)
        target = site / ZIP_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(zip_folder(copy))
    return target
