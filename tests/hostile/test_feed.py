"""site/feed.py: the Atom feed of the built site, checked against RFC 4287's rules for what we publish."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from casebook.mkdocs_build import build_site

from .project import make_project

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("feed") / "project")
    site = root / "site"
    build_site(root, site, strict=True)
    return root, site


def _check_common(el: ET.Element, where: str) -> None:
    """RFC 4287 4.1.1/4.1.2: exactly one id (an absolute IRI), title and updated (a date-time)."""
    for tag in ("id", "title", "updated"):
        assert len(el.findall(A + tag)) == 1, (where, tag)
    assert re.match(r"^[a-z][a-z0-9+.-]*:", el.find(A + "id").text), where
    assert RFC3339.match(el.find(A + "updated").text), where


def test_the_feed_follows_rfc_4287(built):
    _, site = built
    raw = (site / "feed.xml").read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    feed = ET.fromstring(raw)
    assert feed.tag == A + "feed"
    _check_common(feed, "feed")
    assert feed.find(A + "author/" + A + "name").text  # an author for the feed, so entries need none
    entries = feed.findall(A + "entry")
    assert len(entries) == 4  # the edition and the three case studies
    ids = [e.find(A + "id").text for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        _check_common(entry, entry.find(A + "title").text)
        alternates = [x for x in entry.findall(A + "link") if x.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1  # 4.1.2: no content, so an alternate link; and a summary
        assert entry.find(A + "summary").text and "**" not in entry.find(A + "summary").text
    updated = [e.find(A + "updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.find(A + "updated").text == max(updated)


def test_every_feed_link_is_relative_and_opens_a_built_page(built):
    _, site = built
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    for link in feed.iter(A + "link"):
        href = link.get("href")
        assert "://" not in href and not href.startswith("/"), href  # works without site_url, on any path
        target = site / href
        assert (target / "index.html" if href.endswith("/") else target).is_file(), href
    assert "事例: " in (site / "feed.xml").read_text(encoding="utf-8")
    assert "（説明用の架空事例）" in (site / "feed.xml").read_text(encoding="utf-8")


def test_pages_announce_the_feed(built):
    _, site = built
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate" type="application/atom+xml"' in home and 'href="feed.xml"' in home
    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert 'href="../feed.xml"' in changelog


def test_same_records_same_bytes(built, tmp_path):
    root, site = built
    again = tmp_path / "again"
    build_site(root, again, strict=True)
    assert (again / "feed.xml").read_bytes() == (site / "feed.xml").read_bytes()
