"""One description per field: every schema property has its model field, and a case-study field its place on
the site page and in the report chapter (issue 16). When a test here fails, its message names the place that
was forgotten. Deliberate differences are listed below with the reason."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from casebook import model
from casebook.schemas import schema_for

REPO = Path(__file__).resolve().parents[1]

# (schema stem, JSON pointer to the object schema, model class, schema key → model field(s), keys that are
# not model fields (why), model fields that are not schema keys (why))
CASES = [
    ("casestudy", "", model.CaseStudy,
     {"period": ("period_start", "period_end")},
     {"pii_allow": "validation only: an allowance is checked, never published"},
     {"origin": "where the record came from", "folder": "the case folder, for images"}),
    ("casestudy", "$defs/assessment", model.Assessment,
     {},
     {},
     {"case": "back-pointer", "origin": "where the assessment came from (for diagnostics)"}),
    ("risks", "$defs/risk", model.Risk, {}, {},
     {"origin": "source", "assessments": "reverse list", "clauses": "reverse list", "metrics": "reverse list",
      "mitigations": "reverse list (declared on the mitigation)"}),
    ("mitigations", "$defs/mitigation", model.Mitigation, {"mitigates": ("risks",)}, {},
     {"origin": "source", "applications": "reverse list", "clauses": "reverse list",
      "retired_items": "check items with status retired, kept apart from checklist"}),
    ("provisions", "$defs/provision", model.Provision, {}, {},
     {"origin": "source", "assessments": "reverse list", "clauses": "reverse list", "mitigations": "reverse list",
      "risks": "reverse list", "declarations": "reverse list (special data)"}),
    ("instruments", "$defs/instrument", model.Instrument, {}, {}, {"origin": "source", "provisions": "reverse list"}),
    ("metrics", "$defs/metric", model.Metric, {}, {}, {"origin": "source"}),
    ("frameworks", "$defs/framework", model.Framework, {}, {}, {"origin": "source"}),
]


def _schema_object(stem: str, pointer: str) -> dict:
    node = schema_for(stem)
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node


def _model_fields(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


@pytest.mark.parametrize(("stem", "pointer", "cls", "renamed", "schema_only", "model_only"), CASES,
                         ids=[f"{c[0]}:{c[2].__name__}" for c in CASES])
def test_schema_and_model_describe_the_same_fields(stem, pointer, cls, renamed, schema_only, model_only):
    keys = set(_schema_object(stem, pointer)["properties"])
    fields = _model_fields(cls)
    expected = set()
    for key in keys - set(schema_only):
        expected.update(renamed.get(key, (key,)))
    missing_in_model = sorted(expected - fields)
    assert not missing_in_model, f"{cls.__name__} has no field for schema key(s) {missing_in_model} ({stem})"
    extra = sorted(fields - expected - set(model_only))
    assert not extra, f"{cls.__name__} field(s) {extra} are in no schema ({stem}); list them with the reason"


# Case-study fields and where each output shows them. A new field shown nowhere fails here by name.
NOT_SHOWN = {
    "id": "in the URL and the page's ID row", "origin": "internal", "folder": "internal",
    "replaced_by": "only for retired cases (banner)", "provenance": "shown as the sample banner",
    "status": "shown as the draft/retired banner", "assessments": "rendered by the assessment loop",
}


#: Fields a template shows through a context value computed in Python rather than as ``case.<field>``.
THROUGH_CONTEXT = {
    "src/casebook/templates/site/casestudy.md.j2": {"readiness": "rows from SiteRenderer._readiness"},
    "src/casebook/templates/report/case.html.j2": {"title": "the chapter heading (m.heading) from the report plan"},
}


@pytest.mark.parametrize("template", sorted(THROUGH_CONTEXT))
def test_every_case_study_field_has_a_place_in_each_output(template):
    text = (REPO / template).read_text(encoding="utf-8")
    used = set(re.findall(r"\bcase\.([a-z_]+)", text)) | set(THROUGH_CONTEXT[template])
    forgotten = sorted(f for f in _model_fields(model.CaseStudy) if f not in used and f not in NOT_SHOWN)
    assert not forgotten, f"{template} does not show case field(s) {forgotten}"


ENUMS = [
    (model.RecordStatus, "common", "$defs/status"),
    (model.CaseStatus, "casestudy", "properties/status"),
    (model.Provenance, "casestudy", "properties/provenance"),
    (model.MitigationKind, "mitigations", "$defs/mitigation/properties/kind"),
    (model.MitigationType, "mitigations", "$defs/mitigation/properties/type"),
    (model.ApplicationStatus, "casestudy", "$defs/assessment/properties/mitigations/items/properties/status"),
    (model.InstrumentKind, "instruments", "$defs/instrument/properties/kind"),
]


@pytest.mark.parametrize(("enum", "stem", "pointer"), ENUMS, ids=[e[0].__name__ for e in ENUMS])
def test_model_enums_hold_exactly_the_schema_values(enum, stem, pointer):
    assert [e.value for e in enum] == _schema_object(stem, pointer)["enum"]
