"""Post-processing of Material for MkDocs' search index (no MkDocs imports).

``enhance_index`` is called by the MkDocs plugin on ``site/search/search_index.json``
in ``on_post_build``. Placeholder: returns the index unchanged.
"""

from __future__ import annotations


def enhance_index(index: dict) -> dict:
    """Return the search index, enhanced for Japanese queries (identity for now)."""
    return index
