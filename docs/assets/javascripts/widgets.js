/* Shared code for the site's widgets, loaded on every page (extra_javascript).
 *
 * - Loader: a container <div data-widget="name"> makes this load
 *   assets/javascripts/name.js (same folder as this file) once, then call
 *   window.ipWidgets[name](container). Runs for every page the theme shows,
 *   including instant-navigation page changes, through Material's document$.
 *   With data-widget-start="near" it starts when the reader comes near it.
 * - window.ipDom: DOM helpers (text is only ever set with textContent) and an
 *   SVG axis helper.
 * - window.ipUrl: URL state read and write with validation, one implementation
 *   for every widget. Parameters the theme adds (search highlight "h") are
 *   never reported as invalid and are kept when a widget rewrites the address.
 * - window.ipLand: makes an in-page link land with its target fully visible:
 *   below the theme's sticky header, and inside any scroll box that holds it
 *   (a wide table), clear of that box's sticky header row and first column;
 *   a hidden target is first asked to be shown (an "ip-reveal" event), and
 *   any folded <details> around it is opened.
 */
(function () {
  "use strict";
  var self = document.currentScript;
  var base = self ? self.src.replace(/[^/]*$/, "") : "";
  var pending = {};
  window.ipWidgets = window.ipWidgets || {};

  /* ---- DOM helpers ---- */

  function make(node, attrs, text) {
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, String(attrs[key]));
    });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    return make(document.createElementNS(SVG, tag), attrs, text);
  }

  /* Draw a horizontal axis into an SVG element: a rule from x1 to x2 at y and a
   * label under each tick. ticks: [{at: x position, label: "text"}]. The first
   * label is anchored at its start and the last at its end, so none is cut off.
   * The class names come from the caller's stylesheet (font size, colours). */
  function axis(parent, spec) {
    var group = svg("g", { "class": spec.className || "" });
    group.appendChild(svg("line", { x1: spec.x1, y1: spec.y, x2: spec.x2, y2: spec.y, "class": spec.ruleClass || "" }));
    var last = spec.ticks.length - 1;
    spec.ticks.forEach(function (tick, i) {
      group.appendChild(svg("text", {
        x: tick.at,
        y: spec.y + (spec.gap || 14),
        "text-anchor": i === 0 ? "start" : i === last ? "end" : "middle",
        "class": spec.textClass || ""
      }, tick.label));
    });
    parent.appendChild(group);
    return group;
  }

  window.ipDom = window.ipDom || {
    el: function (tag, attrs, text) {
      return make(document.createElement(tag), attrs, text);
    },
    svg: svg,
    axis: axis,
    each: function (list, fn) {
      Array.prototype.forEach.call(list, fn);
    },
    clear: function (node) {
      while (node.firstChild) node.removeChild(node.firstChild);
      return node;
    }
  };

  /* ---- URL state ---- */

  /* Query parameters the theme itself adds to the address: Material's search
     highlight (?h=...) on pages opened from a search result. */
  var THEME_PARAMS = ["h"];

  /* Read a widget's parameters from a query string.
   *
   * fields: {name: parse}, where parse(raw) returns the parsed value, or
   *   undefined when the value is not valid.
   * options.strict: report parameters that are neither the widget's nor the
   *   theme's as invalid too (default: leave them alone; they may belong to
   *   something else on the page).
   * Returns {values: {name: value}, bad: [names]}; each name is reported once,
   * and a repeated parameter keeps its first valid value. */
  function read(search, fields, options) {
    var values = {};
    var bad = [];
    var strict = options && options.strict;
    new URLSearchParams(search).forEach(function (raw, key) {
      if (THEME_PARAMS.indexOf(key) >= 0) return;
      var known = Object.prototype.hasOwnProperty.call(fields, key);
      if (!known) {
        if (strict && bad.indexOf(key) < 0) bad.push(key);
        return;
      }
      var value = fields[key](raw);
      if (value === undefined) {
        if (bad.indexOf(key) < 0) bad.push(key);
      } else if (!Object.prototype.hasOwnProperty.call(values, key)) {
        values[key] = value;
      }
    });
    return { values: values, bad: bad };
  }

  /* Write a widget's parameters into the address without adding a history
   * entry. owned: every parameter name the widget uses (all are removed first);
   * values: {name: string}, where an empty string or null leaves it out.
   * Everything else in the query (the theme's "h", other widgets) and the
   * fragment are kept. Commas stay readable. */
  function write(owned, values) {
    var params = new URLSearchParams(location.search);
    owned.forEach(function (name) {
      params.delete(name);
    });
    owned.forEach(function (name) {
      var value = values[name];
      if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
    });
    var query = params.toString().replace(/%2C/g, ",");
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) {
      history.replaceState(history.state, "", url);
    }
  }

  /* A short, safe list of parameter names for a notice. */
  function describe(names, limit) {
    var max = limit || 5;
    var shown = names.slice(0, max).map(function (name) {
      return name.length > 30 ? name.slice(0, 30) + "\u2026" : name;
    });
    return shown.join(", ") + (names.length > max ? " and " + (names.length - max) + " more" : "");
  }

  window.ipUrl = window.ipUrl || { THEME_PARAMS: THEME_PARAMS, read: read, write: write, describe: describe };

  /* ---- landing on in-page links ---- */

  function px(value) {
    return parseFloat(value) || 0;
  }

  /* Height of the theme's header while it sticks to the top of the viewport. */
  function headerBottom() {
    var header = document.querySelector(".md-header");
    var bottom = 0;
    if (header) {
      var style = getComputedStyle(header);
      if (style.position === "sticky" || style.position === "fixed") bottom = header.getBoundingClientRect().bottom;
    }
    var tabs = document.querySelector(".md-tabs");
    if (tabs && getComputedStyle(tabs).position === "sticky") {
      bottom = Math.max(bottom, tabs.getBoundingClientRect().bottom);
    }
    return Math.max(0, bottom);
  }

  function scrolls(node) {
    var style = getComputedStyle(node);
    var y = /(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight + 1;
    var x = /(auto|scroll)/.test(style.overflowX) && node.scrollWidth > node.clientWidth + 1;
    return x || y;
  }

  /* What sticks inside a scroll box over the target: the table's header rows
     (top) and the row's sticky header cell (left). */
  function stickyEdges(box, target) {
    var edges = { top: 0, left: 0 };
    var table = target.closest("table");
    if (!table || !box.contains(table)) return edges;
    if (table.tHead && table.tHead.rows.length) {
      var lastHead = table.tHead.rows[table.tHead.rows.length - 1].cells[0];
      if (lastHead && getComputedStyle(lastHead).position === "sticky") edges.top = table.tHead.offsetHeight;
    }
    var row = target.closest("tr");
    var first = row && row.cells[0];
    if (first && first !== target && getComputedStyle(first).position === "sticky") edges.left = first.offsetWidth;
    return edges;
  }

  /* Bring target into view: every scroll box around it first, then the page.
     A widget that holds the target in a part it does not show (a criteria group
     of the matrix) hears an "ip-reveal" event from it first and shows that part. */
  function land(target) {
    if (!target || !target.getBoundingClientRect) return;
    target.dispatchEvent(new CustomEvent("ip-reveal", { bubbles: true }));
    /* A target in a folded disclosure (a cheat-sheet table, a collapsible
       note) is unfolded: a link never lands on something the reader cannot see. */
    for (var fold = target.parentElement; fold; fold = fold.parentElement) {
      if (fold.tagName === "DETAILS" && !fold.open) fold.open = true;
    }
    if (target.hidden) return;
    var node = target.parentElement;
    var page = document.scrollingElement || document.documentElement;
    var extraTop = 0;
    while (node && node !== page && node !== document.body) {
      if (scrolls(node)) {
        var edges = stickyEdges(node, target);
        var b = node.getBoundingClientRect();
        var t = target.getBoundingClientRect();
        var top = b.top + node.clientTop + edges.top;
        var left = b.left + node.clientLeft + edges.left;
        var bottom = b.top + node.clientTop + node.clientHeight;
        var right = b.left + node.clientLeft + node.clientWidth;
        if (t.top < top || t.bottom > bottom) node.scrollTop += t.top - top;
        if (target.tagName === "TR") node.scrollLeft = 0;
        else if (t.left < left || t.right > right) node.scrollLeft += t.left - left;
        extraTop = Math.max(extraTop, edges.top);
      }
      node = node.parentElement;
    }
    /* A card whose title sticks to the top of the page (the matrix on phones):
       the target goes below that title too. */
    var row = target.tagName === "TD" ? target.parentElement : null;
    var title = row && row.cells && row.cells[0];
    if (title && title !== target) {
      var titleStyle = getComputedStyle(title);
      if (titleStyle.position === "sticky" && titleStyle.top !== "auto" && titleStyle.display === "block") {
        extraTop = Math.max(extraTop, title.offsetHeight);
      }
    }
    var margin = px(getComputedStyle(document.documentElement).fontSize) * 0.6;
    var rect = target.getBoundingClientRect();
    var wanted = headerBottom() + margin + extraTop;
    /* The target's top goes just below the header, as the browser places a
       heading it scrolls to (the page cannot scroll past its end). */
    if (Math.abs(rect.top - wanted) > 1) window.scrollBy(0, rect.top - wanted);
  }

  function targetOf(hash) {
    if (!hash || hash.length < 2) return null;
    var id;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch (e) {
      return null;
    }
    return document.getElementById(id);
  }

  /* Land on the fragment of the address, now and once more after the next frame
     (widgets may open, sort or show what holds the target). */
  function landOnHash() {
    var target = targetOf(location.hash);
    if (!target) return;
    land(target);
    requestAnimationFrame(function () {
      land(targetOf(location.hash));
    });
  }

  window.ipLand = window.ipLand || { land: land, landOnHash: landOnHash };

  window.addEventListener("hashchange", landOnHash);
  /* A click on a link to the fragment already in the address changes nothing
     the browser reports: land again all the same. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href*='#']") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    var url = new URL(link.href, location.href);
    if (url.pathname !== location.pathname || url.search !== location.search || url.hash !== location.hash) return;
    setTimeout(landOnHash, 0);
  });

  /* ---- widget loader ---- */

  function load(name) {
    if (!pending[name]) {
      pending[name] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = base + name + ".js";
        tag.onload = resolve;
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return pending[name];
  }

  /* Back, Forward and reload bring the reader back where they were: the browser
     (or the theme, for in-site pages) restores that position, and landing on
     the fragment again would move them away from it. */
  var restoring = "";
  var first = true;
  /* The theme keeps the scroll offset of a page left by in-site navigation in
     its history entry ({x, y}); a popstate event carrying one is a return. */
  window.addEventListener("popstate", function (event) {
    var state = event.state;
    if (state && typeof state === "object" && typeof state.y === "number") restoring = location.href;
  });
  function restored() {
    var entry = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    var back = restoring === location.href;
    var wasRestore = back || (first && !!entry && (entry.type === "back_forward" || entry.type === "reload"));
    restoring = "";
    first = false;
    return wasRestore;
  }

  function begin(el) {
    var name = el.getAttribute("data-widget");
    return load(name).then(function () {
      var init = window.ipWidgets[name];
      if (typeof init !== "function" || el.hasAttribute("data-widget-ready")) return;
      el.removeAttribute("data-widget-waiting");
      el.setAttribute("data-widget-ready", "");
      return init(el);
    });
  }

  /* data-widget-start="near": a widget far down its page starts when the reader
     comes within a screen of it, or prints; until then it is data-widget-waiting
     and the page shows its HTML. Its script is fetched at once. */
  var near = null;
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-widget-waiting]"), begin);
  });

  function start() {
    var restore = restored();
    var nodes = document.querySelectorAll("[data-widget]");
    var started = [];
    /* Landing on a fragment or coming back: every widget starts now, so the
       page is laid out as it will stay. */
    var landing = restore || !!location.hash;
    if (near) near.disconnect();
    near = null;
    Array.prototype.forEach.call(nodes, function (el) {
      var name = el.getAttribute("data-widget");
      if (!/^[a-z][a-z0-9-]*$/.test(name) || el.hasAttribute("data-widget-ready")) return;
      if (landing || el.getAttribute("data-widget-start") !== "near" || !window.IntersectionObserver) {
        started.push(begin(el));
        return;
      }
      near = near || new IntersectionObserver(function (entries, observer) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            begin(entry.target);
          }
        });
      }, { rootMargin: "100% 0px" });
      load(name).catch(function () {});
      el.setAttribute("data-widget-waiting", "");
      near.observe(el);
    });
    /* A widget may change what is shown around the link target (rows sorted,
       folded parts opened): land once they are all running. */
    if (location.hash && !restore) {
      landOnHash();
      Promise.all(started).then(function () {
        setTimeout(landOnHash, 0);
      }, function () {});
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
