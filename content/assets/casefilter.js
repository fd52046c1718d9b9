/* Sort and filter the case-study table (.cb-filter). Same-origin, no dependencies; the table works without it. */
(function () {
  "use strict";
  function text(cell) { return (cell.textContent || "").replace(/\s+/g, " ").trim(); }
  function key(cell) {
    var band = cell.querySelector(".cb-band");
    var value = text(band || cell);
    var n = parseFloat(value);
    return isNaN(n) ? value : n;
  }
  function setup(box, index) {
    var table = box.querySelector("table");
    if (!table || table.dataset.cbReady) return;
    table.dataset.cbReady = "1";
    var body = table.tBodies[0];
    var heads = table.tHead ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];
    var rows = Array.prototype.slice.call(body.rows);
    var ui = document.createElement("div");
    ui.className = "cb-filter-ui";
    var id = "cb-filter-" + index;
    ui.innerHTML = '<label for="' + id + '-q">絞り込み（語句）<input type="search" id="' + id + '-q"></label>';
    var selects = [];
    [1, 2, 3].forEach(function (col) {
      if (!heads[col]) return;
      var values = {};
      rows.forEach(function (r) {
        text(r.cells[col]).split("、").forEach(function (v) { if (v) values[v] = true; });
      });
      var label = document.createElement("label");
      label.setAttribute("for", id + "-c" + col);
      label.textContent = text(heads[col]);
      var select = document.createElement("select");
      select.id = id + "-c" + col;
      select.dataset.col = col;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "すべて";
      select.appendChild(all);
      Object.keys(values).sort().forEach(function (v) {
        var o = document.createElement("option");
        o.value = v;
        o.textContent = v;
        select.appendChild(o);
      });
      label.appendChild(select);
      ui.appendChild(label);
      selects.push(select);
    });
    var count = document.createElement("output");
    count.setAttribute("aria-live", "polite");
    ui.appendChild(count);
    box.insertBefore(ui, box.firstChild);
    var query = ui.querySelector("input");
    function apply() {
      var q = query.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (r) {
        var ok = !q || text(r).toLowerCase().indexOf(q) !== -1;
        selects.forEach(function (s) {
          if (ok && s.value) ok = text(r.cells[+s.dataset.col]).split("、").indexOf(s.value) !== -1;
        });
        r.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " / " + rows.length + " 件";
    }
    query.addEventListener("input", apply);
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    heads.forEach(function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        rows.slice().sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var c = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === "number" ? -1 : 1);
          return asc ? c : -c;
        }).forEach(function (r) { body.appendChild(r); });
      });
    });
    apply();
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".cb-filter"), setup);
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init); // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
