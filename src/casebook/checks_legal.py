"""Legal coherence of the case studies: the chain from statute to residual score, and special data.

Four checks run on the linked corpus, with their data in ``content/catalog/`` (never in code):

``residual-impact-rationale`` (error)
    A residual impact lower than the inherent one needs a ``residual_rationale``. Impact is the worst
    credible outcome (scoring catalogue); mitigations that make an event rarer do not make it milder, so a
    lower impact must say what limits the outcome.
``likelihood-evidence`` (warning)
    The residual likelihood must agree with the case's own measurements. For every evaluation whose metric
    the scoring catalogue lists under ``evidence``, the upper end of the 95% Wilson interval of the measured
    rate (after mitigation) is compared with each likelihood step's ``bounds``: ``max_rate`` always, and
    ``max_events_per_year`` against that rate times the yearly count it applies to: the case's ``volume``
    for a rate per ordinary interaction, and for a rate per attempt the volume times the evaluation's
    ``attempt_share`` (the assumed share of the volume that are attempts; P4-2 scales these too). A per-attempt
    rate without ``attempt_share`` is compared with ``max_rate`` only. A stated likelihood below the lowest
    step the evidence allows is reported.
``named-risk-statute`` (warning)
    Each assessment of a risk the programme names cites at least one provision of a statute: an instrument
    whose kind ``legal-checks.yaml`` lists under ``statute_kinds`` (law, cabinet order, ministerial
    ordinance). Guidelines and supervisory guidance alone do not carry the chain from law to score.
``special-data-basis`` (error)
    A case that declares it handles 要配慮個人情報, 機微情報 or 個人番号 states the legal basis: consent in a
    form ``legal-checks.yaml`` accepts for that category (with how it is obtained), or the exception relied
    on; and cites at least one provision of a statute.

``evidence-metric`` (error)
    Every metric the scoring catalogue lists under ``evidence`` exists and is a proportion; otherwise the
    likelihood check would silently skip the evaluations it was meant to read.

``missing-catalog`` (warning) says when ``legal-checks.yaml`` is absent, since the last two checks need it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .diagnostics import Diagnostic
from .errors import Location
from .load import Document, Pointer
from .messages import Term
from .model import Assessment, CaseStudy, Corpus, Evaluation, EvidenceRule, Provision, Scoring

LEGAL_CATALOG = "content/catalog/legal-checks.yaml"


def check_legal(corpus: Corpus, docs_by_path: dict[Path, Document]) -> None:
    """Run the four legal checks on every case study of the linked corpus."""
    rules = corpus.legal_checks
    if rules is None:
        first = next(iter(docs_by_path.values()), None)
        if first is not None and corpus.cases:
            first.diagnostics.append(Diagnostic(Location(corpus.root / LEGAL_CATALOG), "missing-catalog",
                                                {"kind": "legal_checks", "file": str(LEGAL_CATALOG)},
                                                "warning", variant="legal"))
    _evidence_metrics(corpus, docs_by_path)
    for case in corpus.cases.values():
        doc = docs_by_path[case.origin.path]
        for i, a in enumerate(case.assessments):
            ptr = _assessment_ptr(doc, a.risk.id, i)
            _impact_rationale(doc, ptr, a)
            _likelihood_evidence(doc, ptr, a, case, corpus)
            if rules is not None and a.risk.programme_named:
                _named_risk_statute(doc, ptr, a, rules.statute_kinds)
        if rules is not None:
            _special_data(doc, case, corpus)


def _evidence_metrics(corpus: Corpus, docs_by_path: dict[Path, Document]) -> None:
    sdoc = next((d for d in docs_by_path.values() if isinstance(d.data, dict) and "scoring" in d.data), None)
    if sdoc is None:
        return
    entries = sdoc.data["scoring"].get("evidence") if isinstance(sdoc.data.get("scoring"), dict) else None
    seen: set[str] = set()
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        mid = entry.get("metric") if isinstance(entry, dict) else None
        if not isinstance(mid, str):
            continue  # the schema has reported it
        ptr = ("scoring", "evidence", i, "metric")
        metric = corpus.metrics.get(mid)
        if mid in seen:
            sdoc.error(ptr, "evidence-metric", {"id": mid})
        elif metric is None:
            guess = difflib.get_close_matches(mid, list(corpus.metrics), n=1)
            sdoc.error(ptr, "evidence-metric", {"id": mid, "guess": guess[0] if guess else ""},
                       variant="unknown" if guess else "unknown-list")
        elif not metric.is_proportion:
            sdoc.error(ptr, "evidence-metric", {"id": mid, "unit": metric.unit}, variant="not-proportion")
        seen.add(mid)


def _impact_rationale(doc: Document, ptr: Pointer, a: Assessment) -> None:
    if a.residual.impact < a.inherent.impact and a.residual_rationale is None:
        doc.error((*ptr, "residual"), "residual-impact-rationale",
                  {"residual": a.residual.impact, "inherent": a.inherent.impact})


def occurrence_upper(e: Evaluation, rule: EvidenceRule) -> float:
    """Upper end of the 95% Wilson interval of the rate at which the risk occurs, after mitigation."""
    interval = e.after_interval
    assert interval is not None  # evidence metrics are proportions (checked in _likelihood_evidence)
    return interval.high if rule.counts == "occurrences" else 1.0 - interval.low


def lowest_consistent_level(scoring: Scoring, upper: float, per_year: float | None) -> int:
    """The lowest likelihood step whose bounds the evidence respects (5 when none does)."""
    for step in sorted(scoring.likelihood, key=lambda s: s.level):
        if step.max_rate is not None and upper > step.max_rate:
            continue
        if step.max_events_per_year is not None and per_year is not None \
                and upper * per_year > step.max_events_per_year:
            continue
        return step.level
    return max(s.level for s in scoring.likelihood)


def _exposure_per_year(case: CaseStudy, rule: EvidenceRule, e: Evaluation) -> float | None:
    """Yearly count the rate applies to: the case's volume for a rate per interaction, and for a rate per
    attempt the volume times the share of it the case assumes to be attempts (P4-2); None when unknown."""
    if case.volume is None:
        return None
    if rule.exposure == "interactions":
        return case.volume.per_year
    if e.attempt_share is not None:
        return case.volume.per_year * e.attempt_share
    return None


def _likelihood_evidence(doc: Document, ptr: Pointer, a: Assessment, case: CaseStudy, corpus: Corpus) -> None:
    scoring = corpus.scoring
    worst: tuple[int, dict, str] | None = None
    for e in a.evaluations:
        rule = scoring.evidence.get(e.metric.id)
        if rule is None or not e.metric.is_proportion or not 0 <= e.after <= 1:
            continue
        upper = occurrence_upper(e, rule)
        per_year = _exposure_per_year(case, rule, e)
        needed = lowest_consistent_level(scoring, upper, per_year)
        if needed > a.residual.likelihood and (worst is None or needed > worst[0]):
            params = {"metric": e.metric.id, "after": f"{e.after:g}", "n": e.n, "upper": f"{upper:.1%}",
                      "exposure": Term("interactions" if rule.exposure == "interactions" else "attempts")}
            variant = "" if case.volume else "no-volume"
            if per_year is not None and case.volume is not None:
                params.update(interactions=f"{case.volume.interactions:,}", per=Term(case.volume.per),
                              events=f"{upper * per_year:,.0f}")
                variant = "volume"
                if rule.exposure != "interactions":
                    params["share"] = f"{e.attempt_share:.1%}"
                    variant = "share"
            worst = (needed, params, variant)
    if worst is None:
        return
    needed, params, variant = worst
    label = next((s.label.ja for s in scoring.likelihood if s.level == a.residual.likelihood), "")
    doc.error((*ptr, "residual", "likelihood"), "likelihood-evidence",
              {**params, "level": a.residual.likelihood, "label": label, "needed": needed}, variant=variant)


def _is_statute(p: Provision, kinds: tuple[str, ...]) -> bool:
    return p.instrument.kind in kinds


def _named_risk_statute(doc: Document, ptr: Pointer, a: Assessment, kinds: tuple[str, ...]) -> None:
    if any(_is_statute(p, kinds) for p in a.provisions):
        return
    suggest = [p.id for p in a.risk.provisions if _is_statute(p, kinds)][:3]
    doc.error((*ptr, "provisions"), "named-risk-statute",
              {"risk": a.risk.id, "cited": [p.id for p in a.provisions] or Term("none"), "suggest": suggest},
              variant="suggest" if suggest else "")


def _special_data(doc: Document, case: CaseStudy, corpus: Corpus) -> None:
    rules = corpus.legal_checks
    assert rules is not None
    for i, sd in enumerate(case.special_data):
        ptr = ("special_data", i)
        rule = rules.special_data.get(sd.category)
        label = corpus.label("special_data_category", sd.category)
        note = rule.basis_note.ja if rule else ""
        if sd.basis == "consent":
            if sd.consent_form is None:
                doc.error((*ptr, "basis"), "special-data-basis", {"label": label, "note": note})
            elif rule is not None and sd.consent_form not in rule.consent_forms:
                accepted = list(rule.consent_forms) or Term("no-consent-basis")
                doc.error((*ptr, "consent", "form"), "special-data-basis",
                          {"label": label, "note": note, "form": sd.consent_form, "accepted": accepted},
                          variant="consent-form")
        elif sd.exception is None:
            doc.error((*ptr, "basis"), "special-data-basis", {"label": label, "note": note, "basis": sd.basis},
                      variant="exception")
        if not any(_is_statute(p, rules.statute_kinds) for p in sd.provisions):
            doc.error((*ptr, "provisions"), "special-data-basis", {"label": label, "note": note}, variant="statute")


def _assessment_ptr(doc: Document, risk_id: str, fallback: int) -> Pointer:
    data = doc.data if isinstance(doc.data, dict) else {}
    for i, a in enumerate(data.get("assessments", [])):
        if isinstance(a, dict) and a.get("risk") == risk_id:
            return ("assessments", i)
    return ("assessments", fallback)
