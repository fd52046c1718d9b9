/*
 * Casebook: rank and trim Material's search results for Japanese queries.
 *
 * Material's worker ORs the query's parts (each a prefix term), so a Japanese query typed without spaces
 * lists nearly every page. This shim sits between Material's UI and its search worker (it wraps the
 * Worker constructor before Material's bundle runs) and changes the QUERY and RESULT messages only:
 *   1. QUERY: a long katakana word also searches for its stem (レッドチーム also finds レッドチーミング,
 *      サーバー also finds サーバ), because lunr only matches prefixes of indexed words;
 *   2. RESULT: pages are put in tiers, best first (Material's score orders each tier):
 *        6  the title contains the query as typed, or one of the page's readers' words (the hidden `aka`
 *           field, from content/catalog/aliases.yaml) is the query;
 *        5  a readers' word and the query cover at least half of each other, counting kanji, katakana and
 *           Latin only (間違った答え ⊂ AIが間違った答えをする);
 *        4  the text contains the query as typed;
 *        3  the page matches every query part;
 *      within a tier, record pages (a risk, a mitigation, a law or provision, a case study) come before
 *      lists and catalogue pages; inside a page, the section that earned the tier is shown first;
 *   3. when some page reaches a tier, pages below every tier only fill the list up to MIN_RESULTS;
 *   4. a query part that the page's text, title or hidden words contain is never listed as missing
 *      (Material would print 「検索に含まれない: 誤*」 next to a highlighted 誤回答).
 * If anything here fails, Material's own result is shown unchanged. No network access.
 * Message numbers follow Material 9.x (SETUP 0, READY 1, QUERY 2, RESULT 3).
 */
(function () {
  "use strict";
  var Native = window.Worker;
  if (typeof Native !== "function") return;
  var QUERY = 2, RESULT = 3, MIN_RESULTS = 10;
  var RECORD = /^(?:risks|mitigations|casestudies|regulations)\/(?!index\.html)[^\/#?]+/;
  var KATAKANA = /[\u30a1-\u30fa\u30fc\u30fd\u30fe]{4,}/g;

  function flat(s) {
    return String(s || "")
      .replace(/<[^>]*>/g, "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\s\u200b・･\-]+/g, "");
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

  /* The characters that carry meaning: hiragana (particles, okurigana) do not count towards coverage, so
     なぜその回答になったか説明できない is mostly covered by 説明できない. A word of kana only keeps its kana. */
  function content(s) {
    var c = s.replace(/[\u3041-\u309f]+/g, "");
    return c.length ? c : s;
  }

  function words(item) {
    return String(item.aka || "").split("\n").map(flat).filter(Boolean);
  }

  /* [tier, cover] of one index document (a page or one of its sections) for the typed phrase. */
  function rate(item, phrase) {
    if (!phrase) return [0, 0];
    var aka = words(item);
    if (flat(item.title).indexOf(phrase) >= 0 || aka.indexOf(phrase) >= 0) return [6, 1];
    var cover = 0, core = content(phrase);
    for (var i = 0; i < aka.length; i++) {
      var w = aka[i], c = 0;
      if (w.length >= 2 && phrase.indexOf(w) >= 0) c = content(w).length / core.length;
      else if (phrase.length >= 2 && w.indexOf(phrase) >= 0) c = core.length / content(w).length;
      if (c > cover) cover = c;
    }
    if (cover >= 0.5) return [5, cover];
    if (flat(item.text).indexOf(phrase) >= 0) return [4, 0];
    var terms = item.terms || {}, keys = Object.keys(terms), all = keys.length > 0;
    for (var k = 0; k < keys.length; k++) if (!terms[keys[k]]) all = false;
    return [all ? 3 : 0, 0];
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

  function rank(group, phrase, added) {
    var best = [0, 0], bestIndex = -1;
    var rated = group.map(function (item, i) {
      var r = rate(item, phrase);
      if (r[0] > best[0] || (r[0] === best[0] && r[1] > best[1])) { best = r; bestIndex = i; }
      return r;
    });
    group.forEach(function (item, i) { present(item, added, rated[i][0]); });
    /* The section that earned the tier leads the group, so Material shows it instead of folding it away. */
    var items = group.slice();
    if (bestIndex > 0 && best[0] > 0 && String(group[bestIndex].location).indexOf("#") >= 0) {
      var lead = items.splice(bestIndex, 1)[0];
      items.unshift(lead);
    }
    var score = 0;
    for (var i = 0; i < group.length; i++) if (group[i].score > score) score = group[i].score;
    var page = String((group[0] || {}).location || "").split("#")[0];
    return { group: items, tier: best[0], cover: best[1], record: RECORD.test(page) ? 1 : 0, score: score };
  }

  function rerank(result, query, added) {
    var phrase = flat(query);
    var ranked = result.items.map(function (group, index) {
      var r = rank(group, phrase, added);
      r.index = index;
      return r;
    });
    ranked.sort(function (a, b) {
      return b.tier - a.tier || b.record - a.record || b.cover - a.cover || b.score - a.score ||
        a.index - b.index;
    });
    var full = ranked.filter(function (r) { return r.tier > 0; }).length;
    if (full > 0) ranked = ranked.slice(0, Math.max(full, MIN_RESULTS));
    var out = {};
    for (var key in result) out[key] = result[key];
    out.items = ranked.map(function (r) { return r.group; });
    return out;
  }

  function Wrapped(url, options) {
    var worker = options === undefined ? new Native(url) : new Native(url, options);
    if (String(url).indexOf("/workers/search") < 0) return worker;
    var pending = [];
    var post = worker.postMessage;
    worker.postMessage = function (message) {
      if (message && message.type === QUERY && typeof message.data === "string") {
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
  Wrapped.prototype = Native.prototype;
  window.Worker = Wrapped;
})();
