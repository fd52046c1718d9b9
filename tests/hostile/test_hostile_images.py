"""Images: a bomb or a fake is refused before decoding, metadata never reaches the site or the PDF."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, PngImagePlugin

from casebook import images
from casebook.limits import Images
from casebook.messages import Term
from casebook.report.fetcher import AssetFetcher

LIMITS = Images(max_bytes=5_000_000, max_width=6000, max_height=6000, max_pixels=16_000_000,
                max_decoded_bytes=64_000_000)


def _png_with_text(path: Path) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "山田太郎 090-1234-5678")
    info.add_itxt("Comment", "taro.yamada@gmail.com", zip=True)
    Image.new("RGB", (8, 6), (10, 200, 30)).save(path, "PNG", pnginfo=info)


def _jpeg_with_gps(path: Path) -> None:
    exif = Image.Exif()
    exif[0x013B] = "Taro Yamada"  # Artist
    exif[0x8825] = {1: "N", 2: (35.0, 40.0, 0.0), 3: "E", 4: (139.0, 45.0, 0.0)}
    Image.new("RGB", (16, 16), (30, 30, 200)).save(path, "JPEG", exif=exif, quality=95)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def test_png_text_is_found_then_stripped_with_the_same_pixels(tmp_path: Path) -> None:
    path = tmp_path / "fig.png"
    _png_with_text(path)
    texts = "\n".join(images.metadata_texts(path))
    assert "090-1234-5678" in texts and "taro.yamada@gmail.com" in texts
    out = images.published_bytes(path)
    assert b"tEXt" not in out and b"iTXt" not in out and "山田".encode() not in out
    with Image.open(io.BytesIO(out)) as clean, Image.open(path) as original:
        assert clean.tobytes() == original.tobytes() and not clean.text
    assert images.published_bytes(path) == out  # the same input gives the same bytes


def test_jpeg_exif_and_gps_are_found_then_stripped_with_the_same_pixels(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    _jpeg_with_gps(path)
    assert images.has_gps(path)
    assert any("Taro Yamada" in t for t in images.metadata_texts(path))
    out = images.published_bytes(path)
    assert b"Exif" not in out and b"Taro" not in out
    with Image.open(io.BytesIO(out)) as clean, Image.open(path) as original:
        assert not clean.getexif() and clean.tobytes() == original.tobytes()


def test_the_pdf_fetcher_serves_stripped_images(tmp_path: Path) -> None:
    path = tmp_path / "fig.png"
    _png_with_text(path)
    response = AssetFetcher([tmp_path]).fetch(path.as_uri())
    body = response.read()
    assert body == images.published_bytes(path) and b"tEXt" not in body


def test_a_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(images.PNG_SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0))
                     + _chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + _chunk(b"IEND", b""))
    assert images.problem(path, LIMITS) == ("dimension", {"what": Term("image-width"), "value": "100,000",
                                                          "limit": "6,000"})


def test_a_header_followed_by_html_is_refused(tmp_path: Path) -> None:
    for name, head in (("fake.png", images.PNG_SIGNATURE), ("fake.jpg", b"\xff\xd8\xff\xe0")):
        path = tmp_path / name
        path.write_bytes(head + b"<html><script>alert(1)</script></html>")
        assert images.problem(path, LIMITS)[0] == "decode", name


def test_a_real_image_passes(tmp_path: Path) -> None:
    path = tmp_path / "ok.png"
    Image.new("RGB", (40, 30)).save(path)
    assert images.problem(path, LIMITS) is None
