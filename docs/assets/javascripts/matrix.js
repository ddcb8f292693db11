/* iPaaS comparison matrix: sorting, facet and text filters, group toggles,
 * side-by-side comparison and a provenance popover, on top of the table the
 * page already contains. All view state lives in the query string; every
 * parameter is validated against the table itself, and anything unknown is
 * ignored with a visible notice. Text from the URL is only ever written with
 * textContent or used as a value, never parsed as HTML.
 */
(function () {
  "use strict";
  var MAX_QUERY = 80;
  var MIN_COMPARE = 2;
  var MAX_COMPARE = 4;
  var uid = 0;

  /* Shared helpers from widgets.js, which loads this script. */
  var el = window.ipDom.el;
  var each = window.ipDom.each;

  /* Run fn in a task of its own. */
  function later(fn) {
    setTimeout(fn, 0);
  }

  /* A cell's value: the text before its first element (notes and source links). */
  function valueOf(cell) {
    var node = cell.firstChild;
    return node && node.nodeType === 3 ? node.nodeValue.trim() : "";
  }

  function init(root) {
    var table = root.querySelector("table.ip-matrix");
    if (!table || !table.tHead || table.tHead.rows.length < 2) return;
    /* The page holds empty, hidden boxes for the controls, the comparison and the
       popover (ipaas_render.py): filling them restyles only them, while adding
       elements next to the table would restyle the whole table. */
    var panel = root.querySelector("div.ip-mx-controls");
    var compareBox = root.querySelector("section.ip-mx-compare");
    var pop = root.querySelector("div.ip-mx-pop");
    if (!panel || !compareBox || !pop) return;
    var n = ++uid;
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var heads = table.tHead.rows[1].cells;
    var corner = table.tHead.rows[0].cells[0];
    var crit = {};
    var order = [];
    var groups = {};
    var groupOrder = [];
    var platforms = {};

    each(heads, function (th, i) {
      var id = th.getAttribute("data-c");
      var options = null;
      if (th.hasAttribute("data-options")) {
        try {
          options = JSON.parse(th.getAttribute("data-options"));
        } catch (e) {
          options = null;
        }
      }
      crit[id] = {
        th: th,
        index: i + 1,
        name: th.textContent,
        group: th.getAttribute("data-g"),
        numeric: th.hasAttribute("data-numeric"),
        options: options
      };
      order.push(id);
    });
    each(table.tHead.rows[0].cells, function (th) {
      var g = th.getAttribute("data-g");
      if (g) {
        groups[g] = th.textContent;
        groupOrder.push(g);
      }
    });
    var position = {};
    rows.forEach(function (row, i) {
      var id = row.getAttribute("data-platform");
      position[id] = i;
      platforms[id] = row;
    });
    /* The text a row is filtered on (name, values, notes), read on first use. */
    var haystack = {};
    function hayOf(row) {
      var id = row.getAttribute("data-platform");
      if (!(id in haystack)) {
        var words = [row.cells[0].querySelector("a").textContent];
        each(row.cells, function (cell, j) {
          if (j) words.push(valueOf(cell));
        });
        each(row.querySelectorAll(".ip-note"), function (node) {
          words.push(node.textContent);
        });
        haystack[id] = words.join(" ").toLowerCase();
      }
      return haystack[id];
    }
    var facetIds = order.filter(function (id) {
      return crit[id].options;
    });

    /* The rest of the set-up runs in two later tasks (controls, then behaviour),
       so that no single task keeps the page from responding for long. The
       controls appear only once they work. */
    later(build);

    function build() {
      var state = blank();
      function blank() {
        return { q: "", facets: {}, sort: "", dir: "asc", hide: [], compare: [] };
      }

      /* ---- URL state ---- */

      function optionIds(id) {
        return crit[id].options.map(function (o) {
          return o[0];
        });
      }

      function parse(search) {
        var state = blank();
        var bad = [];
        var params = new URLSearchParams(search);
        params.forEach(function (value, key) {
          var ok = true;
          if (key === "q") {
            ok = value.length <= MAX_QUERY && !/[\u0000-\u001f<>]/.test(value);
            if (ok) state.q = value;
          } else if (key === "sort") {
            ok = value === "platform" || crit.hasOwnProperty(value);
            if (ok) state.sort = value;
          } else if (key === "dir") {
            ok = value === "asc" || value === "desc";
            if (ok) state.dir = value;
          } else if (key === "hide") {
            var gs = value.split(",");
            ok = gs.every(function (g) {
              return groups.hasOwnProperty(g);
            });
            if (ok) state.hide = gs.filter(function (g, i) { return gs.indexOf(g) === i; });
          } else if (key === "compare") {
            var ps = value.split(",");
            ok = ps.length >= MIN_COMPARE && ps.length <= MAX_COMPARE && ps.every(function (p, i) {
              return platforms.hasOwnProperty(p) && ps.indexOf(p) === i;
            });
            if (ok) state.compare = ps;
          } else if (facetIds.indexOf(key) >= 0) {
            ok = optionIds(key).indexOf(value) >= 0;
            if (ok) state.facets[key] = value;
          } else {
            ok = false;
          }
          if (!ok && bad.indexOf(key) < 0) bad.push(key);
        });
        return { state: state, bad: bad };
      }

      function serialise(state) {
        var params = new URLSearchParams();
        if (state.q) params.set("q", state.q);
        facetIds.forEach(function (id) {
          if (state.facets[id]) params.set(id, state.facets[id]);
        });
        if (state.sort) {
          params.set("sort", state.sort);
          if (state.dir === "desc") params.set("dir", "desc");
        }
        if (state.hide.length) params.set("hide", state.hide.join(","));
        if (state.compare.length >= MIN_COMPARE) params.set("compare", state.compare.join(","));
        return params.toString();
      }

      function save() {
        var qs = serialise(state);
        history.replaceState(history.state, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
      }

      /* ---- controls ---- */

      var notice = el("p", { class: "ip-mx-notice", role: "alert", hidden: "" });
      var text = el("input", { type: "search", id: "ip-mx-q" + n, maxlength: String(MAX_QUERY), autocomplete: "off" });
      var textLabel = el("label", { for: "ip-mx-q" + n }, "Filter by text ");
      var count = el("p", { class: "ip-mx-count", "aria-live": "polite" });
      var reset = el("button", { type: "button", class: "md-button" }, "Reset view");
      var selects = {};
      var boxes = {};

      var row1 = el("div", { class: "ip-mx-row" });
      row1.appendChild(textLabel);
      textLabel.appendChild(text);
      row1.appendChild(reset);

      var facetSet = el("fieldset", { class: "ip-mx-facets" });
      facetSet.appendChild(el("legend", {}, "Filter by facet"));
      facetIds.forEach(function (id) {
        var sid = "ip-mx-f" + n + "-" + id;
        var label = el("label", { for: sid }, crit[id].name);
        var select = el("select", { id: sid, "data-facet": id });
        select.appendChild(el("option", { value: "" }, "Any"));
        crit[id].options.forEach(function (o) {
          select.appendChild(el("option", { value: o[0] }, o[1]));
        });
        selects[id] = select;
        var wrap = el("span", { class: "ip-mx-facet" });
        wrap.appendChild(label);
        wrap.appendChild(select);
        facetSet.appendChild(wrap);
      });

      var groupSet = el("fieldset", { class: "ip-mx-groups" });
      groupSet.appendChild(el("legend", {}, "Show criteria groups"));
      groupOrder.forEach(function (g) {
        var label = el("label", { class: "ip-mx-group" });
        var box = el("input", { type: "checkbox", "data-group": g });
        boxes[g] = box;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + groups[g]));
        groupSet.appendChild(label);
      });

      var controls = document.createDocumentFragment();
      [notice, row1, facetSet, groupSet, count].forEach(function (node) {
        controls.appendChild(node);
      });
      panel.appendChild(controls);
      later(enable);

      function enable() {

        /* sort buttons in the column headers */
        var sortButtons = {};
        /* The page renders the buttons (disabled) so nothing in the table moves here. */
        function addSort(th, id) {
          var button = th.querySelector("button.ip-mx-sort");
          button.disabled = false;
          sortButtons[id] = button;
        }
        addSort(corner, "platform");
        order.forEach(function (id) {
          addSort(crit[id].th, id);
        });

        /* compare checkboxes in the row headers */
        var picks = {};
        rows.forEach(function (row) {
          picks[row.getAttribute("data-platform")] = row.cells[0].querySelector("input.ip-mx-pick");
        });

        /* provenance popover */
        pop.id = "ip-mx-pop" + n;

        /* ---- rendering the state ---- */

        function cellOf(row, id) {
          return id === "platform" ? row.cells[0] : row.cells[crit[id].index];
        }

        function key(row, id) {
          var cell = cellOf(row, id);
          var s = cell.getAttribute("data-sort");
          if (s !== null && s !== "") return { num: parseFloat(s) };
          if (id !== "platform" && (crit[id].numeric || crit[id].options)) return { missing: true };
          var text = id === "platform" ? cell.querySelector("a").textContent : valueOf(cell);
          return { text: text.trim().toLowerCase() };
        }

        function compareRows(a, b) {
          var id = state.sort;
          var ka = key(a, id);
          var kb = key(b, id);
          var diff = 0;
          if (ka.missing || kb.missing) {
            diff = (ka.missing ? 1 : 0) - (kb.missing ? 1 : 0);
            if (diff) return diff;
          } else if ("num" in ka && "num" in kb) {
            diff = ka.num - kb.num;
          } else {
            diff = String(ka.text).localeCompare(String(kb.text));
          }
          if (state.dir === "desc") diff = -diff;
          return diff || position[a.getAttribute("data-platform")] - position[b.getAttribute("data-platform")];
        }

        function matches(row) {
          var ok = true;
          Object.keys(state.facets).forEach(function (id) {
            if (cellOf(row, id).getAttribute("data-tag") !== state.facets[id]) ok = false;
          });
          if (ok && state.q) {
            var hay = hayOf(row);
            ok = state.q.toLowerCase().split(/\s+/).every(function (word) {
              return !word || new RegExp("(^|[^a-z0-9])" + word.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).test(hay);
            });
          }
          return ok;
        }

        function renderCompare() {
          while (compareBox.firstChild) compareBox.removeChild(compareBox.firstChild);
          var ids = state.compare;
          if (ids.length < MIN_COMPARE) {
            compareBox.hidden = true;
            if (ids.length === 1) {
              compareBox.hidden = false;
              compareBox.appendChild(el("p", { class: "ip-mx-hint" }, "Pick one to three more platforms to compare."));
            }
            return;
          }
          compareBox.hidden = false;
          var names = ids.map(function (id) {
            return platforms[id].cells[0].querySelector("a").textContent;
          });
          var t = el("table", { class: "ip-mx-compare-table" });
          t.appendChild(el("caption", {}, "Side by side: " + names.join(", ")));
          var head = el("tr");
          head.appendChild(el("th", { scope: "col" }, "Criterion"));
          ids.forEach(function (id) {
            var th = el("th", { scope: "col" });
            th.appendChild(platforms[id].cells[0].querySelector("a").cloneNode(true));
            head.appendChild(th);
          });
          t.appendChild(el("thead")).appendChild(head);
          var body = el("tbody");
          order.forEach(function (cid) {
            if (state.hide.indexOf(crit[cid].group) >= 0) return;
            var tr = el("tr");
            tr.appendChild(el("th", { scope: "row" }, groups[crit[cid].group] + ": " + crit[cid].name));
            ids.forEach(function (id) {
              var td = cellOf(platforms[id], cid).cloneNode(true);
              td.removeAttribute("hidden");
              tr.appendChild(td);
            });
            body.appendChild(tr);
          });
          t.appendChild(body);
          var wrap = el("div", { class: "ip-mx-compare-scroll", tabindex: "0", role: "region", "aria-label": "Comparison table" });
          wrap.appendChild(t);
          var clear = el("button", { type: "button", class: "md-button", "data-clear": "" }, "Clear comparison");
          compareBox.appendChild(wrap);
          compareBox.appendChild(clear);
        }

        function render() {
          text.value = state.q;
          facetIds.forEach(function (id) {
            selects[id].value = state.facets[id] || "";
          });
          groupOrder.forEach(function (g) {
            boxes[g].checked = state.hide.indexOf(g) < 0;
          });
          var hideKey = state.hide.join(",");
          if (hideKey !== shownHide) {
            shownHide = hideKey;
            each(table.querySelectorAll("[data-g]"), function (cell) {
              cell.hidden = state.hide.indexOf(cell.getAttribute("data-g")) >= 0;
            });
          }
          Object.keys(sortButtons).forEach(function (id) {
            var th = sortButtons[id].parentNode;
            if (id === state.sort) th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
            else th.removeAttribute("aria-sort");
          });
          var sorted = rows.slice();
          if (state.sort) sorted.sort(compareRows);
          var moved = sorted.some(function (row, i) {
            return tbody.rows[i] !== row;
          });
          if (moved) {
            var fragment = document.createDocumentFragment();
            sorted.forEach(function (row) {
              fragment.appendChild(row);
            });
            tbody.appendChild(fragment);
          }
          var shown = 0;
          sorted.forEach(function (row) {
            var hide = !matches(row);
            if (row.hidden !== hide) row.hidden = hide;
            if (!hide) shown += 1;
          });
          count.textContent = "Showing " + shown + " of " + rows.length + " platforms.";
          rows.forEach(function (row) {
            var id = row.getAttribute("data-platform");
            picks[id].checked = state.compare.indexOf(id) >= 0;
            picks[id].disabled = !picks[id].checked && state.compare.length >= MAX_COMPARE;
          });
          renderCompare();
        }

        function update() {
          render();
          save();
        }

        function showNotice(bad) {
          if (!bad.length) {
            notice.hidden = true;
            return;
          }
          var names = bad.slice(0, 5).map(function (b) {
            return b.length > 30 ? b.slice(0, 30) + "…" : b;
          });
          notice.textContent =
            "Some settings in the address were not valid and were ignored: " + names.join(", ") +
            (bad.length > 5 ? " and " + (bad.length - 5) + " more." : ".");
          notice.hidden = false;
        }

        /* ---- events ---- */

        text.addEventListener("input", function () {
          state.q = text.value.slice(0, MAX_QUERY);
          update();
        });
        facetIds.forEach(function (id) {
          selects[id].addEventListener("change", function () {
            if (selects[id].value) state.facets[id] = selects[id].value;
            else delete state.facets[id];
            update();
          });
        });
        groupOrder.forEach(function (g) {
          boxes[g].addEventListener("change", function () {
            state.hide = groupOrder.filter(function (x) {
              return x === g ? !boxes[g].checked : state.hide.indexOf(x) >= 0;
            });
            update();
          });
        });
        reset.addEventListener("click", function () {
          state = blank();
          showNotice([]);
          update();
        });
        table.tHead.addEventListener("click", function (event) {
          var button = event.target.closest("button[data-sort]");
          if (!button) return;
          var id = button.getAttribute("data-sort");
          state.dir = state.sort === id && state.dir === "asc" ? "desc" : "asc";
          state.sort = id;
          update();
        });
        tbody.addEventListener("change", function (event) {
          var id = event.target.getAttribute("data-pick");
          if (!id) return;
          var at = state.compare.indexOf(id);
          if (event.target.checked && at < 0 && state.compare.length < MAX_COMPARE) state.compare.push(id);
          if (!event.target.checked && at >= 0) state.compare.splice(at, 1);
          update();
        });
        compareBox.addEventListener("click", function (event) {
          if (!event.target.hasAttribute("data-clear")) return;
          state.compare = [];
          update();
          var first = tbody.querySelector("input.ip-mx-pick");
          if (first) first.focus();
        });

        var anchor = null;
        var shownHide = ""; // the page shows every group
        // The second header row sticks just below the first, whatever its height.
        // A ResizeObserver reports that height when the browser lays the table out
        // (the table is skipped until it nears the viewport), without forcing a layout.
        function stickBelow(height) {
          each(heads, function (th) {
            th.style.top = height + "px";
          });
        }
        if (window.ResizeObserver) {
          new ResizeObserver(function (entries) {
            var entry = entries[entries.length - 1];
            var size = entry.borderBoxSize && entry.borderBoxSize[0];
            stickBelow(size ? size.blockSize : entry.contentRect.height);
          }).observe(table.tHead.rows[0]);
        } else {
          requestAnimationFrame(function () {
            stickBelow(table.tHead.rows[0].getBoundingClientRect().height);
          });
        }
        function showPop(cell, link) {
          if (!cell || !cell.hasAttribute("data-reviewed")) return;
          while (pop.firstChild) pop.removeChild(pop.firstChild);
          pop.appendChild(el("strong", {}, "Sources"));
          var list = el("ul");
          each(cell.querySelectorAll("a.ip-src"), function (a) {
            list.appendChild(el("li", {}, a.getAttribute("data-title")));
          });
          pop.appendChild(list);
          var meta = "Reviewed " + cell.getAttribute("data-reviewed");
          if (cell.getAttribute("data-confidence")) meta += " · confidence " + cell.getAttribute("data-confidence");
          if (cell.hasAttribute("data-estimate")) meta += " · estimate";
          pop.appendChild(el("p", {}, meta));
          var box = cell.getBoundingClientRect();
          var host = root.getBoundingClientRect();
          pop.style.top = box.bottom - host.top + 4 + "px";
          pop.style.left = Math.max(0, Math.min(box.left - host.left, host.width - 320)) + "px";
          pop.hidden = false;
          if (anchor) anchor.removeAttribute("aria-describedby");
          anchor = link || null;
          if (anchor) anchor.setAttribute("aria-describedby", pop.id);
        }
        function hidePop() {
          pop.hidden = true;
          if (anchor) anchor.removeAttribute("aria-describedby");
          anchor = null;
        }
        root.addEventListener("focusin", function (event) {
          var link = event.target.closest ? event.target.closest("a.ip-src") : null;
          if (link) showPop(link.closest("td"), link);
          else hidePop();
        });
        root.addEventListener("mouseover", function (event) {
          var cell = event.target.closest ? event.target.closest("td[data-reviewed]") : null;
          if (cell) showPop(cell, event.target.closest("a.ip-src"));
        });
        root.addEventListener("mouseleave", hidePop);
        root.addEventListener("keydown", function (event) {
          if (event.key === "Escape" && !pop.hidden) {
            hidePop();
            event.stopPropagation();
          }
        });

        var parsed = parse(location.search);
        state = parsed.state;
        showNotice(parsed.bad);
        render();
        if (parsed.bad.length) save();
        panel.hidden = false;
      }
    }
  }

  window.ipWidgets = window.ipWidgets || {};
  window.ipWidgets.matrix = init;
})();
