/*
 * Casebook: read a reader's query and rank Material's search results for Japanese readers.
 *
 * Material's worker ORs the query's parts (each a prefix term of lunr), so a Japanese query typed without
 * spaces lists nearly every page, and a word spelt differently from the page (ハルシネイション, ベンダ,
 * ぷろんぷと, ﾊﾙｼﾈｰｼｮﾝ) or said with another word (リグレッションテスト for 回帰試験) finds nothing. This shim sits
 * between Material's UI and its search worker (it wraps the Worker constructor before Material's bundle runs):
 *   0. SETUP: it keeps the documents Material sends to the worker and folds their text (NFKC, lower case,
 *      hiragana → katakana, ヴァ → バ, small kana → large, no 長音 or ・): the same fold applied to a query makes
 *      spelling variants equal. The katakana and Latin words of the folded text are its vocabulary.
 *   1. QUERY: a long katakana word also searches for its stem (レッドチーム also finds レッドチーミング);
 *   2. RESULT: its own reading of the query adds the documents lunr missed and scores every candidate:
 *        - question endings are dropped (してもいい, ですか; 「とは」 and 「の意味」 also put glossary terms first),
 *          read from the index's config.casebook (content/catalog/synonyms.yaml);
 *        - the query is cut into parts at spaces, punctuation and hiragana (particles, okurigana); each part
 *          is searched as folded, with the words of its synonym groups swapped in (synonyms.yaml, glossary
 *          names, law names) and, for a katakana word the site never writes, with the vocabulary's words one
 *          or two edits away (ジェイルブレーク → ジェイルブレイク), and a kanji term the site never writes with
 *          the title pieces one edit away (残余リスク → 残存リスク); a part found nowhere is searched as its
 *          known words or, failing those, its character bigrams;
 *        - a part scores its rarity (idf) times the best field it is found in: title or readers' words 3,
 *          text 1, hidden words 0.8, the page title of a section 0.7; the sum is weighted by the share of
 *          parts found; record pages (a risk, a mitigation, a law, a case study) ×1.3, lists ×0.5;
 *      pages are then put in tiers, best first; the score above orders each tier:
 *        6  the title contains the query as typed, or one of the page's readers' words (the hidden `aka`
 *           field, from content/catalog/aliases.yaml) is the query;
 *        5  a readers' word and the query cover at least half of each other, counting kanji, katakana and
 *           Latin only (間違った答え ⊂ AIが間違った答えをする);
 *        4  the text contains the query as typed;
 *      within a tier, record pages come before lists and catalogue pages; inside a page, the section that
 *      earned the tier (or the best score) is shown first;
 *   3. pages that score under a sixth of the best are dropped once MIN_RESULTS pages are listed;
 *   4. a query part that the page's text, title or hidden words contain is never listed as missing
 *      (Material would print 「検索に含まれない: 誤*」 next to a highlighted 誤回答).
 * If anything here fails, Material's own result is shown unchanged. No network access.
 * Message numbers follow Material 9.x (SETUP 0, READY 1, QUERY 2, RESULT 3).
 */
(function () {
  "use strict";
  var Native = window.Worker;
  if (typeof Native !== "function") return;
  var SETUP = 0, QUERY = 2, RESULT = 3, MIN_RESULTS = 10, MAX_RESULTS = 40, KEEP = 1 / 6;
  var RECORD = /^(?:risks|mitigations|casestudies|regulations)\/(?!index\.html)[^\/#?]+/;
  var NAMED = /^(?:risks|mitigations|regulations)\/[^\/#?]+/;
  var LIST = /^(?:|index\.html|(?:risks|mitigations|casestudies|regulations|matrix|checklist|glossary|data|developer|api|changelog|self-check|crosswalks|schema)(?:\/.*)?)$/;
  var KATAKANA = /[\u30a1-\u30fa\u30fc\u30fd\u30fe]{4,}/g;
  var FIELDS = [["title", 3], ["aka", 3], ["text", 1], ["kw", 0.8], ["ptitle", 0.7]];
  var PAGE_TITLE = 3.5, SYNONYM = 0.85, SPELLING = 0.9, PIECE = 0.6, RECORD_PRIOR = 1.3, LIST_PRIOR = 0.5, TERM_PRIOR = 2.5;

  function flat(s) {
    return String(s || "")
      .replace(/<[^>]*>/g, "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\s\u200b・･\-]+/g, "");
  }

  /* The fold that makes spelling variants equal: NFKC, lower case, hiragana → katakana, ヴ行 → バ行,
     small kana → large, no 長音, middle dots, spaces or hyphens. */
  var SMALL = { "ァ": "ア", "ィ": "イ", "ゥ": "ウ", "ェ": "エ", "ォ": "オ", "ッ": "ツ", "ャ": "ヤ", "ュ": "ユ",
    "ョ": "ヨ", "ヮ": "ワ", "ヵ": "カ", "ヶ": "ケ", "ヂ": "ジ", "ヅ": "ズ" };
  function fold(s) {
    return String(s || "")
      .replace(/<[^>]*>/g, " ")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\u3041-\u3096]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) + 0x60); })
      .replace(/ヴァ/g, "バ").replace(/ヴィ/g, "ビ").replace(/ヴェ/g, "ベ").replace(/ヴォ/g, "ボ").replace(/ヴ/g, "ブ")
      .replace(/[ァィゥェォッャュョヮヵヶヂヅ]/g, function (c) { return SMALL[c]; })
      .replace(/([a-z0-9])[\s\u200b\-‐]+(?=[a-z0-9])/g, "$1\u0001")
      .replace(/[\s\u200b・･\-‐ー〜~]+/g, "")
      .replace(/\u0001/g, " ");
  }

  /* ``needle`` in ``hay``; a Latin word only where a word starts (aml is not in yaml). */
  function contains(hay, needle) {
    var at = hay.indexOf(needle);
    if (at < 0 || !/^[a-z]/.test(needle)) return at >= 0;
    while (at >= 0) {
      if (at === 0 || !/[a-z0-9]/.test(hay.charAt(at - 1))) return true;
      at = hay.indexOf(needle, at + 1);
    }
    return false;
  }

  /* ---------------------------------------------------------------- the documents, read once at SETUP */

  var lex = null;

  function setup(data) {
    var config = (data && data.config && data.config.casebook) || {};
    var docs = (data && data.docs) || [];
    var titles = {}, vocab = {}, names = {}, members = {}, groups = [];
    docs.forEach(function (d) { if (String(d.location).indexOf("#") < 0) titles[d.location] = d.title; });
    var folded = docs.map(function (d) {
      var loc = String(d.location || ""), page = loc.split("#")[0];
      var f = {
        doc: d, location: loc, page: page, section: loc.indexOf("#") >= 0,
        title: fold(d.title), text: fold(d.text), kw: fold(d.kw),
        /* the title with its word breaks (・, spaces, brackets) kept as "|", for inTitle */
        words: fold(String(d.title || "").replace(/[・･\s()（）「」、,]+/g, "|")),
        aka: String(d.aka || "").split("\n").map(fold).filter(Boolean),
        ptitle: loc.indexOf("#") >= 0 ? fold(titles[page]) : ""
      };
      f.akaText = f.aka.join("\n");
      f.all = [f.title, f.akaText, f.text, f.kw, f.ptitle].join("\n");
      var prior = 1;
      if (RECORD.test(page)) prior = RECORD_PRIOR;
      else if (LIST.test(page) && !(page === "glossary/" && f.section && loc.indexOf("#kana-") < 0)) prior = LIST_PRIOR;
      f.term = page === "glossary/" && f.section && loc.indexOf("#kana-") < 0;
      f.prior = prior;
      (f.all.match(/[\u30a1-\u30f6]{3,}|[a-z][a-z0-9]{2,}/g) || []).forEach(function (w) {
        if (w.length <= 24) vocab[w] = (vocab[w] || 0) + 1;
      });
      /* names: the pieces of titles and the readers' words, for correcting a term typed with one
         character wrong (残余リスク → 残存リスク, 三つの防御線 → 三つの防衛線) */
      f.words.split(/[|()]/).concat(f.aka).forEach(function (w) {
        if (w.length >= 4 && w.length <= 20) names[w] = true;
      });
      return f;
    });
    (config.synonyms || []).forEach(function (words) {
      var g = [];
      words.forEach(function (w) { w = fold(w); if (w && g.indexOf(w) < 0) g.push(w); });
      if (g.length < 2) return;
      groups.push(g);
      g.forEach(function (w) { (members[w] = members[w] || []).push(groups.length - 1); });
    });
    function endings(list) {
      return (list || []).map(function (e) { return String(e).normalize("NFKC"); })
        .sort(function (a, b) { return b.length - a.length; });
    }
    lex = {
      docs: folded, vocab: Object.keys(vocab), names: Object.keys(names), groups: groups, members: members,
      memberList: Object.keys(members).filter(function (m) { return m.length >= 2; })
        .sort(function (a, b) { return b.length - a.length; }),
      question: endings(config.question), definition: endings(config.definition)
    };
  }

  /* ---------------------------------------------------------------- reading a query */

  function stripEndings(query) {
    var q = String(query).normalize("NFKC").trim(), define = false, changed = true;
    var tail = /[\s?？!！。、.,]+$/;
    q = q.replace(tail, "");
    while (changed) {
      changed = false;
      [[lex.definition, true], [lex.question, false]].forEach(function (pair) {
        pair[0].forEach(function (e) {
          if (!changed && q.length > e.length && q.slice(-e.length) === e) {
            q = q.slice(0, -e.length).replace(tail, "");
            define = define || pair[1];
            changed = true;
          }
        });
      });
    }
    return { text: q, define: define };
  }

  /* Parts: runs of anything but hiragana, space and punctuation; a hiragana run of three or more characters
     counts a little (でたらめ), a query of hiragana only counts fully (ぷろんぷと…). */
  function parts(q) {
    var tokens = q.match(/[\u3041-\u309f]+|[^\u3041-\u309f\s、。，．,.!?！？「」『』（）()［］\[\]【】・･:：;；\/／]+/g) || [];
    var out = [];
    tokens.forEach(function (t) {
      var hira = /^[\u3041-\u309f]+$/.test(t);
      var w = hira ? (tokens.length === 1 ? 1 : t.length >= 3 ? 0.4 : 0) : 1;
      var f = fold(t);
      if (w > 0 && f && !out.some(function (p) { return p.text === f; })) out.push({ text: f, weight: w });
    });
    return out;
  }

  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [], cur = [], i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (cur[j] < low) low = cur[j];
      }
      if (low > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  }

  function found(s) {
    for (var i = 0; i < lex.docs.length; i++) if (contains(lex.docs[i].all, s)) return true;
    return false;
  }

  /* Words of a vocabulary (the site's katakana and Latin words, or its names) one or two edits from a word
     the site never writes. */
  function corrections(word, vocabulary) {
    if (word.length < 4 || found(word)) return [];
    var max = word.length >= 9 ? 2 : 1, best = [];
    vocabulary.forEach(function (v) {
      var d = distance(word, v, max);
      if (d <= max) best.push([d, v]);
    });
    best.sort(function (a, b) { return a[0] - b[0] || b[1].length - a[1].length; });
    return best.slice(0, 3).map(function (x) { return x[1]; });
  }

  /* The part as typed, with synonym groups' words swapped in (one or two swaps) and spelling corrected. */
  function variants(text, weight) {
    var out = [{ text: text, weight: weight }], seen = {};
    seen[text] = true;
    function add(t, w) {
      if (!seen[t] && t && out.length < 32) { seen[t] = true; out.push({ text: t, weight: w }); }
    }
    function swaps(t, w, depth) {
      var whole = lex.members[t];
      if (whole) whole.forEach(function (g) {
        lex.groups[g].forEach(function (alt) { add(alt, w * SYNONYM); });
      });
      lex.memberList.forEach(function (m) {
        var at = t.indexOf(m);
        if (at < 0 || m === t) return;
        lex.members[m].forEach(function (g) {
          lex.groups[g].forEach(function (alt) {
            if (alt === m) return;
            var next = t.slice(0, at) + alt + t.slice(at + m.length);
            add(next, w * SYNONYM);
            if (depth < 1) swaps(next, w * SYNONYM, depth + 1);
          });
        });
      });
    }
    swaps(text, weight, 0);
    (text.match(/[\u30a1-\u30f6]{4,}|[a-z][a-z0-9]{3,}/g) || []).forEach(function (run) {
      corrections(run, lex.vocab).forEach(function (c) { add(text.replace(run, c), weight * SPELLING); });
    });
    if (/[\u3400-\u9fff]/.test(text))
      corrections(text, lex.names).forEach(function (c) { add(c, weight * SPELLING); });
    return out;
  }

  /* A part found nowhere: its known words (vocabulary, synonyms) or else its character bigrams. */
  function pieces(text) {
    var out = [], i = 0;
    while (i < text.length - 1) {
      var hit = "";
      for (var k = Math.min(text.length, i + 12); k >= i + 2; k--) {
        var w = text.slice(i, k);
        if (lex.members[w] || (k - i >= 3 && found(w))) { hit = w; break; }
      }
      if (hit) { out.push(hit); i += hit.length; }
      else { out.push(text.slice(i, i + 2)); i += 1; }
    }
    return out.filter(function (p, j) { return out.indexOf(p) === j; });
  }

  function prepare(query) {
    var asked = stripEndings(query), list = [], split = parts(asked.text), whole = fold(asked.text);
    /* The whole query is a part too when it has several (prompt injection, 3線モデル): synonyms and
       glossary names are often phrases. It counts only where it is found. */
    if (split.length > 1 && whole) {
      var wv = variants(whole, 1);
      wv.forEach(function (v) { hits(v); });
      if (wv.some(function (v) { return v.docs.length; })) list.push({ weight: 1, variants: wv });
    }
    split.forEach(function (p) {
      var vs = variants(p.text, 1);
      vs.forEach(function (v) { hits(v); });
      if (vs.every(function (v) { return !v.docs.length; }) && p.text.length >= 3 && !/^[a-z0-9 ]+$/.test(p.text)) {
        var ps = pieces(p.text);
        ps.forEach(function (piece) {
          var pv = variants(piece, PIECE);
          pv.forEach(function (v) { hits(v); });
          list.push({ weight: p.weight / ps.length, variants: pv });
        });
      } else list.push({ weight: p.weight, variants: vs });
    });
    return { parts: list, define: asked.define, phrase: fold(asked.text), typed: flat(asked.text) };
  }

  function hits(v) {
    v.docs = [];
    for (var i = 0; i < lex.docs.length; i++) if (contains(lex.docs[i].all, v.text)) v.docs.push(i);
    v.idf = Math.log(1 + lex.docs.length / Math.max(1, v.docs.length));
  }

  /* The best field of a document that contains ``s``; a page's own title counts more than a section's. */
  function fieldWeight(f, s) {
    for (var i = 0; i < FIELDS.length; i++) {
      var name = FIELDS[i][0], value = name === "aka" ? f.akaText : f[name];
      if (value && contains(value, s)) return name === "title" && !f.section ? PAGE_TITLE : FIELDS[i][1];
    }
    return 0;
  }

  /* Score of every document that contains some part: index → score. */
  function score(plan) {
    var scores = {}, total = 0;
    plan.parts.forEach(function (p) { total += p.weight; });
    if (!total) return scores;
    var candidates = {};
    plan.parts.forEach(function (p) {
      p.variants.forEach(function (v) { v.docs.forEach(function (i) { candidates[i] = true; }); });
    });
    Object.keys(candidates).forEach(function (key) {
      var f = lex.docs[key], sum = 0, matched = 0;
      plan.parts.forEach(function (p) {
        var best = 0;
        p.variants.forEach(function (v) {
          if (v.docs.indexOf(+key) < 0) return;
          var s = v.weight * v.idf * fieldWeight(f, v.text);
          if (s > best) best = s;
        });
        if (best > 0) { sum += p.weight * best; matched += p.weight; }
      });
      if (!sum) return;
      var s = sum * (0.25 + 0.75 * matched / total) * f.prior;
      if (plan.phrase && (f.title.indexOf(plan.phrase) >= 0 || f.aka.indexOf(plan.phrase) >= 0)) s *= 1.5;
      if (plan.define && f.term) s *= TERM_PRIOR;
      scores[key] = s;
    });
    return scores;
  }

  /* ---------------------------------------------------------------- tiers (the typed phrase) */

  /* The characters that carry meaning: hiragana (particles, okurigana) do not count towards coverage, so
     なぜその回答になったか説明できない is mostly covered by 説明できない. A word of kana only keeps its kana. */
  function content(s) {
    var c = s.replace(/[\u3041-\u309f]+/g, "");
    return c.length ? c : s;
  }

  function words(item) {
    return String(item.aka || "").split("\n").map(flat).filter(Boolean);
  }

  /* [tier, cover] of one index document (a page or one of its sections) for the typed phrase; ``f`` is
     its folded form (title, readers' words, text), compared with the folded phrase. */
  function rate(item, phrase, f, folded) {
    if (!phrase) return [0, 0];
    var aka = words(item);
    if (f && folded) {
      /* 7: a readers' word, a page's title, or a name of a glossary term, risk, mitigation or law (検索拡張生成
         （RAG）: either name) is the query itself; a section heading, or the bracketed gloss of a case
         study's title, that happens to be the query is not. */
      if (f.aka.indexOf(folded) >= 0 || (!f.section && f.title === folded) ||
          ((f.term || (!f.section && NAMED.test(f.page))) && f.title.split(/[()]/).indexOf(folded) >= 0))
        return [7, 1];
      if (inTitle(f.words, folded)) return [6, 1];
    }
    else if (flat(item.title).indexOf(phrase) >= 0 || aka.indexOf(phrase) >= 0) return [6, 1];
    var cover = 0, core = content(phrase);
    for (var i = 0; i < aka.length; i++) {
      var w = aka[i], c = 0;
      if (w.length >= 2 && phrase.indexOf(w) >= 0) c = content(w).length / core.length;
      else if (phrase.length >= 2 && w.indexOf(phrase) >= 0) c = core.length / content(w).length;
      if (c > cover) cover = c;
    }
    if (cover >= 0.5) return [5, cover];
    if (f && folded ? f.text.indexOf(folded) >= 0 : flat(item.text).indexOf(phrase) >= 0) return [4, 0];
    return [0, 0];
  }

  /* The title contains the phrase, but not as the tail of a longer kanji compound (個人情報 in 特定個人情報
     is another term); ``title`` keeps its word breaks as "|". */
  var HAN = /[\u3400-\u9fff\uf900-\ufaff々]/;
  function inTitle(title, phrase) {
    var at = title.indexOf(phrase);
    while (at >= 0) {
      if (at === 0 || !HAN.test(phrase.charAt(0)) || !HAN.test(title.charAt(at - 1))) return true;
      at = title.indexOf(phrase, at + 1);
    }
    return false;
  }

  /* Material lists a query part as missing when lunr did not match it in this document; a part the
     document plainly contains, or one only added here (a stem), is not missing. */
  function present(item, added, rated) {
    var terms = item.terms;
    if (!terms) return;
    var haystack = flat(item.title) + flat(item.text) + flat(item.kw) + words(item).join("");
    var out = {};
    var stemHit = false;
    Object.keys(terms).forEach(function (key) {
      var bare = key.replace(/\*$/, "");
      if (added.indexOf(bare) >= 0) { stemHit = stemHit || terms[key]; return; }
      out[key] = terms[key] || rated >= 5 || (bare !== "" && haystack.indexOf(flat(bare)) >= 0);
    });
    if (stemHit) Object.keys(out).forEach(function (key) { out[key] = true; });
    item.terms = out;
  }

  function rank(group, plan, scores, byLocation, added) {
    var best = [-1, 0, 0], bestIndex = 0, top = 0;
    var rated = group.map(function (item, i) {
      var key = byLocation[item.location];
      var r = rate(item, plan.typed, key !== undefined ? lex.docs[key] : null, plan.phrase);
      var mine = key !== undefined && scores[key] ? scores[key] : 0;
      if (r[0] > best[0] || (r[0] === best[0] && (r[1] > best[1] || (r[1] === best[1] && mine > best[2])))) {
        best = [r[0], r[1], mine];
        bestIndex = i;
      }
      if (mine > top) top = mine;
      return r;
    });
    group.forEach(function (item, i) { present(item, added, rated[i][0]); });
    /* The section that earned the tier or the best score leads the group, so Material shows it. */
    var items = group.slice();
    if (bestIndex > 0) items.unshift(items.splice(bestIndex, 1)[0]);
    var score = 0;
    for (var i = 0; i < group.length; i++) if (group[i].score > score) score = group[i].score;
    var page = String((group[0] || {}).location || "").split("#")[0];
    var lead = lex.docs[byLocation[items[0].location]];
    var term = plan.define && lead && lead.term ? 1 : 0;
    return { group: items, tier: Math.max(best[0], 0), cover: best[1], record: RECORD.test(page) ? 1 : 0,
             term: term, mine: top, score: score };
  }

  function rerank(result, query, added) {
    if (!lex) return result;
    var plan = prepare(query), scores = score(plan), byLocation = {};
    lex.docs.forEach(function (f, i) { byLocation[f.location] = i; });
    /* Material's groups (page → its matched documents), then the documents it missed. */
    var groups = {}, order = [];
    result.items.forEach(function (group) {
      if (!group.length) return;
      var page = String(group[0].location).split("#")[0];
      groups[page] = group.slice();
      order.push(page);
    });
    Object.keys(scores).forEach(function (key) {
      var f = lex.docs[key];
      if (!groups[f.page]) { groups[f.page] = []; order.push(f.page); }
      var group = groups[f.page];
      if (!group.some(function (item) { return item.location === f.location; }))
        group.push(Object.assign({}, f.doc, { score: scores[key], terms: {} }));
    });
    order.forEach(function (page) {
      var group = groups[page];
      if (!group.some(function (item) { return item.location === page; }) && byLocation[page] !== undefined)
        group.push(Object.assign({}, lex.docs[byLocation[page]].doc, { score: 0, terms: {} }));
    });
    var ranked = order.map(function (page, index) {
      var r = rank(groups[page], plan, scores, byLocation, added);
      r.index = index;
      return r;
    });
    ranked.sort(function (a, b) {
      return b.tier - a.tier || b.term - a.term || (b.tier >= 4 ? b.record - a.record || b.cover - a.cover : 0) ||
        b.mine - a.mine || b.score - a.score || a.index - b.index;
    });
    var top = 0;
    ranked.forEach(function (r) { if (r.mine > top) top = r.mine; });
    var kept = ranked.filter(function (r, i) {
      return i < MIN_RESULTS || r.tier >= 4 || (top > 0 && r.mine >= top * KEEP);
    }).slice(0, MAX_RESULTS);
    var out = {};
    for (var key in result) out[key] = result[key];
    out.items = kept.map(function (r) { return r.group; });
    return out;
  }

  /* Stems of the query's long katakana words that lunr's prefix match would otherwise miss. */
  function stems(query) {
    var out = [];
    (String(query).match(KATAKANA) || []).forEach(function (word) {
      var stem = word.replace(/ー+$/, "");
      if (stem === word && word.length >= 5) stem = word.slice(0, -1);
      if (stem !== word && stem.length >= 3 && out.indexOf(stem) < 0) out.push(stem);
    });
    return out;
  }

  function Wrapped(url, options) {
    var worker = options === undefined ? new Native(url) : new Native(url, options);
    if (String(url).indexOf("/workers/search") < 0) return worker;
    var pending = [];
    var post = worker.postMessage;
    worker.postMessage = function (message) {
      if (message && message.type === SETUP) {
        try { setup(message.data); } catch (err) { lex = null; }
      } else if (message && message.type === QUERY && typeof message.data === "string") {
        var added = [];
        try { added = stems(message.data); } catch (err) { added = []; }
        pending.push({ query: message.data, added: added });
        if (added.length) {
          var copy = {};
          for (var key in message) copy[key] = message[key];
          copy.data = message.data + " " + added.join(" ");
          return post.call(worker, copy);
        }
      } else if (message && message.type === QUERY) {
        pending.push({ query: "", added: [] });
      }
      return post.apply(worker, arguments);
    };
    var add = worker.addEventListener, remove = worker.removeEventListener, wrapped = [];
    worker.addEventListener = function (type, listener, opts) {
      if (type !== "message" || typeof listener !== "function") return add.apply(worker, arguments);
      var fn = function (ev) {
        var data = ev.data;
        if (data && data.type === RESULT && data.data && Array.isArray(data.data.items)) {
          var asked = pending.length ? pending.shift() : { query: "", added: [] };
          try {
            data = { type: RESULT, data: rerank(data.data, asked.query, asked.added) };
            ev = new MessageEvent("message", { data: data });
          } catch (err) { /* keep Material's result */ }
        }
        return listener.call(worker, ev);
      };
      wrapped.push([listener, fn]);
      return add.call(worker, type, fn, opts);
    };
    worker.removeEventListener = function (type, listener, opts) {
      for (var i = 0; i < wrapped.length; i++)
        if (wrapped[i][0] === listener) return remove.call(worker, type, wrapped.splice(i, 1)[0][1], opts);
      return remove.apply(worker, arguments);
    };
    return worker;
  }
  /* For tests and debugging only (tests/browser, a console): the query reading and the scores. */
  window.casebookSearch = { setup: setup, prepare: prepare, score: score, fold: fold,
                            lex: function () { return lex; } };
  Wrapped.prototype = Native.prototype;
  window.Worker = Wrapped;
})();
