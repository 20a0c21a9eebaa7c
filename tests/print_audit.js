// Run by tests/browser.py at the end of a page's <body>, in headless Chromium with the page's
// print rules in force and the window as wide as an A4 landscape page's printable area. It
// reads the laid-out page and writes what it found, as base64 JSON, into the attribute
// data-audit of a new <div id="sc-audit">, which `chromium --dump-dom` then prints:
//   pairs:      [where, text colour, background colour] for every element with text of its
//               own, the background being the nearest opaque one behind it; SVG text too,
//               against the filled shape under its middle (or the page behind the SVG);
//   overflow:   table cells whose text is wider or taller than the cell;
//   unlabelled: SVGs with neither an aria-label nor a <title>;
//   wrapped:    text in a table's "Month" column that breaks over more than one line;
//   headings:   the text of every heading (h1-h6, a table's group heading row) and of the
//               paragraph leading a section (a <p> right after a heading, with more after it);
//   tables:     each table's header text and the text of each of its body rows.
(function () {
  "use strict";
  var out = { pairs: [], overflow: [], unlabelled: [], wrapped: [], headings: [], tables: [] };
  var norm = function (s) { return (s || "").replace(/\s+/g, " ").trim(); };
  var where = function (el) {
    var id = el.id ? "#" + el.id : "";
    var cls = el.getAttribute("class") ? "." + el.getAttribute("class").split(/\s+/).join(".") : "";
    return el.tagName.toLowerCase() + id + cls + ": " + norm(el.textContent).slice(0, 60);
  };
  var opaque = function (c) {
    return c && c !== "transparent" && !/^rgba\(.*,\s*0(\.0+)?\)$/.test(c) && !/^rgba\(.*,\s*0?\.\d+\)$/.test(c);
  };
  var background = function (el) {
    for (; el && el.nodeType === 1; el = el.parentElement) {
      var c = getComputedStyle(el).backgroundColor;
      if (opaque(c)) { return c; }
    }
    return "rgb(255, 255, 255)";  // the canvas: paper
  };
  var all = document.body.querySelectorAll("*");
  for (var i = 0; i < all.length; i++) {
    var el = all[i];
    if (el.closest("svg") || /^(SCRIPT|STYLE|TITLE)$/.test(el.tagName)) { continue; }
    var own = Array.prototype.some.call(el.childNodes, function (n) {
      return n.nodeType === 3 && n.textContent.trim();
    });
    var style = getComputedStyle(el);
    if (own && style.visibility !== "hidden" && style.display !== "none") {
      out.pairs.push([where(el), style.color, background(el)]);
    }
  }
  var shapes = /^(circle|rect|path|polygon|ellipse)$/;
  var texts = document.querySelectorAll("svg text");
  for (var t = 0; t < texts.length; t++) {
    var text = texts[t];
    var box = text.getBoundingClientRect();
    window.scrollTo(0, Math.max(0, window.scrollY + box.top - 100));
    box = text.getBoundingClientRect();
    var behind = null;
    var stack = document.elementsFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    for (var k = 0; k < stack.length && behind === null; k++) {
      var under = stack[k];
      if (under === text || under.closest("text")) { continue; }
      var fill = getComputedStyle(under).fill;
      if (shapes.test(under.tagName) && opaque(fill) && fill !== "none") { behind = fill; }
      else if (!shapes.test(under.tagName)) { behind = background(under.closest("svg") || under); }
    }
    out.pairs.push(["svg text: " + norm(text.textContent), getComputedStyle(text).fill,
                    behind || background(text.closest("svg"))]);
  }
  window.scrollTo(0, 0);
  var cells = document.querySelectorAll("td, th");
  for (var c = 0; c < cells.length; c++) {
    var cell = cells[c];
    if (cell.scrollWidth > cell.clientWidth + 1 || cell.scrollHeight > cell.clientHeight + 1) {
      out.overflow.push(where(cell) + " (" + cell.scrollWidth + "x" + cell.scrollHeight +
                        " in " + cell.clientWidth + "x" + cell.clientHeight + ")");
    }
  }
  var svgs = document.querySelectorAll("svg");
  for (var s = 0; s < svgs.length; s++) {
    var title = svgs[s].querySelector(":scope > title");
    if (!norm(svgs[s].getAttribute("aria-label")) && !(title && norm(title.textContent))) {
      out.unlabelled.push(svgs[s].outerHTML.slice(0, 120));
    }
  }
  var tables = document.querySelectorAll("table");
  for (var n = 0; n < tables.length; n++) {
    var table = tables[n];
    var heads = table.tHead ? Array.prototype.slice.call(table.tHead.rows[table.tHead.rows.length - 1].cells) : [];
    var month = heads.findIndex(function (h) { return /^Month\b/.test(norm(h.textContent)); });
    var rows = [];
    for (var b = 0; b < table.tBodies.length; b++) {
      for (var r = 0; r < table.tBodies[b].rows.length; r++) {
        var row = table.tBodies[b].rows[r];
        rows.push(norm(row.innerText));
        var cell2 = month >= 0 && row.cells.length === heads.length ? row.cells[month] : null;
        if (cell2 === null) { continue; }
        var walker = document.createTreeWalker(cell2, NodeFilter.SHOW_TEXT);
        for (var node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent.trim()) { continue; }
          var range = document.createRange();
          range.selectNodeContents(node);
          var tops = {};
          Array.prototype.forEach.call(range.getClientRects(), function (q) { tops[Math.round(q.top)] = 1; });
          if (Object.keys(tops).length > 1) { out.wrapped.push(norm(node.textContent)); }
        }
      }
    }
    out.tables.push({ head: table.tHead ? norm(table.tHead.innerText) : "", rows: rows });
  }
  var heads2 = document.querySelectorAll("h1, h2, h3, h4, h5, h6, tr.gt_group_heading_row");
  for (var h = 0; h < heads2.length; h++) {
    out.headings.push(norm(heads2[h].innerText));
    var lead = heads2[h].nextElementSibling;
    if (lead && lead.tagName === "P" && lead.nextElementSibling) { out.headings.push(norm(lead.innerText)); }
  }
  var json = JSON.stringify(out);
  var div = document.createElement("div");
  div.id = "sc-audit";
  div.setAttribute("data-audit", btoa(unescape(encodeURIComponent(json))));
  document.body.appendChild(div);
})();
