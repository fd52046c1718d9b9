"""PII scan: true positives, true negatives on ordinary figures, and the pii_allow mechanism."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from casebook import pii
from casebook.validate import validate
from projects import CORPUS

TODAY = dt.date(2026, 11, 1)


def found(text: str) -> list[tuple[str, str]]:
    return [(f.code, f.text) for f in pii.scan(text)]


# -- reference implementations (written from the specifications, not from pii.py) -------------------


def my_number_check_digit(body: str) -> int:
    """個人番号の検査用数字 (総務省令第85号 第5条): body is the first 11 digits."""
    total = 0
    for n in range(1, 12):
        p = int(body[-n])  # n-th digit from the right of the 11-digit body
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    rem = total % 11
    return 0 if rem <= 1 else 11 - rem


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d // 10 + d % 10
    return total % 10 == 0


@pytest.mark.parametrize("body", ["12345678901", "98765432109", "31415926535", "20260401123", "00000000001"])
def test_exactly_one_check_digit_makes_a_my_number(body: str) -> None:
    hits = [c for c in range(10) if found(f"番号 {body}{c} を記録")]
    assert hits == [my_number_check_digit(body)]


def test_reference_check_digit_known_value() -> None:
    assert my_number_check_digit("12345678901") == 8  # 123456789018 is the commonly cited sample


@pytest.mark.parametrize("prefix", ["4111111111111", "550000000000", "3782822463100", "601111111111111"])
def test_exactly_one_luhn_digit_makes_a_card(prefix: str) -> None:
    hits = [c for c in range(10) if any(code == "pii-card" for code, _ in found(f"カード {prefix}{c}"))]
    assert hits == [c for c in range(10) if luhn_valid(f"{prefix}{c}")]
    assert len(hits) == 1


# -- true positives ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, code, quoted", [
    ("顧客の個人番号 123456789018 が残った", "pii-my-number", "123456789018"),
    ("個人番号: 1234 5678 9018", "pii-my-number", "1234 5678 9018"),
    ("個人番号 1234-5678-9018。", "pii-my-number", "1234-5678-9018"),
    ("個人番号１２３４５６７８９０１８", "pii-my-number", "123456789018"),  # full-width digits are folded
    ("カード 4111111111111111 を入力", "pii-card", "4111111111111111"),
    ("カード 4111 1111 1111 1111", "pii-card", "4111 1111 1111 1111"),
    ("カード 5500-0000-0000-0004", "pii-card", "5500-0000-0000-0004"),
    ("AMEX 378282246310005", "pii-card", "378282246310005"),
    ("電話 03-1234-5678 まで", "pii-phone", "03-1234-5678"),
    ("携帯 090-1234-5678", "pii-phone", "090-1234-5678"),
    ("携帯 08012345678", "pii-phone", "08012345678"),
    ("フリーダイヤル 0120-123-456", "pii-phone", "0120-123-456"),
    ("0120123456 に電話", "pii-phone", "0120123456"),
    ("国際 +81 90 1234 5678", "pii-phone", "+81 90 1234 5678"),
    ("大阪 06-6123-4567", "pii-phone", "06-6123-4567"),
    ("札幌 011-123-4567", "pii-phone", "011-123-4567"),
    ("電話 03(1234)5678", "pii-phone", "03(1234)5678"),
    ("IP電話 050-1234-5678", "pii-phone", "050-1234-5678"),
    ("連絡先 taro.yamada@bank.co.jp", "pii-email", "taro.yamada@bank.co.jp"),
    ("連絡先 a+b@mail.examples.com", "pii-email", "a+b@mail.examples.com"),
    ("偽装 user@example.com.attacker.jp", "pii-email", "user@example.com.attacker.jp"),
    ("普通預金 口座番号 1234567 の照会", "pii-account", "口座番号 1234567"),
    ("普通 1234567", "pii-account", "普通 1234567"),
    ("口座番号：0012345", "pii-account", "口座番号:0012345"),  # findings quote the NFKC-folded text
    ("当座預金 12345678", "pii-account", "当座預金 12345678"),
    ("口座番号は123-4567890", "pii-account", "口座番号は123-4567890"),
    ("〒980-0021 宮城県仙台市", "pii-address", "〒980-0021"),
    ("住所 980-0021 宮城県仙台市", "pii-address", "980-0021"),
    ("東京都千代田区千代田1丁目1番1号", "pii-address", "東京都千代田区千代田1丁目1番1"),
    ("宮城県仙台市青葉区中央2丁目3-4", "pii-address", "宮城県仙台市青葉区中央2丁目3-4"),
])
def test_true_positive(text: str, code: str, quoted: str) -> None:
    assert (code, quoted) in found(text)


def test_grouped_card_is_not_also_a_my_number() -> None:
    assert found("カード 4111 1111 1111 1111") == [("pii-card", "4111 1111 1111 1111")]


def test_several_findings_in_one_text() -> None:
    codes = [c for c, _ in found("電話 090-1234-5678、メール a@bank.co.jp、個人番号 123456789018")]
    assert sorted(codes) == ["pii-email", "pii-my-number", "pii-phone"]


# -- true negatives: ordinary figures ------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "2026年4月1日に開始した。",
    "令和8年度の計画",
    "費用は1,200万円、うち300万円は補助金。",
    "年間 12億3,456万円",
    "条項 APPI-23 と FSPA-4、リスク R-HALLUCINATION。",
    "法令ID 415AC0000000057",
    "https://laws.e-gov.go.jp/law/415AC0000000057",
    "期間 2026-04-01 から 2026-09-30",
    "20260401 付けで改訂",
    "n=200 で評価、n = 1,000 で再評価",
    "正答率は 95.5% から 98% に上がった",
    "誤回答率 0.12 → 0.03",
    "平成15年法律第57号",
    "昭和56年法律第59号第3条第2項",
    "連絡先 info@example.com",
    "連絡先 taro@example.jp と hanako@mail.example.co.jp",
    "テスト用 user@host.test と a@b.invalid",
    "123456789012",  # 12 digits whose check digit is wrong
    "個人番号の例 123456789019",
    "4111 1111 1111 1112",  # Luhn-invalid 16 digits
    "1234 5678 9018 0000",  # Luhn-invalid; its first 12 digits pass the My Number check
    "4111111111111112",
    "0000 0000 0000 0000",
    "000000000000",
    "問合せ 12,345件、1日平均 1,234件",
    "口座数 1,234,567口座",
    "支店数 120店舗、支店番号 123",
    "普通預金 3,000件の照会",
    "第2章第3節 1-2-3",
    "ISO/IEC 27001:2022 と ISO 9001",
    "バージョン 2026.04.01 と 1.2.3",
    "評価用質問 200 問を担当者が判定した。",
    "所要時間 2.5 時間、応答 0.8 秒",
    "0.1234567890",
    "宮城県の地方銀行が東京都内に支店を置く",
    "電話番号は記載しない",
    "ID 12345-67890",
    "ハッシュ 1a2b3c4d5e6f7a8b9c0d",
])
def test_true_negative(text: str) -> None:
    assert found(text) == []


# -- pii_allow ---------------------------------------------------------------------------------------


def project(tmp_path: Path, findings: str, allow: str = "") -> Path:
    root = tmp_path / "project"
    shutil.copytree(CORPUS, root)
    case = root / "casestudies" / "sample-chatbot" / "case.yaml"
    text = case.read_text(encoding="utf-8").replace("findings: {ja: マスキングの検出漏れが残る。}",
                                                    f"findings: {{ja: \"{findings}\"}}")
    case.write_text(text + allow, encoding="utf-8")
    return root


def result_codes(root: Path) -> list[tuple[str, str, int]]:
    return [(d.code, d.severity, d.location.line)
            for d in validate(root, today=TODAY).report.diagnostics]


def test_finding_is_an_error_at_its_field(tmp_path: Path) -> None:
    assert result_codes(project(tmp_path, "代表電話 03-1234-5678 に掲載")) == [("pii-phone", "error", 41)]


def test_allowance_quoting_the_text_with_a_reason_silences_it(tmp_path: Path) -> None:
    allow = 'pii_allow:\n  - {text: "03-1234-5678", reason: "銀行の代表電話で、公開されている番号。"}\n'
    root = project(tmp_path, "代表電話 03-1234-5678 に掲載", allow)
    result = validate(root, today=TODAY)
    assert result.report.diagnostics == [] and result.ok


def test_allowance_may_quote_surrounding_context(tmp_path: Path) -> None:
    allow = 'pii_allow:\n  - {text: "代表電話 03-1234-5678", reason: "銀行の代表電話で、公開されている番号。"}\n'
    assert result_codes(project(tmp_path, "代表電話 03-1234-5678 に掲載", allow)) == []


def test_allowance_in_full_width_matches_half_width(tmp_path: Path) -> None:
    allow = 'pii_allow:\n  - {text: "０３-１２３４-５６７８", reason: "銀行の代表電話で、公開されている番号。"}\n'
    assert result_codes(project(tmp_path, "代表電話 03-1234-5678 に掲載", allow)) == []


def test_fragment_allowance_does_not_silence_the_finding(tmp_path: Path) -> None:
    allow = 'pii_allow:\n  - {text: "5678", reason: "番号の一部なので問題ないと考えた。"}\n'
    got = result_codes(project(tmp_path, "代表電話 03-1234-5678 に掲載", allow))
    assert ("pii-phone", "error", 41) in got
    assert ("unused-allowance", "warning", 45) in got


def test_allowance_covers_only_what_it_quotes(tmp_path: Path) -> None:
    allow = 'pii_allow:\n  - {text: "03-1234-5678", reason: "銀行の代表電話で、公開されている番号。"}\n'
    got = result_codes(project(tmp_path, "代表 03-1234-5678、担当 090-1111-2222", allow))
    assert got == [("pii-phone", "error", 41)]


def test_unused_allowance_is_a_warning_at_the_entry(tmp_path: Path) -> None:
    allow = ('pii_allow:\n  - {text: "03-9999-0000", reason: "以前の版に載っていた代表電話番号。"}\n'
             '  - {text: "03-1234-5678", reason: "銀行の代表電話で、公開されている番号。"}\n')
    root = project(tmp_path, "代表電話 03-1234-5678 に掲載", allow)
    result = validate(root, today=TODAY)
    assert result.ok  # a warning does not fail …
    (d,) = result.report.diagnostics
    assert (d.code, d.severity, d.field) == ("unused-allowance", "warning", "/pii_allow/0")
    assert (d.location.line, d.location.column) == (45, 5)
    assert result.report.failed(strict=True)  # … unless --strict


def test_allowance_needs_a_reason(tmp_path: Path) -> None:
    allow = 'pii_allow:\n  - {text: "03-1234-5678"}\n'
    got = result_codes(project(tmp_path, "代表電話 03-1234-5678 に掲載", allow))
    assert ("missing-field", "error", 45) in got


def test_allowance_is_per_file(tmp_path: Path) -> None:
    root = project(tmp_path, "代表電話 03-1234-5678 に掲載",
                   'pii_allow:\n  - {text: "03-1234-5678", reason: "銀行の代表電話で、公開されている番号。"}\n')
    other = root / "casestudies" / "other-case"
    other.mkdir()
    text = (root / "casestudies" / "sample-chatbot" / "case.yaml").read_text(encoding="utf-8")
    text = text.replace("id: sample-chatbot", "id: other-case").split("pii_allow:")[0]
    text = text.replace("（試験用）", "（試験用 2）").replace("(test)", "(test 2)")  # titles are unique
    (other / "case.yaml").write_text(text, encoding="utf-8")
    errors = validate(root, today=TODAY).report.errors
    assert [(d.code, d.location.path.parent.name) for d in errors] == [("pii-phone", "other-case")]


def test_catalogue_text_is_scanned_too(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(CORPUS, root)
    f = root / "content" / "catalog" / "glossary.yaml"
    text = f.read_text(encoding="utf-8").replace("検索した文書を", "問合せは a@bank.co.jp へ。検索した文書を")
    f.write_text(text, encoding="utf-8")
    errors = validate(root, today=TODAY).report.errors
    assert [(d.code, d.location.path.name) for d in errors] == [("pii-email", "glossary.yaml")]


def test_keys_and_values_everywhere_are_scanned(tmp_path: Path) -> None:
    root = project(tmp_path, "問題なし")
    case = root / "casestudies" / "sample-chatbot" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8") + "contributors:\n  - {name: 山田 090-1234-5678, role: author}\n",
                    encoding="utf-8")
    assert result_codes(root) == [("pii-phone", "error", 45)]
