"""The only way the report reaches a file: ``file:`` under the project's asset folders, or ``data:``.

WeasyPrint's default fetcher reads any local file and makes network requests. A report is rendered from
records that contributors write, so every fetch is checked here: the URL is resolved to a real path
(symbolic links and ``..`` followed) and must lie inside one of the allowed folders. Anything else — other
schemes, files elsewhere, unreadable URLs — stops the render with :class:`RefusedFetch`, which WeasyPrint
does not swallow (it derives from ``FatalURLFetchingError``).
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

_DATA = re.compile(r"^data:(?P<type>[^,;]*)(?P<params>(?:;[^,;]*)*),(?P<body>.*)$", re.DOTALL | re.IGNORECASE)
_MAX_DATA = 2_000_000  # a data: URL larger than this is not something our templates write


class RefusedFetch(FatalURLFetchingError):
    """A resource outside the allowed asset folders was requested; the render must stop."""

    def __init__(self, url: str, reason: str) -> None:
        shown = url if len(url) <= 200 else url[:200] + "…"
        super().__init__(f"refused to fetch {shown!r}: {reason}")
        self.url = url
        self.reason = reason


class AssetFetcher(URLFetcher):
    """Serve ``data:`` URLs and ``file:`` URLs inside ``folders``; refuse everything else."""

    def __init__(self, folders: Iterable[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)
        self.folders = tuple(Path(f).resolve() for f in folders)
        self.fetched: list[str] = []

    def allows(self, path: Path) -> bool:
        real = path.resolve()
        return any(real == folder or real.is_relative_to(folder) for folder in self.folders)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme != "file":
            raise RefusedFetch(url, f"the `{scheme or '(none)'}:` scheme is not allowed (only file: and data:)")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedFetch(url, f"file URL names a host ({parts.netloc})")
        path = Path(unquote(parts.path))
        if not path.is_absolute():
            raise RefusedFetch(url, "file URL is not absolute")
        if not self.allows(path):
            raise RefusedFetch(url, "the file is outside the report's asset folders")
        real = path.resolve()
        if not real.is_file():
            raise RefusedFetch(url, "no such file")
        mime = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
        self.fetched.append(url)
        body = real.read_bytes()
        if real.suffix.lower() in (".png", ".jpg", ".jpeg"):
            from ..images import published_bytes

            body = published_bytes(real)  # the pixels only: no text chunks, EXIF or GPS reach the PDF
        return URLFetcherResponse(real.as_uri(), body, {"Content-Type": mime})

    def _data(self, url: str) -> URLFetcherResponse:
        if len(url) > _MAX_DATA:
            raise RefusedFetch(url, "data: URL is too large")
        m = _DATA.match(url)
        if not m:
            raise RefusedFetch(url, "malformed data: URL")
        params = [p.strip().lower() for p in m["params"].split(";") if p.strip()]
        body = m["body"]
        try:
            raw = base64.b64decode(body, validate=False) if "base64" in params else unquote(body).encode("utf-8")
        except ValueError as exc:
            raise RefusedFetch(url, f"malformed data: URL ({exc})") from exc
        mime = m["type"] or "text/plain"
        return URLFetcherResponse(url, raw, {"Content-Type": mime})
