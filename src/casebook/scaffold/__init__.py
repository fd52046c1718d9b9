"""``casebook new``: a case-study folder from the annotated template."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

from ..errors import UsageError

PLACEHOLDER = "【要記入】"
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def new_case(root: Path, slug: str, today: dt.date | None = None) -> Path:
    """Write ``casestudies/<slug>/case.yaml``; refuses bad slugs and existing folders."""
    if not _SLUG.fullmatch(slug) or len(slug) > 80:  # fullmatch: `$` would accept "slug\n"
        raise UsageError(f"`{slug}` is not a valid case id: use lower-case ASCII letters, digits and hyphens")
    folder = root / "casestudies" / slug
    if folder.exists():
        raise UsageError(f"{folder} already exists")
    template = resources.files(__name__).joinpath("case.yaml").read_text(encoding="utf-8")
    body = template.replace("__ID__", slug).replace("__TODAY__", (today or dt.date.today()).isoformat())
    folder.mkdir(parents=True)
    (folder / "case.yaml").write_text(body, encoding="utf-8")
    return folder / "case.yaml"
