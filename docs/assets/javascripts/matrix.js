/* iPaaS comparison matrix: sorting, filters, group toggles, comparison and a
 * provenance popover on the table the page holds (macros/ipaas_render.py).
 * View state lives in the query string, validated against the table; unknown
 * parameters are ignored with a notice. URL text is only set as textContent.
 *
 * The file reads top to bottom as:
 *   model   - what the table says: criteria, groups, platforms, cell values;
 *   state   - the reader's view (filters, sort, hidden groups, comparison),
 *             read from and written to the address with window.ipUrl;
 *   view    - the controls, the table's rows, the comparison, the popover;
 *   wiring  - events that change the state and render it again.
 */
(function () {
  "use strict";
  var MAX_QUERY = 80;
  var MIN_COMPARE = 2;
  var MAX_COMPARE = 4;
  /* Below this width the stylesheet shows one card per platform (site.css). */
  var PHONE = "(max-width: 599.98px)";
  var uid = 0;

  /* Shared helpers from widgets.js, which loads this script. */
  var el = window.ipDom.el;
  var each = window.ipDom.each;
  var clear = window.ipDom.clear;
  var url = window.ipUrl;

  /* Run fn in a task of its own, so that no single task keeps the page from
     responding for long; resolves with fn's result. */
  function later(fn) {
    return new Promise(function (resolve) {
      setTimeout(function () {
        resolve(fn());
      }, 0);
    });
  }

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  /* ---- Model: read once from the table the page holds. ---- */

  /* A cell's value: the text before its first element (notes and source links). */
  function valueOf(cell) {
    var node = cell.firstChild;
    return node && node.nodeType === 3 ? node.nodeValue.trim() : "";
  }

  /* data-options and data-more are JSON the build writes (macros/ipaas_render.py). */
  function readOptions(th) {
    return th.hasAttribute("data-options") ? JSON.parse(th.getAttribute("data-options")) : null;
  }

  /* Everything the widget knows about the table, or null if it is not there. */
  function readModel(root) {
    var table = root.querySelector("table.ip-matrix");
    if (!table || !table.tHead || table.tHead.rows.length < 2) return null;
    /* Empty boxes in the page for controls, comparison and popover: filling
       them restyles only them (new elements beside the table restyle it all). */
    var model = {
      root: root,
      n: ++uid,
      table: table,
      tbody: table.tBodies[0],
      panel: root.querySelector("div.ip-mx-controls"),
      compareBox: root.querySelector("section.ip-mx-compare"),
      pop: root.querySelector("div.ip-mx-pop"),
      heads: table.tHead.rows[1].cells,
      corner: table.tHead.rows[0].cells[0],
      crit: {},
      order: [],
      groups: {},
      groupHead: {},
      groupOrder: [],
      platforms: {},
      position: {},
      haystack: {}
    };
    if (!model.panel || !model.compareBox || !model.pop) return null;
    model.rows = Array.prototype.slice.call(model.tbody.rows);
    each(model.heads, function (th, i) {
      var id = th.getAttribute("data-c");
      model.crit[id] = {
        th: th,
        index: i + 1,
        name: th.textContent,
        group: th.getAttribute("data-g"),
        numeric: th.hasAttribute("data-numeric"),
        options: readOptions(th)
      };
      model.order.push(id);
    });
    each(table.tHead.rows[0].cells, function (th) {
      var g = th.getAttribute("data-g");
      if (g) {
        model.groups[g] = th.textContent;
        model.groupHead[g] = th;
        model.groupOrder.push(g);
      }
    });
    model.rows.forEach(function (row, i) {
      var id = row.getAttribute("data-platform");
      model.position[id] = i;
      model.platforms[id] = row;
    });
    model.facetIds = model.order.filter(function (id) {
      return model.crit[id].options;
    });
    return model;
  }

  function nameLink(row) {
    return row.cells[0].querySelector("a");
  }

  function cellOf(model, row, id) {
    return id === "platform" ? row.cells[0] : row.cells[model.crit[id].index];
  }

  /* The text a row is filtered on (name, values, notes), read on first use. */
  function hayOf(model, row) {
    var id = row.getAttribute("data-platform");
    if (!has(model.haystack, id)) {
      var words = [nameLink(row).textContent];
      each(row.cells, function (cell, j) {
        if (j) words.push(valueOf(cell));
      });
      each(row.querySelectorAll(".ip-note"), function (node) {
        words.push(node.textContent);
      });
      model.haystack[id] = words.join(" ").toLowerCase();
    }
    return model.haystack[id];
  }

  /* Sort key of a row on a column: a number, text, or "missing" (sorts last). */
  function sortKey(model, row, id) {
    var cell = cellOf(model, row, id);
    var s = cell.getAttribute("data-sort");
    if (s !== null && s !== "") return { num: parseFloat(s) };
    if (id !== "platform" && (model.crit[id].numeric || model.crit[id].options)) return { missing: true };
    var text = id === "platform" ? nameLink(row).textContent : valueOf(cell);
    return { text: text.trim().toLowerCase() };
  }

  function rowOrder(model, state) {
    return function (a, b) {
      var ka = sortKey(model, a, state.sort);
      var kb = sortKey(model, b, state.sort);
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
      return diff || model.position[a.getAttribute("data-platform")] - model.position[b.getAttribute("data-platform")];
    };
  }

  function matches(model, state, row) {
    var ok = Object.keys(state.facets).every(function (id) {
      return cellOf(model, row, id).getAttribute("data-tag") === state.facets[id];
    });
    if (ok && state.q) {
      var hay = hayOf(model, row);
      ok = state.q.toLowerCase().split(/\s+/).every(function (word) {
        return !word || new RegExp("(^|[^a-z0-9])" + word.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).test(hay);
      });
    }
    return ok;
  }

  /* ---- State: the reader's view, kept in the address. ---- */

  var OWNED = ["q", "sort", "dir", "hide", "compare"];

  /* The table opens on its first criteria group; "hide" names the groups not
     shown when that differs ("none": every group is shown). */
  function blankState(model) {
    return { q: "", facets: {}, sort: "", dir: "asc", hide: model.groupOrder.slice(1), compare: [] };
  }

  function unique(list) {
    return list.filter(function (x, i) {
      return list.indexOf(x) === i;
    });
  }

  /* One parser per parameter: the value, or undefined when it is not valid. */
  function stateFields(model) {
    var fields = {
      q: function (v) {
        return v.length <= MAX_QUERY && !/[\u0000-\u001f<>]/.test(v) ? v : undefined;
      },
      sort: function (v) {
        return v === "platform" || has(model.crit, v) ? v : undefined;
      },
      dir: function (v) {
        return v === "asc" || v === "desc" ? v : undefined;
      },
      hide: function (v) {
        if (v === "none") return [];
        var gs = v.split(",");
        return gs.every(function (g) { return has(model.groups, g); }) ? unique(gs) : undefined;
      },
      compare: function (v) {
        var ps = v.split(",");
        var ok = ps.length >= MIN_COMPARE && ps.length <= MAX_COMPARE && ps.every(function (p, i) {
          return has(model.platforms, p) && ps.indexOf(p) === i;
        });
        return ok ? ps : undefined;
      }
    };
    model.facetIds.forEach(function (id) {
      fields[id] = function (v) {
        return model.crit[id].options.some(function (o) { return o[0] === v; }) ? v : undefined;
      };
    });
    return fields;
  }

  /* The state a query string asks for, and the names of the parameters that
     were not valid. Unknown names are reported too: every name the matrix uses
     is known, so an unknown one is a mistyped link (the theme's own parameters
     are never reported; see widgets.js). */
  function readState(model, search) {
    var read = url.read(search, stateFields(model), { strict: true });
    var state = blankState(model);
    Object.keys(read.values).forEach(function (key) {
      if (model.facetIds.indexOf(key) >= 0) state.facets[key] = read.values[key];
      else state[key] = read.values[key];
    });
    return { state: state, bad: read.bad };
  }

  /* drop: more parameter names to take out of the address (ignored ones). */
  function saveState(model, state, drop) {
    var hide = state.hide.join(",");
    var values = { q: state.q, hide: hide === blankState(model).hide.join(",") ? "" : hide || "none" };
    model.facetIds.forEach(function (id) {
      values[id] = state.facets[id] || "";
    });
    if (state.sort) {
      values.sort = state.sort;
      if (state.dir === "desc") values.dir = "desc";
    }
    if (state.compare.length >= MIN_COMPARE) values.compare = state.compare.join(",");
    url.write(OWNED.concat(model.facetIds, drop || []), values);
  }

  /* ---- View: controls, rows, comparison, popover. ---- */

  /* The filter controls, placed in the page's empty controls box. */
  function buildControls(model) {
    var n = model.n;
    var view = {
      notice: el("p", { "class": "ip-mx-notice", role: "alert", hidden: "" }),
      text: el("input", { type: "search", id: "ip-mx-q" + n, maxlength: String(MAX_QUERY), autocomplete: "off" }),
      count: el("p", { "class": "ip-mx-count", "aria-live": "polite" }),
      reset: el("button", { type: "button", "class": "md-button" }, "Reset view"),
      selects: {},
      boxes: {},
      sortButtons: {},
      picks: {}
    };
    var textLabel = el("label", { "for": "ip-mx-q" + n }, "Filter by text ");
    textLabel.appendChild(view.text);
    var row1 = el("div", { "class": "ip-mx-row" });
    row1.appendChild(textLabel);
    row1.appendChild(view.reset);

    var facetSet = el("fieldset", { "class": "ip-mx-facets" });
    facetSet.appendChild(el("legend", {}, "Filter by facet"));
    model.facetIds.forEach(function (id) {
      var sid = "ip-mx-f" + n + "-" + id;
      var select = el("select", { id: sid, "data-facet": id });
      select.appendChild(el("option", { value: "" }, "Any"));
      model.crit[id].options.forEach(function (o) {
        select.appendChild(el("option", { value: o[0] }, o[1]));
      });
      view.selects[id] = select;
      var wrap = el("span", { "class": "ip-mx-facet" });
      wrap.appendChild(el("label", { "for": sid }, model.crit[id].name));
      wrap.appendChild(select);
      facetSet.appendChild(wrap);
    });

    var groupSet = el("fieldset", { "class": "ip-mx-groups" });
    groupSet.appendChild(el("legend", {}, "Show criteria groups"));
    model.groupOrder.forEach(function (g) {
      var label = el("label", { "class": "ip-mx-group" });
      var box = el("input", { type: "checkbox", "data-group": g });
      view.boxes[g] = box;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + model.groups[g]));
      groupSet.appendChild(label);
    });
    view.all = groupSet.appendChild(el("button", { type: "button", "class": "md-button" }, "Show all groups"));

    var controls = document.createDocumentFragment();
    [view.notice, row1, facetSet, groupSet, view.count].forEach(function (node) {
      controls.appendChild(node);
    });
    model.panel.appendChild(controls);
    return view;
  }

  /* The page renders the sort buttons and compare boxes disabled, so nothing in
     the table moves when they are switched on here. */
  function enableTableControls(model, view) {
    function addSort(th, id) {
      var button = th.querySelector("button.ip-mx-sort");
      button.disabled = false;
      view.sortButtons[id] = button;
    }
    addSort(model.corner, "platform");
    model.order.forEach(function (id) {
      addSort(model.crit[id].th, id);
    });
    model.rows.forEach(function (row) {
      var pick = row.cells[0].querySelector("input.ip-mx-pick");
      pick.disabled = false;
      view.picks[row.getAttribute("data-platform")] = pick;
    });
  }

  /* The second header row sticks just below the first, whatever its height. */
  function stickHeader(model) {
    function stickBelow(height) {
      each(model.heads, function (th) {
        th.style.top = height + "px";
      });
    }
    new ResizeObserver(function (entries) {
      stickBelow(entries[entries.length - 1].borderBoxSize[0].blockSize);
    }).observe(model.table.tHead.rows[0]);
  }

  function renderControls(model, state, view) {
    view.text.value = state.q;
    model.facetIds.forEach(function (id) {
      view.selects[id].value = state.facets[id] || "";
    });
    model.groupOrder.forEach(function (g) {
      view.boxes[g].checked = state.hide.indexOf(g) < 0;
    });
    Object.keys(view.sortButtons).forEach(function (id) {
      var th = view.sortButtons[id].parentNode;
      if (id === state.sort) th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
    model.rows.forEach(function (row) {
      var id = row.getAttribute("data-platform");
      var pick = view.picks[id];
      pick.checked = state.compare.indexOf(id) >= 0;
      pick.disabled = !pick.checked && state.compare.length >= MAX_COMPARE;
    });
  }

  /* Only the cells of a group whose state changes are touched (the page holds
     the groups it does not open on hidden). */
  function renderRows(model, state, view) {
    model.groupOrder.forEach(function (g) {
      var off = state.hide.indexOf(g) >= 0;
      if (model.groupHead[g].hidden === off) return;
      each(model.table.querySelectorAll('[data-g="' + g + '"]'), function (cell) {
        cell.hidden = off;
      });
    });
    var sorted = model.rows.slice();
    if (state.sort) sorted.sort(rowOrder(model, state));
    var moved = sorted.some(function (row, i) {
      return model.tbody.rows[i] !== row;
    });
    if (moved) {
      var fragment = document.createDocumentFragment();
      sorted.forEach(function (row) {
        fragment.appendChild(row);
      });
      model.tbody.appendChild(fragment);
    }
    var shown = 0;
    sorted.forEach(function (row) {
      var hide = !matches(model, state, row);
      if (row.hidden !== hide) row.hidden = hide;
      if (!hide) shown += 1;
    });
    view.count.textContent = "Showing " + shown + " of " + model.rows.length + " platforms.";
  }

  /* A copy of a cell for the comparison: no ids (they stay unique on the page). */
  function copyCell(cell) {
    var copy = cell.cloneNode(true);
    copy.removeAttribute("hidden");
    copy.removeAttribute("id");
    each(copy.querySelectorAll("[id]"), function (node) {
      node.removeAttribute("id");
    });
    return copy;
  }

  /* Desktop: criteria down, platforms across; the platform names stay in view
     in the header row while the reader scrolls. */
  function compareTable(model, state, names) {
    var t = el("table", { "class": "ip-mx-compare-table" });
    t.appendChild(el("caption", {}, "Side by side: " + names.join(", ")));
    var head = el("tr");
    head.appendChild(el("th", { scope: "col" }, "Criterion"));
    state.compare.forEach(function (id) {
      var th = el("th", { scope: "col" });
      th.appendChild(nameLink(model.platforms[id]).cloneNode(true));
      head.appendChild(th);
    });
    t.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    var group = "";
    model.order.forEach(function (cid) {
      var c = model.crit[cid];
      if (c.group !== group) {
        group = c.group;
        var groupRow = el("tr", { "class": "ip-mx-compare-group" });
        groupRow.appendChild(el("th", { scope: "colgroup", colspan: String(state.compare.length + 1) }, model.groups[group]));
        body.appendChild(groupRow);
      }
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, c.name));
      state.compare.forEach(function (id) {
        tr.appendChild(copyCell(cellOf(model, model.platforms[id], cid)));
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }

  /* Phone: one card per platform, like the matrix itself at that width (the
     stylesheet lays out any table.ip-matrix as cards); the card's platform
     name sticks below the page header while the reader scrolls the card. */
  function compareCards(model, state, names) {
    var t = el("table", { "class": "ip-matrix ip-mx-compare-cards" });
    t.appendChild(el("caption", {}, "Side by side: " + names.join(", ")));
    var body = el("tbody");
    state.compare.forEach(function (id) {
      var row = model.platforms[id];
      var tr = el("tr", { "data-platform": id });
      var th = copyCell(row.cells[0]);
      each(th.querySelectorAll("input"), function (input) {
        input.remove();
      });
      tr.appendChild(th);
      model.order.forEach(function (cid) {
        tr.appendChild(copyCell(cellOf(model, row, cid)));
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }

  function renderCompare(model, state) {
    var box = clear(model.compareBox);
    var ids = state.compare;
    if (ids.length < MIN_COMPARE) {
      box.hidden = ids.length !== 1;
      if (ids.length === 1) box.appendChild(el("p", { "class": "ip-mx-hint" }, "Pick one to three more platforms to compare."));
      return;
    }
    box.hidden = false;
    var names = ids.map(function (id) {
      return nameLink(model.platforms[id]).textContent;
    });
    var phone = window.matchMedia(PHONE).matches;
    var wrap = el("div", { "class": "ip-mx-compare-scroll", tabindex: "0", role: "region", "aria-label": "Comparison table" });
    wrap.appendChild(phone ? compareCards(model, state, names) : compareTable(model, state, names));
    box.appendChild(wrap);
    box.appendChild(el("button", { type: "button", "class": "md-button", "data-clear": "" }, "Clear comparison"));
  }

  function showNotice(view, bad) {
    view.notice.hidden = !bad.length;
    view.notice.textContent = bad.length
      ? "Some settings in the address were not valid and were ignored: " + url.describe(bad) + "."
      : "";
  }

  function render(model, state, view) {
    renderControls(model, state, view);
    renderRows(model, state, view);
    renderCompare(model, state);
  }

  /* Provenance popover: every source of a cell, its review date and confidence.
     A cell links its first source; all sources are listed here, on the
     platform's page and in the JSON download. */
  function popover(model) {
    var pop = model.pop;
    var anchor = null;
    pop.id = "ip-mx-pop" + model.n;
    function titles(cell) {
      var list = [];
      each(cell.querySelectorAll("a.ip-src"), function (a) {
        list.push(a.getAttribute("data-title"));
      });
      if (cell.hasAttribute("data-more")) list = list.concat(JSON.parse(cell.getAttribute("data-more")));
      return list;
    }
    function show(cell, link) {
      if (!cell || !cell.hasAttribute("data-reviewed")) return;
      clear(pop);
      pop.appendChild(el("strong", {}, "Sources"));
      var list = el("ul");
      titles(cell).forEach(function (title) {
        list.appendChild(el("li", {}, title));
      });
      pop.appendChild(list);
      var meta = "Reviewed " + cell.getAttribute("data-reviewed");
      if (cell.getAttribute("data-confidence")) meta += " \u00b7 confidence " + cell.getAttribute("data-confidence");
      if (cell.hasAttribute("data-estimate")) meta += " \u00b7 estimate";
      pop.appendChild(el("p", {}, meta));
      var box = cell.getBoundingClientRect();
      var host = model.root.getBoundingClientRect();
      pop.style.top = box.bottom - host.top + 4 + "px";
      pop.style.left = Math.max(0, Math.min(box.left - host.left, host.width - 320)) + "px";
      pop.hidden = false;
      if (anchor) anchor.removeAttribute("aria-describedby");
      anchor = link || null;
      if (anchor) anchor.setAttribute("aria-describedby", pop.id);
    }
    function hide() {
      pop.hidden = true;
      if (anchor) anchor.removeAttribute("aria-describedby");
      anchor = null;
    }
    var root = model.root;
    root.addEventListener("focusin", function (event) {
      var link = event.target.closest ? event.target.closest("a.ip-src") : null;
      if (link) show(link.closest("td"), link);
      else hide();
    });
    root.addEventListener("mouseover", function (event) {
      var cell = event.target.closest ? event.target.closest("td[data-reviewed]") : null;
      if (cell) show(cell, event.target.closest("a.ip-src"));
    });
    root.addEventListener("mouseleave", hide);
    root.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !pop.hidden) {
        hide();
        event.stopPropagation();
      }
    });
  }

  /* ---- Wiring: events change the state, then render and save it. ---- */

  function bindEvents(model, view, store) {
    var state = function () {
      return store.state;
    };
    view.text.addEventListener("input", function () {
      state().q = view.text.value.slice(0, MAX_QUERY);
      store.update();
    });
    model.facetIds.forEach(function (id) {
      view.selects[id].addEventListener("change", function () {
        if (view.selects[id].value) state().facets[id] = view.selects[id].value;
        else delete state().facets[id];
        store.update();
      });
    });
    model.groupOrder.forEach(function (g) {
      view.boxes[g].addEventListener("change", function () {
        state().hide = model.groupOrder.filter(function (x) {
          return x === g ? !view.boxes[g].checked : state().hide.indexOf(x) >= 0;
        });
        store.update();
      });
    });
    view.all.addEventListener("click", function () {
      state().hide = [];
      store.update();
    });
    view.reset.addEventListener("click", function () {
      store.state = blankState(model);
      showNotice(view, []);
      store.update();
    });
    model.table.tHead.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-sort]");
      if (!button) return;
      var id = button.getAttribute("data-sort");
      state().dir = state().sort === id && state().dir === "asc" ? "desc" : "asc";
      state().sort = id;
      store.update();
    });
    /* A link into a group that is not shown (widgets.js asks before landing). */
    model.table.addEventListener("ip-reveal", function (event) {
      var cell = event.target.closest("[data-g]");
      if (!cell || !cell.hidden) return;
      var g = cell.getAttribute("data-g");
      state().hide = state().hide.filter(function (x) {
        return x !== g;
      });
      store.update();
    });
    model.tbody.addEventListener("change", function (event) {
      var id = event.target.getAttribute("data-pick");
      if (!id) return;
      var picked = state().compare;
      var at = picked.indexOf(id);
      if (event.target.checked && at < 0 && picked.length < MAX_COMPARE) picked.push(id);
      if (!event.target.checked && at >= 0) picked.splice(at, 1);
      store.update();
    });
    model.compareBox.addEventListener("click", function (event) {
      if (!event.target.hasAttribute("data-clear")) return;
      state().compare = [];
      store.update();
      var first = model.tbody.querySelector("input.ip-mx-pick");
      if (first) first.focus();
    });
    /* The comparison changes its layout between phone and wider screens. */
    window.matchMedia(PHONE).addEventListener("change", function () {
      renderCompare(model, state());
    });
  }

  /* Start the widget in three short tasks (controls, then behaviour and the
     first render), so the page keeps responding. Resolves once it is running. */
  function init(root) {
    var model = readModel(root);
    if (!model) return Promise.resolve();
    var view;
    return later(function () {
      view = buildControls(model);
    }).then(function () {
      return later(function () {
        enableTableControls(model, view);
        stickHeader(model);
        popover(model);
        var parsed = readState(model, location.search);
        var store = {
          state: parsed.state,
          update: function () {
            render(model, store.state, view);
            saveState(model, store.state);
          }
        };
        bindEvents(model, view, store);
        showNotice(view, parsed.bad);
        render(model, store.state, view);
        if (parsed.bad.length) saveState(model, store.state, parsed.bad);
        model.panel.hidden = false;
      });
    });
  }

  window.ipWidgets = window.ipWidgets || {};
  window.ipWidgets.matrix = init;
})();
