"""The PII scan's one-search prefilter never hides a finding the detectors would make."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook import pii

# The characters the detectors and normalise() react to, and ordinary prose around them.
_PIECES = [*"0123456789０１２３４５６７８９〇一二三四五六七八九 -‐ー－.・/_()@＠〒+",
    "丁目", "番地", "番", "口座", "普通預金", "支店番号", "東京都", "大阪府", "神奈川県", "横浜市", "中区",
    "[at]", "アットマーク", " at ", " dot ", "example.com", "mail.co.jp", "Tel", "電話", "件", "年", "の",
    "\u200b", "\u00ad", "①", "²",
]


def _all_findings(text: str, prefilter: re.Pattern) -> list[pii.Finding]:
    saved = pii._ANY_DETECTOR
    pii._ANY_DETECTOR = prefilter
    try:
        return list(pii.scan(text))
    finally:
        pii._ANY_DETECTOR = saved


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_prefilter_keeps_every_finding(text: str) -> None:
    everything = re.compile("")  # the scan as it was before the prefilter
    assert list(pii.scan(text)) == _all_findings(text, everything)


@pytest.mark.parametrize("text", [
    "電話 03-1234-5678 まで", "個人番号 1234 5678 9018", "カード 4111 1111 1111 1111", "yamada@mail.co.jp",
    "普通預金 1234567", "〒100-0001 東京都千代田区", "東京都千代田区千代田1丁目1番1", "090 1234 5678",
    "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
])
def test_prefilter_lets_each_detector_shape_through(text: str) -> None:
    assert pii._ANY_DETECTOR.search(pii.normalise(text)), text
