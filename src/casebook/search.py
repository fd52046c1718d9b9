"""Japanese search support for the site: a query/index separator and index post-processing.

Material for MkDocs segments page text with TinySegmenter but splits a reader's query only with
``search.separator`` (each part becomes a prefix term, parts are OR'ed). Two things make Japanese queries
find what readers type (measurements: ``scripts/search_recall.py``, ``tests/search_queries.yaml``):

1. :data:`SEPARATOR`, set as ``plugins: search: separator`` in ``mkdocs.yml``, splits index *and* query
   where the script changes (kanji ↔ kana, hiragana ↔ katakana, Latin ↔ Japanese), on Japanese punctuation
   and U+200B, and drops short hiragana runs after content characters (particles, okurigana). A query
   typed without spaces (個人情報の漏えい, 委託先の監督) becomes the same pieces the index holds.
2. :func:`enhance_index`, called by the MkDocs plugin on ``search/search_index.json`` after the build,
   adds a hidden field (:data:`FIELD`) to every document with words the browser's tokenizer cannot derive:
   suffixes of long katakana runs (インジェクション inside プロンプトインジェクション) and, with SudachiPy,
   dictionary spellings of words the page writes differently (問合せ → 問い合わせ). The field is indexed
   but never displayed.

This module imports no MkDocs; it works on the index as a plain dict.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.util
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import RenderError

if TYPE_CHECKING:
    from .model import Corpus

#: Name of the hidden index field added by :func:`enhance_index`.
FIELD = "kw"
#: Its boost relative to ``text`` (1.0) and ``title`` (1000.0, Material's default).
FIELD_BOOST = 1.0
#: Hidden field with readers' words (:func:`record_words`), one per line; the result ranker
#: (``overrides/assets/javascripts/casebook-search.js``) reads it to put the record they name first.
WORDS_FIELD = "aka"
WORDS_BOOST = 10.0
#: Key in the index's ``config`` with the ranker's query data (:func:`query_config`).
CONFIG_KEY = "casebook"

_HAN = "\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # 々〆 + CJK ideographs
_HIRA = "\u3041-\u3096\u309d\u309e"
_KATA = "\u30a1-\u30fa\u30fc-\u30ff\uff66-\uff9f"  # without ・ (U+30FB), which separates
_LATIN = "A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_PUNCT = (
    "\\s\\-\u3000\u200b、。，．・「」『』（）()［］\\[\\]【】〈〉《》〔〕｛｝：:；;！!？?／/…‥"
    "\u201c\u201d\u2018\u2019\"'〜～,."
)

#: ``search.separator`` for Material: punctuation runs; a hiragana run of 1–2 characters after a content
#: character (particles and okurigana: 個人情報[の]漏[えい], 乗[っ]取[り]); zero-width splits where the script
#: changes. Longer hiragana runs stay words. Uses lookbehind (Chrome ≥ 62, Firefox ≥ 78, Safari ≥ 16.4).
SEPARATOR = (
    f"[{_PUNCT}]+"
    f"|(?<=[{_HAN}{_KATA}{_LATIN}])[{_HIRA}]{{1,2}}(?![{_HIRA}])"
    f"|(?<=[{_HAN}])(?=[{_HIRA}{_KATA}{_LATIN}])"
    f"|(?<=[{_HIRA}])(?=[{_HAN}{_KATA}{_LATIN}])"
    f"|(?<=[{_KATA}])(?=[{_HAN}{_HIRA}{_LATIN}])"
    f"|(?<=[{_LATIN}])(?=[{_HAN}{_HIRA}{_KATA}])"
)

_TAG = re.compile(r"<[^>]+>")
_KATA_RUN = re.compile(f"[{_KATA}]{{5,}}")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_NOT_WORD_START = set("ーンァィゥェォッャュョヮヵヶ")
_MIN_SUFFIX = 3
_MAX_KATA_RUN = 200


def plain_text(markup: str) -> str:
    """Text of an index field: tags removed, entities decoded."""
    return html.unescape(_TAG.sub(" ", markup or ""))


def katakana_suffixes(text: str) -> list[str]:
    """Suffixes of each katakana run of ≥ 5 characters that start at a word inside it.

    With SudachiPy the run is split into its mode-A words (プロンプト|インジェクション → インジェクション);
    without it every proper suffix of ≥ 3 characters that can start a word is used.
    """
    out: list[str] = []
    for run in dict.fromkeys(_KATA_RUN.findall(text)):
        if len(run) > _MAX_KATA_RUN:
            # No word is this long: a run of 17,000 katakana made Sudachi refuse its input (a crash of the
            # build) and, without Sudachi, would add n²/2 characters of suffixes. Records are refused far
            # below this (limits.yaml script_run); hand-written pages get no suffixes for such a run.
            continue
        starts = _word_starts(run)
        for i in starts if starts is not None else range(1, len(run) - _MIN_SUFFIX + 1):
            if 0 < i <= len(run) - _MIN_SUFFIX and run[i] not in _NOT_WORD_START:
                out.append(run[i:])
    return out


def _word_starts(run: str) -> list[int] | None:
    if not _has_sudachi():
        return None
    key = "a" + _digest(run)
    starts = _disk().get(key)
    if starts is None:
        from sudachipy import SplitMode

        starts = _remember(key, [m.begin() for m in _tokenizer().tokenize(run, SplitMode.A)])
    return list(starts)


@functools.cache
def _has_sudachi() -> bool:
    return importlib.util.find_spec("sudachipy") is not None


@functools.lru_cache(maxsize=1)
def _tokenizer():
    try:
        from sudachipy import Dictionary
    except ImportError:  # pragma: no cover - sudachipy is a declared dependency
        return None
    return Dictionary(dict="core").tokenizer()


def sudachi_words(text: str) -> list[str]:
    """Dictionary spellings of words written differently in ``text`` (問合せ → 問い合わせ, 漏洩 → 漏えい).

    The browser splits a typed 問い合わせ into 問 and 合; the page's 問合せ gives only 問合. Adding the
    normalised form lets the reader's spelling match. Words the page already spells that way add nothing.
    Text is tokenised a sentence at a time and each sentence's result is kept in-process
    (:data:`_NORMALISED`): pages repeat sentences (catalogue text quoted on many pages) and ``casebook
    serve`` rebuilds the whole site after every edit, so most sentences are tokenised once per process.
    Results are also kept on disk between builds (:func:`cache_file`), keyed by a digest of the sentence.
    """
    if not _has_sudachi() or not text.strip():
        return []
    out: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if sentence:
            out.extend(norm for norm in _normalised(sentence) if norm not in text)
    return out


#: Sentence → its words' normalised forms that differ from the surface and contain a kanji.
_NORMALISED: dict[str, tuple[str, ...]] = {}
_NORMALISED_LIMIT = 200_000  # sentences; the memo is dropped when it grows past this
_SENTENCE_END = re.compile(r"(?<=。)")


def _normalised(sentence: str) -> tuple[str, ...]:
    cached = _NORMALISED.get(sentence)
    if cached is None:
        key = "c" + _digest(sentence)
        found = _disk().get(key)
        if found is None:
            found = _remember(key, _tokenise_normalised(sentence))
        if len(_NORMALISED) >= _NORMALISED_LIMIT:
            _NORMALISED.clear()
        cached = _NORMALISED[sentence] = tuple(found)
    return cached


def _tokenise_normalised(sentence: str) -> list[str]:
    from sudachipy import SplitMode

    tok = _tokenizer()
    found: list[str] = []
    for chunk in _chunks(sentence):
        for m in tok.tokenize(chunk, SplitMode.C):
            norm = m.normalized_form()
            # Only nouns of two or more characters: readers search for 問い合わせ or 手続き, never for
            # the normalised 為る, 居る or 物 that verbs, particles and pronouns would add to the index.
            if (norm != m.surface() and len(norm) > 1 and _HAN_CHAR.search(norm)
                    and m.part_of_speech()[0] == "名詞"):
                found.append(norm)
    return found


# -- Sudachi's answers kept on disk between builds ----------------------------------------------------
# Tokenising is one of the largest parts of the plugin's own build time. Its answer depends only on the
# text, this module and the Sudachi versions, so it is kept in one JSON file per such combination: a build
# of unchanged records, and `casebook serve` after a restart, tokenise nothing. Keys are digests (no record
# text on disk).

#: Entries the file may hold; past this it is started afresh.
_DISK_LIMIT = 500_000
_DISK: dict[str, list] | None = None
_DISK_CHANGED = False


def cache_file() -> Path | None:
    """``$CASEBOOK_CACHE_DIR`` (empty: no cache) or ``$XDG_CACHE_HOME/casebook`` or ``~/.cache/casebook``,
    then ``search-<digest of this module and the Sudachi versions>.json``."""
    where = os.environ.get("CASEBOOK_CACHE_DIR")
    if where == "":
        return None
    base = Path(where) if where else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "casebook"
    return base / f"search-{_cache_key()}.json"


@functools.cache
def _cache_key() -> str:
    from importlib import metadata

    parts = [Path(__file__).read_bytes()]
    for dist in ("sudachipy", "sudachidict-core"):
        try:
            parts.append(metadata.version(dist).encode())
        except metadata.PackageNotFoundError:
            parts.append(b"-")
    return hashlib.blake2b(b"\0".join(parts), digest_size=10).hexdigest()


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _disk() -> dict[str, list]:
    global _DISK
    if _DISK is None:
        _DISK = {}
        path = cache_file()
        try:
            if path is not None and path.is_file():
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    _DISK = {k: v for k, v in data.items() if isinstance(v, list)}
        except (OSError, ValueError):
            _DISK = {}  # a damaged cache is only slower
    return _DISK


def _remember(key: str, value: list) -> list:
    global _DISK_CHANGED
    disk = _disk()
    if len(disk) >= _DISK_LIMIT:
        disk.clear()
    disk[key] = value
    _DISK_CHANGED = True
    return value


def save_cache() -> None:
    """Write the answers tokenised since the last save (atomically; a failure only costs time later)."""
    global _DISK_CHANGED
    path = cache_file()
    if not _DISK_CHANGED or _DISK is None or path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp",
                                         delete=False) as fh:
            json.dump(_DISK, fh, ensure_ascii=False, separators=(",", ":"))
        Path(fh.name).replace(path)
        _DISK_CHANGED = False
    except OSError:
        pass


def _chunks(text: str, limit: int = 4000) -> Iterable[str]:
    """Sudachi refuses very long inputs: cut at sentence ends."""
    start = 0
    while start < len(text):
        end = min(len(text), start + limit)
        if end < len(text):
            cut = text.rfind("。", start, end)
            end = cut + 1 if cut > start else end
        yield text[start:end]
        start = end


def hidden_terms(title: str, text: str) -> list[str]:
    """The hidden field's words for one index document, deduplicated, in first-seen order."""
    body = f"{plain_text(title)}\n{plain_text(text)}"
    seen: dict[str, None] = {}
    for word in (*katakana_suffixes(body), *sudachi_words(body)):
        seen.setdefault(word, None)
    return list(seen)


def enhance_index(index: dict, words: Mapping[str, Iterable[str]] | None = None,
                  query: Mapping[str, object] | None = None, budget: float | None = None) -> dict:
    """Add the hidden field to Material's search index (``{"config": …, "docs": [...]}``), in place.

    ``words`` maps an index location (``risks/R-HALLUCINATION/``, ``regulations/APPI/#APPI-27``) to
    readers' words for that document (:func:`record_words`); they go, one per line, into a second hidden
    field (:data:`WORDS_FIELD`) that the result ranker reads.
    ``query`` (:func:`query_config`) goes into ``config`` as :data:`CONFIG_KEY` for the result ranker.
    Returns the same dict. Idempotent: an index that already has the field is returned unchanged.
    ``budget`` (seconds, ``limits.yaml`` ``budgets.search_seconds``): past it the build stops with a
    RenderError naming the page it had reached, rather than run on for pathological text.
    """
    config = index.setdefault("config", {})
    fields = config.setdefault("fields", {})
    if FIELD in fields:
        return index
    fields[FIELD] = {"boost": FIELD_BOOST}
    fields[WORDS_FIELD] = {"boost": WORDS_BOOST}
    if query:
        config[CONFIG_KEY] = dict(query)
    words = words or {}
    started = time.perf_counter()
    for doc in index.get("docs", []):
        if budget is not None and time.perf_counter() - started > budget:
            raise RenderError(f"search index: over its budget of {budget:g} s (content/catalog/limits.yaml, "
                              f"budgets.search_seconds) at {doc.get('location', '?')!r}; a page's text is "
                              "unusually long or repetitive")
        terms = hidden_terms(doc.get("title", ""), doc.get("text", ""))
        if terms:
            doc[FIELD] = " ".join(terms)
        extra = [w for w in dict.fromkeys(words.get(doc.get("location", ""), ())) if "\n" not in w]
        if extra:
            doc[WORDS_FIELD] = "\n".join(extra)
    save_cache()
    return index


_ARTICLE_PREFIX = re.compile(r"^第(?=[0-9０-９])")


def article_forms(article: str) -> list[str]:
    """How readers write an article number: 第27条 and 27条; 第12条の2 and 12条の2."""
    forms = [article.strip()]
    short = _ARTICLE_PREFIX.sub("", forms[0])
    if short != forms[0]:
        forms.append(short)
    return forms


def record_words(corpus: Corpus, directory_urls: bool = True) -> dict[str, list[str]]:
    """Readers' words for each record's place in the search index, keyed by index location.

    - every record's words from ``content/catalog/aliases.yaml`` (:attr:`Corpus.aliases`);
    - for a provision, each name of its law (official name, short name, the law's aliases) joined to the
      article as readers write it (個人情報保護法第27条, 個情法27条, APPI第27条), so that a law-and-article
      query finds the provision's own section of the law's page.
    """
    from .site.links import page_url, path_of  # site imports the model only; no MkDocs here

    out: dict[str, list[str]] = {}

    def add(obj, extra: Iterable[str]) -> None:
        path, _, frag = path_of(obj).partition("#")
        loc = page_url(path, directory_urls) + (f"#{frag}" if frag else "")
        bucket = out.setdefault(loc, [])
        bucket.extend(w for w in extra if w not in bucket)

    records = [*corpus.instruments.values(), *corpus.provisions.values(), *corpus.risks.values(),
               *corpus.mitigations.values(), *corpus.metrics.values(), *corpus.glossary,
               *corpus.cases.values()]
    for obj in records:
        words = corpus.aliases.get(obj.id, ())
        if words:
            add(obj, words)
    for prov in corpus.provisions.values():
        inst = prov.instrument
        names = [inst.name.ja, *([inst.short_name.ja] if inst.short_name else []),
                 *corpus.aliases.get(inst.id, ())]
        add(prov, [f"{name}{form}" for name in dict.fromkeys(n.replace(" ", "") for n in names)
                   for form in article_forms(prov.article)])
    return out



_PAREN = re.compile(r"^(?P<main>[^（(]+)[（(](?P<inner>[^）)]+)[）)]$")


def term_names(name: str) -> list[str]:
    """The names one glossary heading gives: ジェイルブレイク（脱獄） → ジェイルブレイク, 脱獄."""
    m = _PAREN.match(name.strip())
    if not m:
        return [name.strip()]
    inner = m["inner"].strip()
    names = [m["main"].strip()]
    # 誠実義務（顧客等に対する誠実義務）: the gloss is a longer form, still the same thing
    names.extend(part.strip() for part in re.split(r"[、,]", inner) if part.strip())
    return names


def query_config(corpus: Corpus) -> dict[str, object]:
    """What the result ranker needs to read a reader's query, from data (never from code):

    - ``synonyms``: groups of interchangeable words: ``content/catalog/synonyms.yaml`` (equivalent
      groups), each glossary term's names (its heading, the name in brackets, its English name) and each
      law's names (official name, short names, aliases);
    - ``question`` / ``definition``: query endings to drop (してもいい, とは); the second kind also puts
      glossary entries first.
    """
    groups: list[list[str]] = []
    endings: dict[str, list[str]] = {"question": [], "definition": []}

    def group(words: Iterable[str]) -> None:
        clean = [w for w in dict.fromkeys(w.strip() for w in words if w and w.strip()) if len(w) <= 60]
        if len(clean) >= 2:
            groups.append(clean)

    for role, words in corpus.synonyms:
        if role == "equivalent":
            group(words)
        else:
            endings[role].extend(w for w in words if w not in endings[role])
    for term in corpus.glossary:
        group([*term_names(term.term.ja), *([term.term.en] if term.term.en else [])])
    for inst in corpus.instruments.values():
        names = [inst.name.ja]
        if inst.short_name:
            names += [inst.short_name.ja, *([inst.short_name.en] if inst.short_name.en else [])]
        group([*names, *corpus.aliases.get(inst.id, ())])
    return {"synonyms": groups, **endings}
