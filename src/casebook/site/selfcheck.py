"""The self-check page's data: questions, rules and the checklist, embedded in the page as JSON.

The page works without a server (``file://``): the browser script reads this JSON from the page itself, never
fetches anything. Applicability comes from ``content/catalog/self-check.yaml``, not from code.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Corpus
from ..render.prose import Href
from .adoption import article_numbers, check_rows, messages

FORMAT = "casebook-self-check"
FORMAT_VERSION = 1


def self_check_data(corpus: Corpus, href: Href) -> dict[str, Any]:
    sc = corpus.self_check
    from .exports import CSV_COLUMNS, checklist_values

    rows = check_rows(corpus)
    numbers = article_numbers(corpus.policy)
    labels = messages()["columns"]
    mitigations: dict[str, Any] = {}
    for r in rows:
        m = mitigations.setdefault(r.mitigation.id, {
            "name": r.mitigation.name.ja, "url": href(r.mitigation.id), "kind": r.kind, "type": r.type,
            "risks": [x.id for x in r.risks], "items": []})
        m["items"].append({"id": r.item.id, "text": r.item.ja})
    return {
        "format": FORMAT, "version": FORMAT_VERSION, "publication": corpus.publication.title.ja,
        "edition": corpus.publication.edition,
        "statuses": messages()["statuses"],
        "questions": [{"id": q.id, "label": q.label.ja,
                       "options": [{"id": o.id, "label": o.label.ja} for o in q.options]}
                      for q in (sc.questions if sc else ())],
        "always": [r.id for r in (sc.always if sc else ())],
        "rules": [{"when": {k: list(v) for k, v in rule.when.items()}, "risks": [r.id for r in rule.risks],
                   "provisions": [p.id for p in rule.provisions]} for rule in (sc.rules if sc else ())],
        "examples": [{"case": e.case, "title": corpus.cases[e.case].title.ja if e.case in corpus.cases else e.case,
                      "answers": {k: list(v) for k, v in e.answers.items()}} for e in (sc.examples if sc else ())],
        "risks": {r.id: {"name": r.name.ja, "url": href(r.id), "provisions": [p.id for p in r.provisions]}
                  for r in corpus.risks.values() if r.status != "retired"},
        "provisions": {p.id: {"name": f"{p.citation}（{p.title.ja}）", "url": href(p.id)}
                       for p in corpus.provisions.values()},
        "mitigations": mitigations,
        "retired_items": sorted(corpus.retired_check_items),
        # The CSV export has checklist.csv's columns (and a メモ column), so a bank can merge the two.
        "csv": {"header": [labels[k] for k in (*CSV_COLUMNS, "note")],
                "rows": {r.item.id: checklist_values(r, numbers) for r in rows}},
    }


def embedded_json(data: dict[str, Any]) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # Private-use characters are the site's fragment markers: written as escapes, never as themselves.
    return "".join(f"\\u{ord(ch):04x}" if "\ue000" <= ch <= "\uf8ff" else ch for ch in text)


def embedded_script(data: dict[str, Any]) -> str:
    """The page's data element (finished HTML, stored as a fragment so Markdown never reads it)."""
    return f'<script type="application/json" id="self-check-data">{embedded_json(data)}</script>'
