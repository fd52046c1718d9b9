"""The PII scan after normalisation: the synthetic corpus of 100 forms is found, public bank text and the
shipped records raise no alarm, and organisations' numbers come from content/catalog/pii_public.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from casebook import pii
from casebook.validate import load_public_numbers
from projects import FIXTURES as _ALL_FIXTURES

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = _ALL_FIXTURES / "pii"
POSITIVES = yaml.safe_load((FIXTURES / "positives.yaml").read_text(encoding="utf-8"))["positives"]
BANK = yaml.safe_load((FIXTURES / "bank_public_text.yaml").read_text(encoding="utf-8"))["texts"]
PUBLIC = load_public_numbers(ROOT)


def test_the_corpus_has_100_forms() -> None:
    assert len(POSITIVES) == 100
    assert len({p["form"] + p["code"] for p in POSITIVES}) == 100


@pytest.mark.parametrize("item", POSITIVES, ids=lambda p: f"{p['code']}:{p['form']}")
def test_every_form_is_found(item: dict) -> None:
    assert item["code"] in {f.code for f in pii.scan(item["text"], PUBLIC)}


@pytest.mark.parametrize("text", BANK, ids=lambda t: t[:20])
def test_public_bank_text_raises_no_alarm(text: str) -> None:
    assert [f.text for f in pii.scan(text, PUBLIC)] == []


def test_public_numbers_are_data_with_reasons() -> None:
    assert PUBLIC is not None and "0120" in PUBLIC.prefixes
    data = yaml.safe_load((ROOT / "content" / "catalog" / "pii_public.yaml").read_text(encoding="utf-8"))
    assert all(len(e["reason"]) >= 10 for e in data["pii_public"]["prefixes"] + data["pii_public"]["numbers"])
    # without the data the same toll-free number is reported: the exception lives in the catalogue
    assert [f.code for f in pii.scan("フリーダイヤル 0120-123-456")] == ["pii-phone"]
    assert list(pii.scan("フリーダイヤル 0120-123-456", PUBLIC)) == []
    # a private mobile number next to it is still found
    assert [f.text for f in pii.scan("代表 0120-123-456、担当 090‐1111‐2222", PUBLIC)] == ["090-1111-2222"]


@pytest.mark.parametrize("text, normalised", [
    ("1234\u00ad5678\u00ad9018", "123456789018"),
    ("０９０ー１２３４ー５６７８", "090-1234-5678"),
    ("〇九〇一二三四五六七八", "09012345678"),
    ("taro[at]gmail[dot]com", "taro@gmail.com"),
    ("データの一二件", "データの一二件"),  # a katakana word and a short kanji number are left alone
    ("年0.125%", "年0.125%"),
    ("（０３）１２３４－５６７８", "03-1234-5678"), ("(0.5)", "(0.5)"),
    ("taro アット gmail ドット com", "taro@gmail.com"), ("アットホームな店舗", "アットホームな店舗"),
    ("taro ＠ docomo . ne . jp", "taro@docomo.ne.jp"),
])
def test_normalise(text: str, normalised: str) -> None:
    assert pii.normalise(text) == normalised
