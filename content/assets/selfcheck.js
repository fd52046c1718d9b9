/* Self-check page (self-check/): applicable risks, provisions and check items for a planned service, ticks
 * and notes saved in this browser. No server and no request: the data is the JSON embedded in the page.
 * Text from data or from an imported file is only ever set with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("self-check");
  var source = document.getElementById("self-check-data");
  if (!root || !source) return;
  var DATA = JSON.parse(source.textContent);
  var KEY = "casebook-self-check";
  var MAX_BYTES = 1000000, MAX_NOTE = 2000;
  var ID = /^M-[A-Z0-9]+(-[A-Z0-9]+)*-[1-9][0-9]{0,2}$/;
  var items = {};
  Object.keys(DATA.mitigations).forEach(function (mid) {
    DATA.mitigations[mid].items.forEach(function (it) { items[it.id] = { text: it.text, mitigation: mid }; });
  });
  var message = document.getElementById("sc-message");
  var results = document.getElementById("sc-results");
  var form = document.getElementById("sc-service");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function say(text, isError) {
    message.textContent = text;
    message.className = "sc-message" + (isError ? " sc-error" : "");
  }

  // -- state -------------------------------------------------------------------------------------------
  function empty() { return { format: DATA.format, version: DATA.version, edition: DATA.edition, answers: {}, items: {} }; }
  function load() {
    var raw = null;
    try { raw = window.localStorage.getItem(KEY); } catch (e) { return empty(); }
    if (!raw) return empty();
    try {
      var saved = JSON.parse(raw);
      if (saved && saved.format === DATA.format && typeof saved.items === "object") return saved;
    } catch (e) { /* unreadable: start afresh, keep nothing */ }
    return empty();
  }
  var state = load();
  function save() {
    state.edition = DATA.edition;
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { say("この記録をブラウザーに保存できませんでした。", true); }
  }

  // -- applicability (rules from content/catalog/self-check.yaml) -----------------------------------------
  function answers() {
    var out = {};
    DATA.questions.forEach(function (q) {
      out[q.id] = Array.prototype.map.call(form.querySelectorAll('input[name="' + q.id + '"]:checked'),
                                          function (i) { return i.value; });
    });
    return out;
  }
  function applies(rule, a) {
    return Object.keys(rule.when).every(function (q) {
      return (a[q] || []).some(function (v) { return rule.when[q].indexOf(v) >= 0; });
    });
  }
  function applicable(a) {
    var risks = DATA.always.slice(), provisions = [];
    DATA.rules.forEach(function (rule) {
      if (!applies(rule, a)) return;
      rule.risks.forEach(function (r) { if (risks.indexOf(r) < 0) risks.push(r); });
      rule.provisions.forEach(function (p) { if (provisions.indexOf(p) < 0) provisions.push(p); });
    });
    risks = Object.keys(DATA.risks).filter(function (r) { return risks.indexOf(r) >= 0; });
    risks.forEach(function (r) {
      DATA.risks[r].provisions.forEach(function (p) { if (provisions.indexOf(p) < 0) provisions.push(p); });
    });
    var mitigations = Object.keys(DATA.mitigations).filter(function (m) {
      return DATA.mitigations[m].risks.some(function (r) { return risks.indexOf(r) >= 0; });
    });
    return { risks: risks, provisions: provisions, mitigations: mitigations };
  }

  // -- rendering ---------------------------------------------------------------------------------------
  function link(text, url) {
    if (!url) return el("span", {}, text);
    var a = el("a", { href: url }, text);
    return a;
  }
  function itemState(id) { return state.items[id] || { done: false, note: "" }; }
  function render() {
    var a = answers();
    state.answers = a;
    var app = applicable(a);
    results.textContent = "";
    var chosen = Object.keys(a).some(function (k) { return a[k].length; });
    if (!chosen) { results.appendChild(el("p", {}, "サービスの内容を選ぶと、ここに関係する項目が表示されます。")); return; }

    results.appendChild(el("h2", { id: "sc-progress-title" }, "リスクごとの進み具合"));
    var table = el("table", { "class": "sc-progress" });
    var head = el("tr");
    ["リスク", "対応済み", "項目数"].forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    app.risks.forEach(function (r) {
      var ids = [];
      app.mitigations.forEach(function (m) {
        if (DATA.mitigations[m].risks.indexOf(r) >= 0) DATA.mitigations[m].items.forEach(function (it) { ids.push(it.id); });
      });
      var done = ids.filter(function (id) { return itemState(id).done; }).length;
      var tr = el("tr");
      var th = el("th", { scope: "row" });
      th.appendChild(link(DATA.risks[r].name, DATA.risks[r].url));
      tr.appendChild(th);
      tr.appendChild(el("td", { "data-risk": r, "class": "sc-done" }, done));
      tr.appendChild(el("td", {}, ids.length));
      body.appendChild(tr);
    });
    table.appendChild(body);
    results.appendChild(table);

    results.appendChild(el("h2", {}, "関係する法令・指針"));
    var ul = el("ul", { "class": "sc-provisions" });
    app.provisions.forEach(function (p) {
      if (!DATA.provisions[p]) return;
      var li = el("li");
      li.appendChild(link(DATA.provisions[p].name, DATA.provisions[p].url));
      ul.appendChild(li);
    });
    results.appendChild(ul);

    results.appendChild(el("h2", {}, "軽減策と確認項目"));
    app.mitigations.forEach(function (m) {
      var mit = DATA.mitigations[m];
      var section = el("section", { "class": "sc-mitigation" });
      var h3 = el("h3");
      h3.appendChild(link(mit.name, mit.url));
      h3.appendChild(el("span", { "class": "sc-kind" }, "（" + mit.kind + "・" + mit.type + "）"));
      section.appendChild(h3);
      mit.items.forEach(function (it) {
        var s = itemState(it.id);
        var box = el("div", { "class": "sc-item" });
        var cb = el("input", { type: "checkbox", id: "sc-" + it.id, "data-item": it.id });
        cb.checked = !!s.done;
        var label = el("label", { "for": "sc-" + it.id });
        label.appendChild(el("span", { "class": "sc-id" }, it.id));
        label.appendChild(document.createTextNode(" " + it.text));
        var note = el("textarea", { "data-note": it.id, rows: "1", maxlength: String(MAX_NOTE),
                                    "aria-label": it.id + " のメモ", placeholder: "メモ（担当部署、証跡の保管場所など）" });
        note.value = s.note || "";
        box.appendChild(cb); box.appendChild(label); box.appendChild(note);
        section.appendChild(box);
      });
      results.appendChild(section);
    });
  }
  function restoreAnswers() {
    DATA.questions.forEach(function (q) {
      var chosen = (state.answers && state.answers[q.id]) || [];
      form.querySelectorAll('input[name="' + q.id + '"]').forEach(function (i) { i.checked = chosen.indexOf(i.value) >= 0; });
    });
  }
  function reportUnknown() {
    var gone = Object.keys(state.items).filter(function (id) { return !items[id] && state.items[id].done; });
    if (gone.length) say("この版にない確認項目の記録があります（" + gone.join("、") + "）。項目が廃止または統合された可能性があります。記録は残してあります。", true);
  }

  // -- events ------------------------------------------------------------------------------------------
  form.addEventListener("change", function () { render(); save(); });
  results.addEventListener("change", function (ev) {
    var id = ev.target.getAttribute("data-item");
    if (!id) return;
    var s = itemState(id); s.done = ev.target.checked; state.items[id] = s; save(); render();
    var again = document.getElementById("sc-" + id); if (again) again.focus();
  });
  results.addEventListener("input", function (ev) {
    var id = ev.target.getAttribute("data-note");
    if (!id) return;
    var s = itemState(id); s.note = ev.target.value.slice(0, MAX_NOTE); state.items[id] = s; save();
  });
  root.querySelectorAll(".sc-example").forEach(function (b) {
    b.addEventListener("click", function () {
      var ex = DATA.examples.filter(function (e) { return e.case === b.getAttribute("data-case"); })[0];
      if (!ex) return;
      state.answers = ex.answers; restoreAnswers(); render(); save();
      say("「" + ex.title + "」と同じ内容を選びました（説明用の架空事例）。", false);
    });
  });

  function download(name, type, text) {
    var blob = new Blob([text], { type: type });
    var a = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(a); a.click(); a.remove();
  }
  function csvCell(v) {
    v = String(v == null ? "" : v).replace(/\s+/g, " ");
    if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;
    return /[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  document.getElementById("sc-export-json").addEventListener("click", function () {
    download("self-check-" + DATA.edition + ".json", "application/json", JSON.stringify(state, null, 2));
  });
  document.getElementById("sc-export-csv").addEventListener("click", function () {
    // checklist.csv's columns: the record columns, then 担当部署, 実施状況, 証跡の保管場所, 確認日, and メモ.
    var rows = [DATA.csv.header];
    Object.keys(items).forEach(function (id) {
      var s = itemState(id);
      rows.push(DATA.csv.rows[id].concat(["", s.done ? DATA.statuses[0] : "", "", "", s.note || ""]));
    });
    download("self-check-" + DATA.edition + ".csv", "text/csv", "\ufeff" + rows.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n");
  });
  document.getElementById("sc-print").addEventListener("click", function () { window.print(); });
  document.getElementById("sc-clear").addEventListener("click", function () {
    if (!window.confirm("このブラウザーに保存した記録を消しますか。")) return;
    state = empty(); save(); restoreAnswers(); render(); say("記録を消しました。", false);
  });

  // -- import: refused unless it is an export of this edition; nothing is rendered as HTML ----------------
  function refuse(why) { say("読み込めませんでした: " + why + " 保存済みの記録は変更していません。", true); }
  function fromJson(text) {
    var data;
    try { data = JSON.parse(text); } catch (e) { return "JSON として読めません。"; }
    if (!data || typeof data !== "object" || Array.isArray(data)) return "この点検表の書き出しファイルではありません。";
    if (data.format !== DATA.format || data.version !== DATA.version) return "この点検表の書き出しファイルではありません。";
    if (data.edition !== DATA.edition) return "別の版（第" + String(data.edition).slice(0, 20) + "版）の書き出しです。この版（第" + DATA.edition + "版）で書き出したファイルを使ってください。";
    if (!data.items || typeof data.items !== "object" || Array.isArray(data.items)) return "確認項目の記録がありません。";
    var clean = {};
    var ids = Object.keys(data.items);
    for (var i = 0; i < ids.length; i++) {
      var id = ids[i], v = data.items[id];
      if (!ID.test(id) || !items[id]) return "この版にない項目ID があります（" + id.slice(0, 40) + "）。";
      if (!v || typeof v !== "object" || typeof v.done !== "boolean" || (v.note !== undefined && typeof v.note !== "string")) return "項目 " + id + " の記録の形が正しくありません。";
      if ((v.note || "").length > MAX_NOTE) return "項目 " + id + " のメモが長すぎます。";
      clean[id] = { done: v.done, note: v.note || "" };
    }
    var ans = {};
    DATA.questions.forEach(function (q) {
      var given = data.answers && Array.isArray(data.answers[q.id]) ? data.answers[q.id] : [];
      ans[q.id] = q.options.map(function (o) { return o.id; }).filter(function (o) { return given.indexOf(o) >= 0; });
    });
    return { format: DATA.format, version: DATA.version, edition: DATA.edition, answers: ans, items: clean };
  }
  function parseCsv(text) {
    var rows = [], row = [], cell = "", q = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (q) { if (c === '"') { if (text[i + 1] === '"') { cell += '"'; i++; } else q = false; } else cell += c; }
      else if (c === '"') q = true;
      else if (c === ",") { row.push(cell); cell = ""; }
      else if (c === "\n" || c === "\r") { if (c === "\r" && text[i + 1] === "\n") i++; row.push(cell); rows.push(row); row = []; cell = ""; }
      else cell += c;
    }
    if (cell || row.length) { row.push(cell); rows.push(row); }
    return rows;
  }
  function fromCsv(text) {
    var rows = parseCsv(text.replace(/^\ufeff/, ""));
    if (!rows.length) return "CSV が空です。";
    var h = rows[0], idc = h.indexOf("項目ID"), stc = h.indexOf("実施状況"), nc = h.indexOf("メモ");
    if (idc < 0 || stc < 0) return "CSV に「項目ID」と「実施状況」の列がありません。";
    var clean = {};
    for (var r = 1; r < rows.length; r++) {
      var id = rows[r][idc];
      if (id === undefined || id === "") continue;
      if (!ID.test(id) || !items[id]) return "この版にない項目ID があります（" + String(id).slice(0, 40) + "）。";
      var st = rows[r][stc] || "";
      if (st && DATA.statuses.indexOf(st) < 0) return "項目 " + id + " の実施状況「" + st.slice(0, 20) + "」は選択肢にありません。";
      var note = nc >= 0 ? (rows[r][nc] || "") : "";
      if (note.length > MAX_NOTE) return "項目 " + id + " のメモが長すぎます。";
      clean[id] = { done: st === DATA.statuses[0], note: note };
    }
    return { format: DATA.format, version: DATA.version, edition: DATA.edition, answers: state.answers, items: clean };
  }
  document.getElementById("sc-import").addEventListener("change", function (ev) {
    var file = ev.target.files && ev.target.files[0];
    ev.target.value = "";
    if (!file) return;
    if (file.size > MAX_BYTES) { refuse("ファイルが大きすぎます。"); return; }
    var reader = new FileReader();
    reader.onload = function () {
      var text = String(reader.result);
      var got = /\.csv$/i.test(file.name) ? fromCsv(text) : fromJson(text);
      if (typeof got === "string") { refuse(got); return; }
      state = got; save(); restoreAnswers(); render();
      say("読み込みました（" + Object.keys(got.items).length + " 項目の記録）。", false);
    };
    reader.onerror = function () { refuse("ファイルを読めません。"); };
    reader.readAsText(file);
  });

  restoreAnswers();
  render();
  reportUnknown();
})();
