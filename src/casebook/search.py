"""Post-build enhancement of Material's search index (owned by the search engineer).

This placeholder returns the index unchanged; the plugin calls it on ``site/search/search_index.json``.
"""

from __future__ import annotations


def enhance_index(index: dict) -> dict:
    """Return the search index to write back (identity until the search work lands)."""
    return index
