"""The compiled check must agree with jsonschema on every instance, valid or not."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.fastcheck import compiled
from casebook.load import load_file
from casebook.schema import validator
from casebook.schemas import CATALOG_KINDS
from projects import CORPUS as FIXTURE


def _docs() -> list[tuple[str, object]]:
    out = [("casestudy", load_file(p).data) for p in sorted(FIXTURE.glob("casestudies/*/case.yaml"))]
    for path in sorted(FIXTURE.glob("content/catalog/*.yaml")):
        data = load_file(path).data
        out.append((CATALOG_KINDS[next(iter(data))], data))
    return out


DOCS = _docs()
ATOMS = st.one_of(st.none(), st.booleans(), st.integers(-3, 30), st.floats(allow_nan=False),
                  st.sampled_from(["", "x", "R-HALLUCINATION", "2026-02-30", "2026-01-01", "ja", "１"]),
                  # Fresh containers on every draw: st.just({}) hands out one shared dict, so a later "add"
                  # could put it inside itself (a cycle: RecursionError in _freeze) and mutations leaked into
                  # later examples ("Inconsistent results from replaying").
                  st.builds(dict), st.builds(list), st.builds(lambda: {"ja": "x"}))


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


def _agree(stem: str, data) -> None:
    fast = compiled(stem)(data)
    slow = not any(True for _ in validator(stem).iter_errors(data))
    assert fast == slow, (stem, data)


@pytest.mark.parametrize(("stem", "data"), DOCS, ids=[s for s, _ in DOCS])
def test_valid_documents_pass_both(stem, data):
    assert compiled(stem)(data)
    _agree(stem, data)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_random_mutations_agree(data):
    stem, doc = data.draw(st.sampled_from(DOCS))
    doc = copy.deepcopy(doc)
    paths = list(_paths(doc))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        if not path:
            continue
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            action = data.draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                parent[path[-1]] = data.draw(ATOMS)
            elif action == "delete" and isinstance(parent, dict):
                del parent[path[-1]]
            elif action == "add" and isinstance(parent, dict):
                parent[data.draw(st.sampled_from(["extra", "ja", "en", "id"]))] = data.draw(ATOMS)
        except (KeyError, IndexError, TypeError):
            continue
    _agree(stem, doc)


def test_unknown_keyword_is_refused():
    from casebook.fastcheck import _Compiler

    with pytest.raises(NotImplementedError):
        _Compiler().compile({"oneOf": [{"type": "string"}]}, "common.schema.json")


