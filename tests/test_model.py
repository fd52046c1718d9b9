"""The typed corpus: Wilson intervals, scores and bands, reverse references."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path

import pytest

from casebook.model import Corpus, wilson
from casebook.validate import validate
from projects import CORPUS

TODAY = dt.date(2026, 11, 1)
Z = 1.959963984540054


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    result = validate(CORPUS, today=TODAY)
    assert result.ok and result.corpus is not None
    return result.corpus


def wilson_reference(p: float, n: int) -> tuple[float, float]:
    """Wilson (1927) written the other way round: (2np + z² ± z·√(z² + 4np(1−p))) / 2(n + z²)."""
    root = Z * math.sqrt(Z * Z + 4 * n * p * (1 - p))
    return (2 * n * p + Z * Z - root) / (2 * (n + Z * Z)), (2 * n * p + Z * Z + root) / (2 * (n + Z * Z))


# -- Wilson interval ---------------------------------------------------------------------------------


@pytest.mark.parametrize("p, n, low, high", [
    (0.5, 100, 0.4038, 0.5962),  # the textbook example
    (0.0, 10, 0.0, 0.2775),  # zero successes: the upper bound is z²/(n+z²), not 0
    (1.0, 10, 0.7225, 1.0),
    (0.1, 50, 0.0435, 0.2136),
    (0.12, 200, 0.0820, 0.1723),
    (0.03, 200, 0.0138, 0.0639),
])
def test_wilson_known_values(p: float, n: int, low: float, high: float) -> None:
    iv = wilson(p, n)
    assert iv.low == pytest.approx(low, abs=5e-4)
    assert iv.high == pytest.approx(high, abs=5e-4)


@pytest.mark.parametrize("n", [1, 7, 30, 200, 10_000])
@pytest.mark.parametrize("p", [0.0, 0.01, 0.25, 0.5, 0.73, 0.99, 1.0])
def test_wilson_matches_the_reference_form(p: float, n: int) -> None:
    iv = wilson(p, n)
    low, high = wilson_reference(p, n)
    assert iv.low == pytest.approx(max(0.0, low), abs=1e-12)
    assert iv.high == pytest.approx(min(1.0, high), abs=1e-12)
    assert 0.0 <= iv.low <= p <= iv.high <= 1.0


def test_wilson_narrows_as_n_grows() -> None:
    widths = [wilson(0.2, n).high - wilson(0.2, n).low for n in (10, 100, 1000, 10000)]
    assert widths == sorted(widths, reverse=True)


def test_wilson_is_symmetric_around_one_half() -> None:
    a, b = wilson(0.3, 40), wilson(0.7, 40)
    assert a.low == pytest.approx(1 - b.high) and a.high == pytest.approx(1 - b.low)


def test_wilson_degenerate_inputs() -> None:
    assert (wilson(0.5, 0).low, wilson(0.5, 0).high) == (0.0, 1.0)
    assert (wilson(0.5, -3).low, wilson(0.5, -3).high) == (0.0, 1.0)
    assert wilson(1.7, 10) == wilson(1.0, 10)  # clamped, never outside [0, 1]
    assert wilson(-0.2, 10) == wilson(0.0, 10)


def test_evaluation_intervals_use_n_and_n_before(corpus: Corpus) -> None:
    (e,) = corpus.cases["sample-chatbot"].assessments[0].evaluations
    assert (e.n, e.before, e.after, e.n_before) == (200, 0.12, 0.03, None)
    assert e.before_interval == wilson(0.12, 200)
    assert e.after_interval == wilson(0.03, 200)
    assert e.improved  # lower is better for hallucination-rate
    e.n_before = 50
    try:
        assert e.before_interval == wilson(0.12, 50)
    finally:
        e.n_before = None


# -- scores and bands ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, band", [(1, "low"), (4, "low"), (5, "medium"), (9, "medium"), (10, "high"),
                                         (15, "high"), (16, "critical"), (25, "critical")])
def test_band_lookup(corpus: Corpus, value: int, band: str) -> None:
    assert corpus.scoring.band(value).id == band


@pytest.mark.parametrize("value", [0, 26, -1])
def test_band_lookup_outside_the_scale(corpus: Corpus, value: int) -> None:
    with pytest.raises(ValueError, match="in no band"):
        corpus.scoring.band(value)


def test_every_possible_score_has_a_band(corpus: Corpus) -> None:
    for lk in range(1, 6):
        for im in range(1, 6):
            assert corpus.scoring.band(lk * im)


def test_assessment_scores(corpus: Corpus) -> None:
    case = corpus.cases["sample-chatbot"]
    hall, priv = case.assessments
    assert (hall.inherent.value, hall.inherent.band.id) == (16, "critical")
    assert (hall.residual.value, hall.residual.band.id) == (8, "medium")
    assert (priv.inherent.value, priv.inherent.band.id) == (15, "high")
    assert (priv.residual.value, priv.residual.band.id) == (10, "high")
    assert case.highest_residual is priv
    assert case.assessment_for(corpus.risks["R-HALLUCINATION"]) is hall


def test_case_fields_are_typed(corpus: Corpus) -> None:
    case = corpus.cases["sample-chatbot"]
    assert case.is_sample and corpus.has_samples
    assert str(case.title) == "問合せ対応チャットボット（試験用）" and case.title.en == "Inquiry chatbot (test)"
    assert case.institution.region == "tohoku" and case.institution.name is None
    assert case.system.patterns == ("rag",) and case.system.hitl_mode == "handoff"
    assert {k: v.level for k, v in case.readiness.items()} == {"trl": 6, "brl": 6, "grl": 4}
    assert case.readiness["trl"].label.ja == "レベル6"
    assert (case.period_start, case.period_end, case.updated) == ("2026-04-01", "2026-09-30", "2026-10-01")
    assert case.origin.path.name == "case.yaml" and case.origin.line == 1
    assert case.assessments[1].origin.line == 35


# -- reverse references ------------------------------------------------------------------------------------


def test_risk_to_assessments_and_cases(corpus: Corpus) -> None:
    case = corpus.cases["sample-chatbot"]
    hall = corpus.risks["R-HALLUCINATION"]
    assert hall.assessments == [case.assessments[0]]
    assert hall.cases == [case]
    assert [m.id for m in hall.mitigations] == ["M-RAG-CITATION"]
    assert [m.id for m in hall.metrics] == ["hallucination-rate"]
    assert hall.clauses == []
    priv = corpus.risks["R-PRIVACY-LEAK"]
    assert priv.cases == [case]
    assert [c.id for c in priv.clauses] == ["P1-1"]


def test_provision_to_risks_and_cases(corpus: Corpus) -> None:
    case = corpus.cases["sample-chatbot"]
    appi23, appi27 = corpus.provisions["APPI-23"], corpus.provisions["APPI-27"]
    assert [r.id for r in appi23.risks] == ["R-PRIVACY-LEAK"]
    assert [r.id for r in appi27.risks] == ["R-PRIVACY-LEAK"]
    # both assessments cite APPI-23 (a programme-named risk must cite a statute: checks_legal)
    assert appi23.cases == [case] and appi23.assessments == [case.assessments[0], case.assessments[1]]
    assert appi27.cases == [] and appi27.assessments == []
    assert [c.id for c in appi23.clauses] == ["P1-1"]
    assert appi23.instrument is corpus.instruments["APPI"]
    assert corpus.instruments["APPI"].provisions == [appi23, appi27]
    assert appi23.citation == "個人情報保護法 第23条"


def test_mitigation_to_applications(corpus: Corpus) -> None:
    case = corpus.cases["sample-chatbot"]
    mask = corpus.mitigations["M-PII-MASKING"]
    (applied,) = mask.applications
    assert applied.status == "partial" and applied.mitigation is mask
    assert applied.assessment is case.assessments[1]
    assert mask.cases == [case]
    assert [r.id for r in mask.risks] == ["R-PRIVACY-LEAK"]
    assert corpus.mitigations["M-RAG-CITATION"].applications[0].status == "implemented"


def test_reverse_lists_count_each_case_once(tmp_path: Path) -> None:
    """Two cases assessing the same risk: two assessments, two cases, no duplicates."""
    root = tmp_path / "project"
    shutil.copytree(CORPUS, root)
    src = (root / "casestudies" / "sample-chatbot" / "case.yaml").read_text(encoding="utf-8")
    (root / "casestudies" / "second-case").mkdir()
    (root / "casestudies" / "second-case" / "case.yaml").write_text(
        src.replace("id: sample-chatbot", "id: second-case").replace("（試験用）", "（試験用 2）")
        .replace("(test)", "(test 2)"), encoding="utf-8")
    result = validate(root, today=TODAY)
    assert result.ok, [d.text() for d in result.report.diagnostics]
    c = result.corpus
    hall = c.risks["R-HALLUCINATION"]
    assert len(hall.assessments) == 2
    assert [case.id for case in hall.cases] == ["sample-chatbot", "second-case"]
    assert [case.id for case in c.provisions["APPI-23"].cases] == ["sample-chatbot", "second-case"]
    assert len(c.mitigations["M-PII-MASKING"].applications) == 2
    assert [case.id for case in c.mitigations["M-PII-MASKING"].cases] == ["sample-chatbot", "second-case"]


def test_corpus_lookups(corpus: Corpus) -> None:
    assert corpus.record("R-HALLUCINATION") is corpus.risks["R-HALLUCINATION"]
    assert corpus.record("APPI") is corpus.instruments["APPI"]
    assert corpus.record("sample-chatbot") is corpus.cases["sample-chatbot"]
    assert corpus.record("hallucination-rate") is corpus.metrics["hallucination-rate"]
    assert corpus.record("nothing") is None
    assert corpus.label("region", "tohoku") == "tohoku"
    assert corpus.label("region", "no-such-value") == "no-such-value"
    assert corpus.policy is not None and [c.id for c in corpus.policy.clauses] == ["P1-1"]
    assert [c.id for c in corpus.policy.clauses[0].cites] == ["R-PRIVACY-LEAK", "APPI-23"]
    assert corpus.scales["trl"].level(9).level == 9


def test_check_items_keep_ids_and_retired_items_stay_reserved(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(CORPUS, root)
    path = root / "content" / "catalog" / "mitigations.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "      - {id: M-PII-MASKING-2, ja: 検出漏れを定期的に試験している。}",
        "      - {id: M-PII-MASKING-2, ja: 検出漏れを定期的に試験している。}\n"
        "      - {id: M-PII-MASKING-3, ja: 旧い項目。, status: retired}")
    path.write_text(text, encoding="utf-8")
    result = validate(root, today=TODAY)
    assert result.ok and result.corpus is not None, [d.text() for d in result.report.errors]
    c = result.corpus
    assert list(c.check_items) == ["M-PII-MASKING-1", "M-PII-MASKING-2", "M-RAG-CITATION-1", "M-RAG-CITATION-2"]
    item = c.check_items["M-PII-MASKING-1"]
    assert item.mitigation is c.mitigations["M-PII-MASKING"] and item.risks == [c.risks["R-PRIVACY-LEAK"]]
    assert str(item) == item.ja == "マスキングの対象を定めている。"
    assert list(c.retired_check_items) == ["M-PII-MASKING-3"]


def test_linked_records_print_by_id_not_by_walking_the_record_graph(corpus):
    """A record's repr names it; the dataclass default walked every link (gigabytes for one shipped risk),
    so a failing assertion that showed a record stalled the test run instead of failing it."""
    risk = next(iter(corpus.risks.values()))
    assessment = risk.assessments[0]
    assert repr(risk) == f"Risk({risk.id!r})"
    assert repr(assessment) == f"Assessment({assessment.case.id!r}, {risk.id!r})"
    assert repr(assessment.mitigations[0]).startswith("AppliedMitigation('")
    records = [*corpus.risks.values(), *corpus.mitigations.values(), *corpus.provisions.values(),
               *corpus.instruments.values(), *corpus.metrics.values(), *corpus.cases.values(),
               *(a for c in corpus.cases.values() for a in c.assessments)]
    assert all(len(repr(r)) < 120 for r in records)
    assert len(repr(corpus)) < 200_000
