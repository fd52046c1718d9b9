"""The 404 page, working under any sub-path.

MkDocs renders ``404.html`` with root-absolute links (``/assets/…``, ``/policy/``) when ``site_url`` is not
set, because the page is served at whatever address was missing. Under a sub-path (an intranet's
``/casebook/``) the page then loses its styles and every link. :func:`relocatable` makes those links
relative and adds, first thing in ``<head>``, a small script that finds the site's root by asking which
prefix of the missing address holds the site's search index, and writes ``<base href>`` for it. Without
scripts, or when nothing answers, the base is ``/`` (what MkDocs gave).
"""

from __future__ import annotations

import re

_ABSOLUTE = re.compile(r'(\s(?:href|src)=")/(?!/)')
_CONFIG_BASE = re.compile(r'("base":\s*)"/"')
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)

#: Finds the site root (the shortest prefix of the address with ``search/search_index.json``).
BASE_SCRIPT = (
    "<script>(function(){var p=location.pathname.split('/'),r='/';"
    "for(var i=1;i<p.length;i++){var c=p.slice(0,i).join('/')+'/';"
    "try{var x=new XMLHttpRequest();x.open('HEAD',c+'search/search_index.json',false);x.send();"
    "if(x.status===200){r=c;break;}}catch(e){break;}}"
    "document.write('<base href=\"'+encodeURI(decodeURI(r)).replace(/\"/g,'%22')+'\">');})();</script>"
)


def relocatable(html: str) -> str:
    """``404.html`` with relative links resolved against a ``<base>`` found in the browser."""
    if not _ABSOLUTE.search(html):
        return html  # site_url set: MkDocs wrote the right prefix already
    out = _ABSOLUTE.sub(r"\1", html)
    out = _CONFIG_BASE.sub(r'\1"."', out)
    head = _HEAD.search(out)
    if head is None:
        return out
    return out[: head.end()] + BASE_SCRIPT + out[head.end():]
