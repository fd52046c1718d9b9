"""A tiny HTML reader for the built site (stdlib html.parser)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Scan:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    tags: list[tuple[str, dict]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    edit_links: list[str] = field(default_factory=list)

    @property
    def plain(self) -> str:
        return "".join(self.text)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.scan.tags.append((tag, a))
        if a.get("id"):
            self.scan.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.scan.links.append((tag, a[key]))
        if tag == "a" and "md-content__button" in (a.get("class") or ""):
            self.scan.edit_links.append(a.get("href", ""))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.scan.text.append(data)


def scan(html: str) -> Scan:
    p = _Parser()
    p.feed(html)
    p.close()
    return p.scan
