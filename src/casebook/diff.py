"""Records added, removed and changed between two editions (two folders, or a git ref and the work tree)."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .load import load_file
from .validate import _catalog_kind, discover

Key = tuple[str, str]  # (kind, id)


@dataclass(frozen=True)
class FieldChange:
    path: str  # e.g. assessments/R-HALLUCINATION/residual/likelihood
    old: Any
    new: Any


@dataclass
class RecordChange:
    kind: str
    id: str
    status: str  # added / removed / changed
    fields: list[FieldChange] = field(default_factory=list)


def records(root: Path) -> dict[Key, Any]:
    """Every record under ``root`` keyed by (kind, id), read with the safe loader (no validation)."""
    out: dict[Key, Any] = {}
    catalog, cases, _ = discover(root)
    for path in catalog:
        doc = load_file(path)
        if not isinstance(doc.data, dict):
            continue
        kind = _catalog_kind(doc)
        body = doc.data.get(kind) if kind else None
        if isinstance(body, list):
            for item in body:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    out[(kind, item["id"])] = item
        elif kind:
            out[(kind, kind)] = body
    for path in cases:
        doc = load_file(path)
        if isinstance(doc.data, dict):
            out[("casestudy", str(doc.data.get("id") or path.parent.name))] = doc.data
    return out


def compare(old: dict[Key, Any], new: dict[Key, Any]) -> list[RecordChange]:
    changes = []
    for key in sorted(set(old) | set(new)):
        if key not in old:
            changes.append(RecordChange(*key, "added"))
        elif key not in new:
            changes.append(RecordChange(*key, "removed"))
        else:
            fields = list(_field_changes(old[key], new[key], ""))
            if fields:
                changes.append(RecordChange(*key, "changed", fields))
    return changes


def _field_changes(a: Any, b: Any, path: str):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            yield from _field_changes(a.get(k), b.get(k), f"{path}/{k}" if path else str(k))
    elif isinstance(a, list) and isinstance(b, list) and _keyed(a) and _keyed(b):
        # lists of records (assessments, mitigations applied …) are matched by their id or risk
        ka, kb = _by_key(a), _by_key(b)
        for k in list(ka) + [k for k in kb if k not in ka]:
            yield from _field_changes(ka.get(k), kb.get(k), f"{path}/{k}")
    elif a != b:
        yield FieldChange(path, a, b)


def _item_key(item: Any) -> str | None:
    if isinstance(item, dict):
        for name in ("id", "risk", "metric", "level", "edition"):
            if isinstance(item.get(name), str | int):
                return str(item[name])
    return None


def _keyed(items: list) -> bool:
    keys = [_item_key(i) for i in items]
    return bool(items) and None not in keys and len(set(keys)) == len(keys)


def _by_key(items: list) -> dict[str, Any]:
    return {_item_key(i): i for i in items}


def diff_against_ref(root: Path, ref: str) -> list[RecordChange]:
    """Changes from the edition at git ``ref`` to the work tree at ``root``."""
    return compare(_records_at(root, ref), records(root))


def export_ref(root: Path, ref: str, dest: Path) -> None:
    """Extract the record folders of ``ref`` into ``dest`` (no checkout, the work tree is untouched)."""
    check = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                           capture_output=True, check=False)
    if check.returncode != 0:
        raise UsageError(f"`{ref}` is not a git ref of this repository")
    listing = subprocess.run(["git", "-C", str(root), "ls-tree", "--name-only", ref],
                             capture_output=True, text=True, check=False).stdout.split()
    folders = [f for f in ("content", "casestudies") if f in listing]
    if not folders:
        return  # an edition before any records: everything now is "added"
    proc = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", ref, "--", *folders],
                          capture_output=True, check=False)
    if proc.returncode != 0:
        raise UsageError(f"cannot read git ref `{ref}`: {proc.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
        tar.extractall(dest, filter="data")


def format_changes(changes: list[RecordChange], fmt: str = "text") -> str:
    if fmt == "json":
        import json

        return json.dumps([{"kind": c.kind, "id": c.id, "status": c.status,
                            "fields": [{"path": f.path, "old": f.old, "new": f.new} for f in c.fields]}
                           for c in changes], ensure_ascii=False, indent=2, default=str)
    lines = []
    mark = {"added": "+", "removed": "-", "changed": "~"}
    for c in changes:
        if fmt == "markdown":
            lines.append(f"- **{c.status}** `{c.kind}` `{c.id}`")
            lines += [f"    - `{f.path}`" for f in c.fields]
        else:
            lines.append(f"{mark[c.status]} {c.kind} {c.id}")
            lines += [f"    {f.path}: {_short(f.old)} → {_short(f.new)}" for f in c.fields]
    return "\n".join(lines) if lines else "no changes"


def _short(value: Any, limit: int = 70) -> str:
    text = "—" if value is None else str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class EditionChanges:
    """One edition of the history with the records changed since the edition before it.

    ``changes`` is None when they cannot be computed: the first edition, or an earlier edition without a
    git ref (or no git history at hand, as in a source archive).
    """

    edition: Any  # model.EditionEntry
    previous: Any | None
    changes: list[RecordChange] | None
    reason: str = ""  # why ``changes`` is None, in Japanese for the publication

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes or [] if c.status == status)


def edition_history(root: Path, editions: list) -> list[EditionChanges]:
    """The publication's edition list (newest first), each with its changes since the previous edition."""
    out = []
    for i, edition in enumerate(editions):
        previous = editions[i + 1] if i + 1 < len(editions) else None
        changes, reason = None, ""
        if previous is None:
            reason = "初版"
        elif not previous.ref:
            reason = "前の版に git の参照がありません"
        elif i > 0 and not edition.ref:
            reason = "この版に git の参照がありません"
        else:
            try:
                old = _records_at(root, previous.ref)
                new = records(root) if i == 0 and not edition.ref else _records_at(root, edition.ref)
                changes = compare(old, new)
            except (UsageError, OSError, subprocess.SubprocessError) as exc:
                reason = f"git の履歴から読めません（{exc}）"
        out.append(EditionChanges(edition, previous, changes, reason))
    return out


def _records_at(root: Path, ref: str) -> dict[Key, Any]:
    with tempfile.TemporaryDirectory(prefix="casebook-edition-") as tmp:
        export_ref(root, ref, Path(tmp))
        return records(Path(tmp))
