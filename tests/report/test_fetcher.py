"""The URL fetcher: file: inside the asset folders and data: only; everything else stops the render."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casebook.errors import RenderError
from casebook.report.fetcher import AssetFetcher, RefusedFetch
from casebook.report.pdf import write_pdf


@pytest.fixture
def assets(tmp_path: Path) -> Path:
    folder = tmp_path / "assets"
    folder.mkdir()
    (folder / "ok.css").write_text("p { color: red }")
    (tmp_path / "outside.txt").write_text("outside")
    os.symlink(tmp_path / "outside.txt", folder / "link.txt")
    return folder


def test_allows_files_inside_the_asset_folders(assets):
    response = AssetFetcher([assets]).fetch((assets / "ok.css").as_uri())
    assert response.read() == b"p { color: red }"
    assert response.content_type == "text/css"


def test_allows_data_urls(assets):
    assert AssetFetcher([assets]).fetch("data:text/plain;base64,aGk=").read() == b"hi"
    assert AssetFetcher([assets]).fetch("data:,a%20b").read() == b"a b"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x.css",
    "https://example.org/font.woff2",
    "ftp://example.org/x",
    "file:///etc/hostname",
    "file:///etc/passwd",
    "file://otherhost/etc/hostname",
    "javascript:alert(1)",
    "gopher://x",
])
def test_refuses_network_and_outside_files(assets, url):
    with pytest.raises(RefusedFetch):
        AssetFetcher([assets]).fetch(url)


def test_refuses_traversal_and_symlinks_out_of_the_folder(assets):
    fetcher = AssetFetcher([assets])
    with pytest.raises(RefusedFetch, match="outside"):
        fetcher.fetch(assets.as_uri() + "/../outside.txt")
    with pytest.raises(RefusedFetch, match="outside"):
        fetcher.fetch((assets / "link.txt").as_uri())


def test_refused_fetch_is_fatal_for_weasyprint(assets):
    from weasyprint.urls import FatalURLFetchingError

    assert issubclass(RefusedFetch, FatalURLFetchingError)


@pytest.mark.parametrize("html", [
    '<p>x</p><img src="file:///etc/hostname" alt="x">',
    '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css"><p>x</p>',
    '<style>p { background: url(file:///etc/hostname) }</style><p>x</p>',
    '<style>@import url("https://example.org/x.css");</style><p>x</p>',
    '<style>@font-face { font-family: X; src: url(http://127.0.0.1:9/x.woff) } p { font-family: X }</style><p>x</p>',
])
def test_render_fails_loudly_on_a_refused_fetch(assets, tmp_path, html):
    out = tmp_path / "x.pdf"
    with pytest.raises(RenderError, match="refused to fetch"):
        write_pdf(f'<html lang="ja"><body>{html}</body></html>', out, base=tmp_path,
                  stylesheet=assets / "ok.css", folders=[assets], variant=None)
    assert not out.exists()
    assert not list(tmp_path.glob(".x.pdf.*"))  # no temporary file left behind
