/* Connector cheat sheet: filter by connector and facet, compare facets side by
 * side, and copy a row's permanent link. The page already holds every entry;
 * this script only hides, clones and links. State lives in the query string
 * (?connector=a,b&facet=x,y&view=compare); every value is checked against the
 * ids the page declares, unknown ones are dropped with a visible notice, and
 * URL text is only ever written with textContent.
 */
(function () {
  "use strict";
  var ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var uid = 0;

  /* Shared helpers from widgets.js, which loads this script. */
  var el = window.ipDom.el;
  var each = window.ipDom.each;
  var url = window.ipUrl;

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function words(value) {
    return (value || "").split(/\s+/).filter(Boolean);
  }

  /* Keep the known ids asked for in `raw`, in page order; report the rest. */
  function pick(raw, known, kind, problems) {
    if (raw === null) return known.slice();
    var asked = raw.split(",").filter(Boolean);
    var chosen = [];
    asked.forEach(function (value) {
      if (ID.test(value) && known.indexOf(value) >= 0) {
        if (chosen.indexOf(value) < 0) chosen.push(value);
      } else {
        problems.push(kind + " \u201c" + value.slice(0, 40) + "\u201d");
      }
    });
    return chosen.length ? known.filter(function (id) { return chosen.indexOf(id) >= 0; }) : known.slice();
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = el("textarea", { "aria-hidden": "true", style: "position:fixed;opacity:0" });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function init(root) {
    var n = ++uid;
    var connectors = words(root.getAttribute("data-connectors")).filter(function (id) { return ID.test(id); });
    var facets = words(root.getAttribute("data-facets")).filter(function (id) { return ID.test(id); });
    var sectionsBox = root.querySelector(".ip-cs-sections");
    var tools = root.querySelector(".ip-cs-tools");
    if (!connectors.length || !facets.length || !sectionsBox || !tools) return;
    var names = {};
    var titles = {};
    each(root.querySelectorAll("section[data-connector]"), function (section) {
      var heading = section.querySelector("h2");
      names[section.getAttribute("data-connector")] = heading ? heading.firstChild.textContent.trim() : "";
    });
    each(root.querySelectorAll(".ip-cs-legend li[data-facet] strong"), function (strong) {
      titles[strong.parentNode.getAttribute("data-facet")] = strong.textContent;
    });

    var state = { connector: connectors.slice(), facet: facets.slice(), compare: false };

    /* ---- controls ---- */
    var form = el("form", { class: "ip-cs-controls", "aria-label": "Filter the cheat sheet" });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var notice = el("p", { class: "ip-cs-notice", role: "status", hidden: "" });
    var status = el("p", { class: "ip-cs-status", "aria-live": "polite" });
    var boxes = { connector: {}, facet: {} };

    function fieldset(kind, legend, ids, label) {
      var set = el("fieldset", { class: "ip-cs-fieldset" });
      set.appendChild(el("legend", {}, legend));
      ids.forEach(function (id) {
        var inputId = "ip-cs-" + n + "-" + kind + "-" + id;
        var box = el("input", { type: "checkbox", id: inputId, value: id });
        box.addEventListener("change", function () {
          var chosen = ids.filter(function (x) { return boxes[kind][x].checked; });
          state[kind] = chosen.length ? chosen : ids.slice();
          apply();
        });
        boxes[kind][id] = box;
        var wrap = el("span", { class: "ip-cs-choice" });
        wrap.appendChild(box);
        wrap.appendChild(el("label", { for: inputId }, label(id)));
        set.appendChild(wrap);
      });
      return set;
    }

    form.appendChild(fieldset("connector", "Connectors", connectors, function (id) { return names[id] || id; }));
    form.appendChild(fieldset("facet", "Facets", facets, function (id) { return titles[id] || id; }));
    var actions = el("div", { class: "ip-cs-actions" });
    var compareId = "ip-cs-" + n + "-compare";
    var compareBox = el("input", { type: "checkbox", id: compareId });
    compareBox.addEventListener("change", function () {
      state.compare = compareBox.checked;
      apply();
    });
    var compareWrap = el("span", { class: "ip-cs-choice" });
    compareWrap.appendChild(compareBox);
    compareWrap.appendChild(el("label", { for: compareId }, "Compare side by side"));
    var reset = el("button", { type: "button", class: "md-button" }, "Show everything");
    reset.addEventListener("click", function () {
      state = { connector: connectors.slice(), facet: facets.slice(), compare: false };
      apply();
    });
    actions.appendChild(compareWrap);
    actions.appendChild(reset);
    form.appendChild(actions);

    var compareBoxOut = el("div", { class: "ip-cs-compare", hidden: "" });
    /* Controls and status live in the folded disclosure the page already has;
       the notice and the compare table are hidden until needed. Nothing visible
       moves when the script starts. */
    each(tools.querySelectorAll(".ip-cs-nojs"), function (note) { note.remove(); });
    tools.appendChild(form);
    tools.appendChild(el("p", { class: "ip-cs-hint" },
      "To share one row, select its facet name: a Copy link button appears beside it."));
    tools.appendChild(status);
    root.insertBefore(notice, sectionsBox);
    root.insertBefore(compareBoxOut, sectionsBox);

    /* "Compare across connectors" next to each facet in the legend. */
    each(root.querySelectorAll(".ip-cs-legend li[data-facet]"), function (li) {
      var id = li.getAttribute("data-facet");
      if (facets.indexOf(id) < 0) return;
      var button = el("button", { type: "button", class: "ip-cs-link-button" }, "Compare across connectors");
      button.addEventListener("click", function () {
        state = { connector: connectors.slice(), facet: [id], compare: true };
        tools.open = true;
        apply();
        compareBoxOut.scrollIntoView();
      });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(button);
    });

    /* One "Copy link" button, moved to the row the reader is on: the row the
     * address points at, or the row anchor that has the keyboard focus. One
     * button instead of one per row keeps the page light. */
    var copyButton = el("button", { type: "button", class: "ip-cs-copy" }, "Copy link");
    var copyRow = "";
    function offerCopy(anchor) {
      /* Material rewrites hrefs to absolute URLs, so read the row's id instead. */
      var row = anchor && anchor.closest("tr");
      if (!row || !ID.test(row.id) || !root.contains(row)) return;
      copyRow = row.id;
      copyButton.textContent = "Copy link";
      copyButton.setAttribute("aria-label", "Copy link to " + anchor.getAttribute("title").replace(/^Link to /, ""));
      if (copyButton.previousSibling !== anchor) anchor.parentNode.insertBefore(copyButton, anchor.nextSibling);
    }
    function offerCopyForHash() {
      var id = location.hash.slice(1);
      var row = ID.test(id) ? document.getElementById(id) : null;
      if (row && row.tagName === "TR") offerCopy(row.querySelector("a.ip-cs-anchor"));
    }
    copyButton.addEventListener("click", function () {
      var link = location.origin + location.pathname + "#" + copyRow;
      copyText(link).then(function () {
        copyButton.textContent = "Copied";
      }, function () {
        copyButton.textContent = "Press Ctrl+C";
        window.prompt("Link to this row:", link);
      });
      window.setTimeout(function () { copyButton.textContent = "Copy link"; }, 2000);
    });
    root.addEventListener("focusin", function (event) {
      var anchor = event.target.closest && event.target.closest("a.ip-cs-anchor");
      if (anchor) offerCopy(anchor);
    });
    /* In-site navigation replaces the page: the listener leaves with its sheet. */
    function onHash() {
      if (root.isConnected) offerCopyForHash();
      else window.removeEventListener("hashchange", onHash);
    }
    window.addEventListener("hashchange", onHash);
    offerCopyForHash();

    /* Each connector's table sits in a disclosure; only the first starts open.
       A link to a connector's heading opens its table (widgets.js opens the
       disclosure around a row target itself). */
    function facts(section) {
      return section ? section.querySelector("details.ip-cs-facts") : null;
    }
    root.addEventListener("ip-reveal", function (event) {
      var section = event.target.tagName === "H2" ? event.target.closest("section[data-connector]") : null;
      var fold = facts(section);
      if (fold) fold.open = true;
    });
    /* Print every table, then give the reader back the folds they had. */
    var foldedForPrint = [];
    function onBeforePrint() {
      if (!root.isConnected) {
        window.removeEventListener("beforeprint", onBeforePrint);
        window.removeEventListener("afterprint", onAfterPrint);
        return;
      }
      foldedForPrint = [];
      each(root.querySelectorAll("details.ip-cs-facts:not([open])"), function (fold) {
        foldedForPrint.push(fold);
        fold.open = true;
      });
    }
    function onAfterPrint() {
      foldedForPrint.forEach(function (fold) { fold.open = false; });
      foldedForPrint = [];
    }
    window.addEventListener("beforeprint", onBeforePrint);
    window.addEventListener("afterprint", onAfterPrint);

    function buildCompare() {
      compareBoxOut.textContent = "";
      var table = el("table", { class: "ip-table ip-cs-compare-table" });
      var caption = el("caption", {}, "Side by side: " + state.facet.map(function (id) { return titles[id] || id; }).join(", "));
      table.appendChild(caption);
      var head = el("thead");
      var headRow = el("tr");
      headRow.appendChild(el("th", { scope: "col" }, "Connector"));
      state.facet.forEach(function (id) { headRow.appendChild(el("th", { scope: "col" }, titles[id] || id)); });
      head.appendChild(headRow);
      table.appendChild(head);
      var body = el("tbody");
      state.connector.forEach(function (cid) {
        var row = el("tr");
        var th = el("th", { scope: "row" });
        th.appendChild(el("a", { href: "#" + cid }, names[cid] || cid));
        row.appendChild(th);
        state.facet.forEach(function (fid) {
          var source = document.getElementById(cid + "-" + fid);
          var cell = el("td");
          var original = source && source.querySelector("td");
          if (original) {
            each(original.childNodes, function (child) { cell.appendChild(child.cloneNode(true)); });
            each(cell.querySelectorAll("[id]"), function (node) { node.removeAttribute("id"); });
          }
          row.appendChild(cell);
        });
        body.appendChild(row);
      });
      table.appendChild(body);
      var wrap = el("div", { class: "ip-table-wrap", tabindex: "0", role: "region", "aria-label": caption.textContent });
      wrap.appendChild(table);
      compareBoxOut.appendChild(wrap);
    }

    function apply() {
      Object.keys(boxes.connector).forEach(function (id) {
        boxes.connector[id].checked = state.connector.length < connectors.length && state.connector.indexOf(id) >= 0;
      });
      Object.keys(boxes.facet).forEach(function (id) {
        boxes.facet[id].checked = state.facet.length < facets.length && state.facet.indexOf(id) >= 0;
      });
      compareBox.checked = state.compare;
      /* A filtered view shows what the reader picked: its tables open. */
      var narrowed = state.connector.length < connectors.length || state.facet.length < facets.length;
      each(root.querySelectorAll("section[data-connector]"), function (section) {
        section.hidden = state.connector.indexOf(section.getAttribute("data-connector")) < 0;
        var fold = facts(section);
        if (narrowed && !section.hidden && fold) fold.open = true;
      });
      each(sectionsBox.querySelectorAll("tr[data-facet]"), function (row) {
        row.hidden = state.facet.indexOf(row.getAttribute("data-facet")) < 0;
      });
      sectionsBox.hidden = state.compare;
      compareBoxOut.hidden = !state.compare;
      if (state.compare) buildCompare();
      status.textContent = "Showing " + state.connector.length + " of " + connectors.length +
        " connectors and " + state.facet.length + " of " + facets.length + " facets" +
        (state.compare ? ", side by side." : ".");
      url.write(["connector", "facet", "view"], {
        connector: state.connector.length < connectors.length ? state.connector.join(",") : "",
        facet: state.facet.length < facets.length ? state.facet.join(",") : "",
        view: state.compare ? "compare" : ""
      });
    }

    /* ---- read the URL ---- */
    /* Lists are checked value by value below, so each unknown id is named. */
    var asIs = function (v) { return v; };
    var read = url.read(location.search, {
      connector: asIs,
      facet: asIs,
      view: function (v) { return v === "compare" || v === "sheet" ? v : undefined; }
    });
    var values = read.values;
    var problems = [];
    state.connector = pick(has(values, "connector") ? values.connector : null, connectors, "connector", problems);
    state.facet = pick(has(values, "facet") ? values.facet : null, facets, "facet", problems);
    if (read.bad.indexOf("view") >= 0) {
      problems.push("view \u201c" + new URLSearchParams(location.search).get("view").slice(0, 40) + "\u201d");
    }
    state.compare = values.view === "compare";
    /* A shared row link must land on a visible row. */
    var target = location.hash.slice(1);
    if (ID.test(target) && !state.compare) {
      connectors.forEach(function (cid) {
        if (target === cid || target.indexOf(cid + "-") === 0) {
          if (state.connector.indexOf(cid) < 0) state.connector = connectors.slice();
          var fid = target.slice(cid.length + 1);
          if (fid && facets.indexOf(fid) >= 0 && state.facet.indexOf(fid) < 0) state.facet = facets.slice();
        }
      });
    }
    /* A shared view opens the controls so the reader sees what is filtered. */
    if (problems.length || has(values, "connector") || has(values, "facet") || state.compare) {
      tools.open = true;
    }
    if (problems.length) {
      notice.textContent = "Ignored from the address: " + problems.join(", ") + ". Showing the rest.";
      notice.hidden = false;
    }
    apply();
  }

  window.ipWidgets = window.ipWidgets || {};
  window.ipWidgets.cheatsheet = init;
})();
