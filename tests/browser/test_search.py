"""Japanese search recall on the committed reader queries, in the real browser."""

from __future__ import annotations

import json

from .conftest import recall

R_AT_10 = 0.95
P_AT_1 = 0.90
MAX_MEAN_RESULTS = 30  # a list a reader can scan


def test_search_recall(page, base_url, site_dir):
    queries = recall.load_queries()
    assert len(queries) >= 50
    results = recall.evaluate(page, base_url, queries)
    summary = recall.summarise(results, site_dir)
    recall.print_table(results, summary)
    missed = [r.query for r in results if not r.r10]
    assert summary["r_at_10"] >= R_AT_10, f"R@10 {summary['r_at_10']} < {R_AT_10}; missed {missed}"
    assert summary["p_at_1"] >= P_AT_1, json.dumps(summary, ensure_ascii=False)
    assert summary["mean_results"] <= MAX_MEAN_RESULTS, json.dumps(summary, ensure_ascii=False)


def test_english_terms_still_found(page, base_url):
    """lang ja keeps English prefix matching (no stemmer breaking injection / leakage)."""
    recall.open_search(page, base_url)
    for q in ("injection", "leakage", "OWASP", "RAG"):
        hrefs, total = recall.run_query(page, q)
        assert total > 0 and hrefs, q


def test_search_index_is_small(site_dir):
    import gzip

    raw = (site_dir / "search" / "search_index.json").read_bytes()
    gz = len(gzip.compress(raw, 9))
    data = json.loads(raw)
    assert "kw" in data["config"]["fields"], "enhance_index did not run"
    assert gz < 250_000, f"search index is {gz} bytes gzipped"
