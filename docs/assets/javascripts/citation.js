/* Copy citation: cite one comparison-matrix cell or one cheat-sheet entry.
 *
 * Reads only what the static page already shows (the fact, its source links,
 * its review date and its anchor); adds one panel after each matrix or cheat
 * sheet and no markup inside the repeated cells. Click a cell or an entry (or
 * tab to one of its links) to select it, then copy its citation as plain
 * text or as Markdown for a wiki page. Loaded by widgets.js through a
 * data-widget="citation" marker that the build adds to those pages.
 */
(function () {
  "use strict";

  function clean(text) {
    return String(text || "").replace(/\s+/g, " ").trim();
  }

  /* Pure formatting, shared with the tests. fact: {what, value, sources:
   * [{title, url}], reviewed, link}. */
  function plain(fact) {
    var src = fact.sources.map(function (s) { return s.title + " <" + s.url + ">"; }).join("; ");
    return fact.what + ": " + fact.value + ". Source: " + (src || "none listed") +
      (fact.reviewed ? "; reviewed " + fact.reviewed : "") + ". Via Integration Patterns: " + fact.link;
  }

  function escapeMd(text) {
    return String(text).replace(/([\\`*_[\]<>|])/g, "\\$1");
  }

  function markdown(fact) {
    var src = fact.sources.map(function (s) {
      return "[" + escapeMd(s.title) + "](" + String(s.url).replace(/ /g, "%20").replace(/\)/g, "%29") + ")";
    }).join(", ");
    return "**" + escapeMd(fact.what) + "**: " + escapeMd(fact.value) + " (" + (src || "no source listed") +
      (fact.reviewed ? "; reviewed " + fact.reviewed : "") + "; via [Integration Patterns](" + fact.link + "))";
  }

  window.ipCitation = { plain: plain, markdown: markdown };

  function here(id) {
    return location.origin + location.pathname + (id ? "#" + id : "");
  }

  /* A matrix cell: <td data-c data-reviewed> in a row <tr id="platform-...">. */
  function matrixFact(td) {
    var row = td.closest("tr");
    var table = td.closest("table");
    var head = table && table.querySelector("#col-" + CSS.escape(td.getAttribute("data-c") || ""));
    var platform = row && row.querySelector("th a");
    var copy = td.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll("a.ip-src, button, input"), function (n) { n.remove(); });
    return {
      what: clean(platform && platform.textContent) + " · " + clean(head && head.textContent),
      value: clean(copy.textContent),
      sources: Array.prototype.map.call(td.querySelectorAll("a.ip-src"), function (a) {
        return { title: a.getAttribute("data-title") || clean(a.textContent), url: a.href };
      }),
      reviewed: td.getAttribute("data-reviewed") || "",
      link: here(row && row.id)
    };
  }

  /* A cheat-sheet row: <tr id="<connector>-<facet>"> with summary, details and meta. */
  function sheetFact(tr) {
    var caption = tr.closest("table") && tr.closest("table").querySelector("caption");
    var facet = tr.querySelector("th");
    var meta = tr.querySelector(".ip-cs-meta");
    var reviewed = /reviewed (\d{4}-\d\d-\d\d)/.exec((meta && meta.getAttribute("title")) || "");
    var summary = tr.querySelector(".ip-cs-summary");
    return {
      what: clean(caption && caption.textContent) + " · " + clean(facet && facet.textContent),
      value: clean(summary && summary.textContent),
      sources: Array.prototype.map.call(tr.querySelectorAll(".ip-cs-sources a"), function (a) {
        return { title: clean(a.textContent), url: a.href };
      }),
      reviewed: reviewed ? reviewed[1] : "",
      link: here(tr.id)
    };
  }

  /* One panel per widget; it moves next to the table of the selected fact. */
  function panel(root, find, read) {
    var dom = window.ipDom;
    var box = dom.el("div", { "class": "ip-cite", role: "region", "aria-label": "Copy citation" });
    var hint = dom.el("p", { "class": "ip-cite-hint" },
      "Copy citation: select a fact (click it, or tab to one of its links).");
    var preview = dom.el("textarea", { "class": "ip-cite-text", readonly: "", rows: "3",
      "aria-label": "Citation of the selected fact" });
    var status = dom.el("span", { "class": "ip-cite-status", role: "status", "aria-live": "polite" });
    var asText = dom.el("button", { type: "button", "class": "md-button", disabled: "" }, "Copy as text");
    var asMd = dom.el("button", { type: "button", "class": "md-button", disabled: "" }, "Copy as Markdown");
    var current = null;
    var chosen = null;
    [hint, preview, asText, asMd, status].forEach(function (n) { box.appendChild(n); });
    preview.hidden = true;
    preview.style.width = "100%";
    root.appendChild(box);

    function select(target) {
      var node = find(target);
      if (!node || !root.contains(node) || node === chosen) return;
      if (chosen) {
        chosen.removeAttribute("data-cite-selected");
        chosen.style.outline = "";
      }
      chosen = node;
      chosen.setAttribute("data-cite-selected", "");
      chosen.style.outline = "2px solid currentColor";
      current = read(node);
      preview.value = plain(current);
      preview.hidden = false;
      asText.disabled = asMd.disabled = false;
      hint.textContent = "Selected: " + current.what;
      status.textContent = "";
      var wrap = node.closest(".ip-table-wrap") || node.closest("table");
      if (wrap && wrap.nextSibling !== box) wrap.parentNode.insertBefore(box, wrap.nextSibling);
    }

    function copy(format) {
      if (!current) return;
      var text = format === "md" ? markdown(current) : plain(current);
      preview.value = text;
      var done = function () { status.textContent = format === "md" ? "Markdown copied." : "Text copied."; };
      var fallback = function () {
        preview.focus();
        preview.select();
        status.textContent = "Press Ctrl+C (or Cmd+C) to copy the selected citation.";
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else {
        fallback();
      }
    }

    root.addEventListener("click", function (event) { if (!box.contains(event.target)) select(event.target); });
    root.addEventListener("focusin", function (event) { if (!box.contains(event.target)) select(event.target); });
    asText.addEventListener("click", function () { copy("text"); });
    asMd.addEventListener("click", function () { copy("md"); });
  }

  function once(selector, find, read) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (root) {
      if (root.hasAttribute("data-cite-ready")) return;
      root.setAttribute("data-cite-ready", "");
      panel(root, find, read);
    });
  }

  window.ipWidgets = window.ipWidgets || {};
  window.ipWidgets.citation = function () {
    once('[data-widget="matrix"]', function (n) { return n.closest && n.closest("td[data-reviewed]"); }, matrixFact);
    once('[data-widget="cheatsheet"]', function (n) { return n.closest && n.closest(".ip-cs-table tr[id]"); },
      sheetFact);
  };
})();
