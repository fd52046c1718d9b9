"""Legal coherence of the case studies: the chain from statute to residual score, and special data.

Four checks run on the linked corpus, with their data in ``content/catalog/`` (never in code):

``residual-impact-rationale`` (error)
    A residual impact lower than the inherent one needs a ``residual_rationale``. Impact is the worst
    credible outcome (scoring catalogue); mitigations that make an event rarer do not make it milder, so a
    lower impact must say what limits the outcome.
``likelihood-evidence`` (warning)
    The residual likelihood must agree with the case's own measurements. For every evaluation whose metric
    the scoring catalogue lists under ``evidence``, the upper end of the 95% Wilson interval of the measured
    rate (after mitigation) is compared with each likelihood step's ``bounds``: ``max_rate`` always, and for
    a rate per ordinary interaction also ``max_events_per_year`` against that rate times the case's yearly
    ``volume``. A stated likelihood below the lowest step the evidence allows is reported.
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
from .model import Assessment, CaseStudy, Corpus, Evaluation, EvidenceRule, Provision, Scoring

LEGAL_CATALOG = "content/catalog/legal-checks.yaml"


def check_legal(corpus: Corpus, docs_by_path: dict[Path, Document]) -> None:
    """Run the four legal checks on every case study of the linked corpus."""
    rules = corpus.legal_checks
    if rules is None:
        first = next(iter(docs_by_path.values()), None)
        if first is not None and corpus.cases:
            first.diagnostics.append(Diagnostic(
                Location(corpus.root / LEGAL_CATALOG), "missing-catalog",
                "no `legal_checks:` catalogue: the statute and special-data checks of the case studies "
                "cannot run", f"add {LEGAL_CATALOG} (copy it from Casebook's own content)", "warning"))
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
            sdoc.error(ptr, "evidence-metric", f"metric `{mid}` is listed twice", "keep one entry per metric")
        elif metric is None:
            guess = difflib.get_close_matches(mid, list(corpus.metrics), n=1)
            sdoc.error(ptr, "evidence-metric", f"no metric with id `{mid}`",
                       f"did you mean `{guess[0]}`?" if guess else "list a metric defined in metrics.yaml")
        elif not metric.is_proportion:
            sdoc.error(ptr, "evidence-metric", f"metric `{mid}` is measured in `{metric.unit}`, not as a "
                       "proportion, so it gives no rate", "list only proportion metrics as likelihood evidence")
        seen.add(mid)


def _impact_rationale(doc: Document, ptr: Pointer, a: Assessment) -> None:
    if a.residual.impact < a.inherent.impact and a.residual_rationale is None:
        doc.error((*ptr, "residual"), "residual-impact-rationale",
                  f"residual impact {a.residual.impact} is below inherent impact {a.inherent.impact} "
                  "without a `residual_rationale`",
                  "impact is the worst credible outcome; say in `residual_rationale` which mitigation "
                  "limits that outcome, or keep the inherent impact")


def occurrence_upper(e: Evaluation, rule: EvidenceRule) -> float:
    """Upper end of the 95% Wilson interval of the rate at which the risk occurs, after mitigation."""
    interval = e.after_interval
    assert interval is not None  # evidence metrics are proportions (checked in _likelihood_evidence)
    return interval.high if rule.counts == "occurrences" else 1.0 - interval.low


def lowest_consistent_level(scoring: Scoring, upper: float, per_year: int | None) -> int:
    """The lowest likelihood step whose bounds the evidence respects (5 when none does)."""
    for step in sorted(scoring.likelihood, key=lambda s: s.level):
        if step.max_rate is not None and upper > step.max_rate:
            continue
        if step.max_events_per_year is not None and per_year is not None \
                and upper * per_year > step.max_events_per_year:
            continue
        return step.level
    return max(s.level for s in scoring.likelihood)


def _likelihood_evidence(doc: Document, ptr: Pointer, a: Assessment, case: CaseStudy, corpus: Corpus) -> None:
    scoring = corpus.scoring
    worst: tuple[int, str] | None = None
    for e in a.evaluations:
        rule = scoring.evidence.get(e.metric.id)
        if rule is None or not e.metric.is_proportion or not 0 <= e.after <= 1:
            continue
        upper = occurrence_upper(e, rule)
        per_year = case.volume.per_year if case.volume and rule.exposure == "interactions" else None
        needed = lowest_consistent_level(scoring, upper, per_year)
        if needed > a.residual.likelihood and (worst is None or needed > worst[0]):
            scale = (f" at {case.volume.interactions:,} interactions a {case.volume.per} "
                     f"(up to {upper * per_year:,.0f} events a year)" if per_year is not None else "")
            worst = (needed, f"`{e.metric.id}` after mitigation is {e.after:g} on n = {e.n} (95% upper bound "
                             f"{upper:.1%} of {'interactions' if rule.exposure == 'interactions' else 'attempts'})"
                             f"{scale}")
    if worst is None:
        return
    needed, why = worst
    label = next((s.label.ja for s in scoring.likelihood if s.level == a.residual.likelihood), "")
    hint = ("raise the residual likelihood, or measure on a larger sample"
            + ("" if case.volume else ", or state the case's `volume`")
            + "; the bounds are in the scoring catalogue")
    doc.error((*ptr, "residual", "likelihood"), "likelihood-evidence",
              f"residual likelihood {a.residual.likelihood} ({label}) contradicts the case's evidence: {why}, "
              f"which allows likelihood {needed} or higher", hint, severity="warning")


def _is_statute(p: Provision, kinds: tuple[str, ...]) -> bool:
    return p.instrument.kind in kinds


def _named_risk_statute(doc: Document, ptr: Pointer, a: Assessment, kinds: tuple[str, ...]) -> None:
    if any(_is_statute(p, kinds) for p in a.provisions):
        return
    cited = ", ".join(p.id for p in a.provisions) or "none"
    suggest = [p.id for p in a.risk.provisions if _is_statute(p, kinds)][:3]
    doc.error((*ptr, "provisions"), "named-risk-statute",
              f"the assessment of `{a.risk.id}`, a risk the programme names, cites no provision of a law or "
              f"ordinance (cited: {cited})",
              "cite the statute the risk's legal consequence falls under"
              + (f", e.g. {', '.join(suggest)} (listed on the risk)" if suggest else ""),
              severity="warning")


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
                doc.error((*ptr, "basis"), "special-data-basis",
                          f"{label} is handled on the basis of consent, but the form of consent is not stated",
                          f"add `consent: {{form: …, description: …}}`. {note}")
            elif rule is not None and sd.consent_form not in rule.consent_forms:
                accepted = ", ".join(rule.consent_forms) or "none: consent is no basis for this category"
                doc.error((*ptr, "consent", "form"), "special-data-basis",
                          f"consent in the form `{sd.consent_form}` is not a basis for {label} "
                          f"(accepted: {accepted})", note)
        elif sd.exception is None:
            doc.error((*ptr, "basis"), "special-data-basis",
                      f"{label} is handled under `{sd.basis}`, but `exception` does not say which exception "
                      "applies and why", f"add `exception:` with the provision and how the case meets it. {note}")
        if not any(_is_statute(p, rules.statute_kinds) for p in sd.provisions):
            doc.error((*ptr, "provisions"), "special-data-basis",
                      f"the legal basis for {label} cites no provision of a law or ordinance",
                      f"cite the statute (e.g. APPI-20 for 要配慮個人情報). {note}")


def _assessment_ptr(doc: Document, risk_id: str, fallback: int) -> Pointer:
    data = doc.data if isinstance(doc.data, dict) else {}
    for i, a in enumerate(data.get("assessments", [])):
        if isinstance(a, dict) and a.get("risk") == risk_id:
            return ("assessments", i)
    return ("assessments", fallback)
