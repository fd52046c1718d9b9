"""Published images: decoded once at validation within limits, their metadata scanned, then stripped.

A contributed PNG or JPEG can be a decompression bomb (a few KB that decode to gigabytes), a fake (a PNG
or JPEG header followed by HTML, which the site published while the PDF silently dropped the figure), or
carry personal data in its metadata (PNG text chunks, JPEG EXIF with names, phone numbers and the GPS
position where it was taken). :func:`problem` refuses the first two at validation, with the limits of
``content/catalog/limits.yaml``; :func:`metadata_texts` and :func:`has_gps` feed the PII scan; and
:func:`published_bytes` is what the site and the PDF receive: the same pixels without any metadata.

Stripping works on the file's own structure (chunks, segments), so pixels are never re-encoded and the
output is the same for the same input.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from .messages import Term, image_problem, os_reason

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: PNG chunks that describe pixels; every other chunk (tEXt, zTXt, iTXt, eXIf, tIME, iCCP …) is dropped.
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"pHYs"}
#: JPEG application segments kept: APP0 (JFIF) and APP14 (Adobe colour transform). EXIF, XMP, ICC
#: profiles (which carry a free-text description), IPTC and comments are dropped.
_JPEG_KEEP_APP = {0xE0, 0xEE}
_TEXT_CAP = 1_000_000  # bytes of decompressed metadata text read for the scan


@dataclass(frozen=True)
class Size:
    width: int
    height: int
    channels: int
    bits: int

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def decoded_bytes(self) -> int:
        return self.pixels * self.channels * max(self.bits, 8) // 8


def _png_chunks(data: bytes):
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("a PNG chunk runs past the end of the file")
        yield kind, data[pos + 8:pos + 8 + length], data[pos:end]
        pos = end
        if kind == b"IEND":
            return
    raise ValueError("the PNG file has no IEND chunk")


def _jpeg_segments(data: bytes):
    """(marker, payload, raw bytes) of each segment up to SOS; then (0xDA, b"", rest of the file)."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError("a JPEG segment does not start with 0xFF")
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            yield marker, b"", data[pos:pos + 2]
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if length < 2 or pos + 2 + length > len(data):
            raise ValueError("a JPEG segment runs past the end of the file")
        if marker == 0xDA:
            yield marker, b"", data[pos:]
            return
        yield marker, data[pos + 4:pos + 2 + length], data[pos:pos + 2 + length]
        pos += 2 + length
    raise ValueError("the JPEG file has no image data")


def size_of(data: bytes) -> Size:
    """Dimensions from the header, without decoding pixels (raises ValueError for a malformed file)."""
    if data.startswith(PNG_SIGNATURE):
        for kind, body, _raw in _png_chunks(data):
            if kind == b"IHDR" and len(body) >= 10:
                width, height, bits, colour = struct.unpack(">IIBB", body[:10])
                channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour, 4)
                return Size(width, height, channels, bits)
        raise ValueError("the PNG file has no IHDR chunk")
    if data.startswith(b"\xff\xd8"):
        for marker, body, _raw in _jpeg_segments(data):
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF) \
                    and len(body) >= 6:
                bits, height, width, channels = struct.unpack(">BHHB", body[:6])
                return Size(width, height, channels, bits)
        raise ValueError("the JPEG file has no frame header")
    raise ValueError("neither PNG nor JPEG")


def problem(path: Path, limits) -> tuple[str, dict[str, str]] | None:
    """Why an image may not be published (an ``image-content`` variant and its parameters), or None.

    ``limits`` is :class:`casebook.limits.Images`. The header is read first, so a bomb is refused before
    a single pixel is decoded; then the whole image is decoded once to prove it is what it says.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        return "unreadable", {"reason": os_reason(exc)}
    if len(data) > limits.max_bytes:
        return "size", {"size": f"{len(data):,}", "limit": f"{limits.max_bytes:,}"}
    try:
        size = size_of(data)
    except (ValueError, struct.error) as exc:
        return "decode", {"reason": image_problem(str(exc))}
    for name, value, limit in (("width", size.width, limits.max_width), ("height", size.height, limits.max_height),
                               ("pixels", size.pixels, limits.max_pixels),
                               ("decoded-bytes", size.decoded_bytes, limits.max_decoded_bytes)):
        if value > limit:
            return "dimension", {"what": Term(f"image-{name}"), "value": f"{value:,}", "limit": f"{limit:,}"}
    from PIL import Image

    try:
        Image.MAX_IMAGE_PIXELS = limits.max_pixels
        with Image.open(path) as img:
            img.load()
    except Exception as exc:  # any decoder failure means the file is not a usable image
        return "decode", {"reason": type(exc).__name__ + (f": {exc}" if str(exc) else "")}
    return None


def metadata_texts(path: Path) -> list[str]:
    """Every text a published copy would have carried: PNG text chunks, JPEG EXIF/XMP/comments."""
    data = path.read_bytes()
    out: list[str] = []
    try:
        if data.startswith(PNG_SIGNATURE):
            for kind, body, _raw in _png_chunks(data):
                if kind == b"tEXt":
                    out.append(body.replace(b"\0", b" ").decode("latin-1"))
                elif kind == b"zTXt" and b"\0" in body:
                    key, rest = body.split(b"\0", 1)
                    out.append(key.decode("latin-1") + " " + _inflate(rest[1:]).decode("latin-1"))
                elif kind == b"iTXt":
                    out.append(_itxt(body))
                elif kind == b"eXIf":
                    out.append(_printable(body))
        elif data.startswith(b"\xff\xd8"):
            for marker, body, _raw in _jpeg_segments(data):
                if (0xE1 <= marker <= 0xEF and marker not in _JPEG_KEEP_APP) or marker == 0xFE:
                    out.append(_printable(body))
    except (ValueError, struct.error, zlib.error):
        pass  # a malformed file is refused by problem()
    return [t for t in out if t.strip()]


def has_gps(path: Path) -> bool:
    """True when the image's EXIF holds a GPS position."""
    from PIL import Image

    try:
        with Image.open(path) as img:
            gps = img.getexif().get_ifd(0x8825)
    except Exception:  # unreadable images are refused elsewhere
        return False
    return bool(gps)


def published_bytes(path: Path) -> bytes:
    """The image without metadata: only the PNG chunks or JPEG segments that describe pixels."""
    data = path.read_bytes()
    if data.startswith(PNG_SIGNATURE):
        return PNG_SIGNATURE + b"".join(raw for kind, _b, raw in _png_chunks(data) if kind in _PNG_KEEP)
    if data.startswith(b"\xff\xd8"):
        kept = [raw for marker, _b, raw in _jpeg_segments(data)
                if not ((0xE0 <= marker <= 0xEF and marker not in _JPEG_KEEP_APP) or marker == 0xFE)]
        return b"\xff\xd8" + b"".join(kept)
    raise ValueError(f"{path.name} is neither PNG nor JPEG")


def _inflate(data: bytes) -> bytes:
    d = zlib.decompressobj()
    return d.decompress(data, _TEXT_CAP)


def _itxt(body: bytes) -> str:
    key, rest = body.split(b"\0", 1)
    compressed, _method = rest[0], rest[1]
    _lang, rest = rest[2:].split(b"\0", 1)
    _translated, text = rest.split(b"\0", 1)
    if compressed:
        text = _inflate(text)
    return key.decode("latin-1") + " " + text.decode("utf-8", "replace")


def _printable(body: bytes) -> str:
    """Runs of text in binary metadata: ASCII/UTF-8 and UTF-16LE (Windows XP* tags)."""
    utf8 = body.decode("utf-8", "replace")
    utf16 = body[: len(body) // 2 * 2].decode("utf-16-le", "replace")
    keep = [s for s in (utf8, utf16)]
    return "\n".join(
        " ".join(w for w in "".join(c if c.isprintable() else " " for c in text).split() if len(w) >= 2)
        for text in keep)
