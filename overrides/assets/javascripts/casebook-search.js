/*
 * Casebook: rank and trim Material's search results for Japanese queries.
 *
 * Material's worker ORs the query's parts (each a prefix term), so a Japanese query typed without spaces
 * lists nearly every page. This shim sits between Material's UI and its search worker (it wraps the
 * Worker constructor before Material's bundle runs) and changes only the RESULT message:
 *   1. pages whose title contains the query as typed come first, then pages whose text contains it,
 *      then pages matching every query part, then the rest (Material's score orders each tier);
 *   2. when some page matches every query part, pages missing a part only fill the list up to
 *      MIN_RESULTS entries (Material would list nearly the whole site).
 * If anything here fails, Material's own result is shown unchanged. No network access.
 * Message numbers follow Material 9.x (SETUP 0, READY 1, QUERY 2, RESULT 3).
 */
(function () {
  "use strict";
  var Native = window.Worker;
  if (typeof Native !== "function") return;
  var QUERY = 2, RESULT = 3, MIN_RESULTS = 10;

  function flat(s) {
    return String(s || "")
      .replace(/<[^>]*>/g, "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\s\u200b・･\-]+/g, "");
  }

  function tier(group, phrase) {
    var best = 0;
    for (var i = 0; i < group.length; i++) {
      var item = group[i], t = 0;
      if (phrase && flat(item.title).indexOf(phrase) >= 0) t = 3;
      else if (phrase && flat(item.text).indexOf(phrase) >= 0) t = 2;
      else {
        var terms = item.terms || {}, keys = Object.keys(terms), all = keys.length > 0;
        for (var k = 0; k < keys.length; k++) if (!terms[keys[k]]) all = false;
        if (all) t = 1;
      }
      if (t > best) best = t;
    }
    return best;
  }

  function score(group) {
    var s = 0;
    for (var i = 0; i < group.length; i++) if (group[i].score > s) s = group[i].score;
    return s;
  }

  function rerank(result, query) {
    var phrase = flat(query);
    var ranked = result.items.map(function (group, index) {
      return { group: group, tier: tier(group, phrase), score: score(group), index: index };
    });
    ranked.sort(function (a, b) {
      return b.tier - a.tier || b.score - a.score || a.index - b.index;
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
      if (message && message.type === QUERY) pending.push(message.data);
      return post.apply(worker, arguments);
    };
    var add = worker.addEventListener, remove = worker.removeEventListener, wrapped = [];
    worker.addEventListener = function (type, listener, opts) {
      if (type !== "message" || typeof listener !== "function") return add.apply(worker, arguments);
      var fn = function (ev) {
        var data = ev.data;
        if (data && data.type === RESULT && data.data && Array.isArray(data.data.items)) {
          var query = pending.length ? pending.shift() : "";
          try {
            data = { type: RESULT, data: rerank(data.data, query) };
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
