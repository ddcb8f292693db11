/* TCO calculator: the cost model (a line-for-line twin of macros/tco/model.py),
 * the form handling with URL state, and two small SVG charts.
 * The page works without this script: the macro renders the default results.
 *
 * Limits, labels, result columns, sentences and number rules are not written
 * here: the page embeds them as JSON (data-tco-spec, from macros/tco/spec.py
 * and macros/tco/text.py). Only the arithmetic and the few lines that apply
 * a rule exist in both languages; tests run them side by side under Node,
 * which loads this file as a module (the model is exported, the widget part
 * needs a browser).
 */
(function () {
  "use strict";
  var host = typeof window !== "undefined" ? window : null;

  /* ------------------------------------------------------------------ model */
  var M = {};
  var own = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };

  M.units = function (unit, s) {
    var t = s.transactions_per_month, st = s.steps_per_transaction;
    if (unit === "tasks") return t * st;
    if (unit === "credits" || unit === "la_calls") return t * (st + 1);
    if (unit === "executions") return t / s.batch_size;
    if (unit === "mar") return s.mar;
    if (unit === "ab_credits") return s.mar * s.churn / 1e6 * 6 + s.db_gb * 4;
    return 0;
  };

  M.graduated = function (units, included, tiers, factor) {
    var billable = Math.max(0, units - included), cost = 0, previous = 0;
    for (var i = 0; i < tiers.length; i++) {
      var upper = tiers[i].upto === null ? Infinity : tiers[i].upto;
      if (billable > previous) cost += (Math.min(billable, upper) - previous) * tiers[i].rate * factor;
      previous = upper;
    }
    return cost;
  };

  M.usageMonth = function (a, units, factor) {
    var u = a.usage;
    if (!u) return 0;
    if (u.scheme === "graduated") return u.base_monthly + M.graduated(units, u.included, u.tiers, factor);
    var standard = units * u.standard_share, enterprise = units * u.enterprise_share;
    var builtin = units - standard - enterprise;
    return Math.max(0, builtin - u.free_builtin) * u.builtin_rate * factor +
      standard * u.standard_rate * factor + enterprise * u.enterprise_rate * factor;
  };

  M.params = function (a, s, level) {
    var e = a.effort;
    var licence = a.licence ? a.licence.annual[level] : 0;
    return {
      setup_hours: e.setup_hours,
      build_hours: own(s.build_hours, a.id) ? s.build_hours[a.id] : e.build_hours_per_flow[level],
      maintenance_share: own(s.maintenance_share, a.id) ? s.maintenance_share[a.id] : e.maintenance_share[level],
      ops_hours: e.ops_hours_per_month,
      infra_monthly: e.infra_monthly[level],
      licence_annual: own(s.licence, a.id) ? s.licence[a.id] : licence,
      rate_factor: a.usage ? a.usage.rate_factor[level] : 1
    };
  };

  M.weights = function (s) {
    var out = [], growth = 1, discount = 1 + s.discount_rate;
    for (var y = 0; y < s.years; y++) {
      out.push([growth, discount]);
      growth *= 1 + s.escalator;
      discount *= 1 + s.discount_rate;
    }
    return out;
  };

  M.costs = function (a, s, level) {
    var p = M.params(a, s, level || "default"), r = s.engineer_rate, flows = s.flows;
    var units = M.units(a.billing_unit, s);
    var usageMonth = M.usageMonth(a, units, p.rate_factor);
    var c = {
      units_month: units,
      usage_month: usageMonth,
      build: (p.setup_hours + p.build_hours * flows) * r,
      licence_year: p.licence_annual,
      usage_year: usageMonth * 12,
      run_year: p.build_hours * flows * p.maintenance_share * r + p.ops_hours * 12 * r,
      infra_year: p.infra_monthly * 12,
      licence_total: 0, usage_total: 0, run_total: 0, infra_total: 0
    };
    M.weights(s).forEach(function (w) {
      c.licence_total += c.licence_year * w[0] / w[1];
      c.usage_total += c.usage_year * w[0] / w[1];
      c.run_total += c.run_year / w[1];
      c.infra_total += c.infra_year / w[1];
    });
    c.total = c.build + c.licence_total + c.usage_total + c.run_total + c.infra_total;
    return c;
  };

  M.quote = function (a, units, spec) {
    var reasons = spec.text.quote;
    if (a.licence) return [true, reasons.licence];
    var ceiling = a.usage && a.usage.self_serve_max !== undefined ? a.usage.self_serve_max : null;
    if (ceiling !== null && units > ceiling) {
      return [true, M.fill(reasons.above_self_serve, { ceiling: M.whole(ceiling) })];
    }
    return [false, null];
  };

  M.isEstimate = function (a) {
    return [a.usage, a.licence, a.effort].some(function (p) { return p && p.estimate; });
  };

  M.find = function (cat, id) {
    for (var i = 0; i < cat.approaches.length; i++) if (cat.approaches[i].id === id) return cat.approaches[i];
    throw new Error("unknown approach " + id);
  };

  M.evaluateApproach = function (a, s, spec) {
    var c = M.costs(a, s, "default");
    var txTotal = s.transactions_per_month * 12 * s.years;
    var q = M.quote(a, c.units_month, spec);
    return {
      id: a.id, name: a.name, costs: c,
      low_total: M.costs(a, s, "low").total,
      high_total: M.costs(a, s, "high").total,
      cost_per_transaction: txTotal > 0 ? c.total / txTotal : null,
      quote_required: q[0], quote_reason: q[1], estimate: M.isEstimate(a)
    };
  };

  M.evaluate = function (s, cat, spec) {
    var results = s.approaches.map(function (id) { return M.evaluateApproach(M.find(cat, id), s, spec); });
    results.sort(function (x, y) { return x.costs.total - y.costs.total; });
    return results;
  };

  M.cumulative = function (a, s) {
    var c = M.costs(a, s, "default"), series = [c.build], running = c.build;
    M.weights(s).forEach(function (w) {
      var month = ((c.licence_year + c.usage_year) * w[0] + c.run_year + c.infra_year) / 12 / w[1];
      for (var m = 0; m < 12; m++) { running += month; series.push(running); }
    });
    return series;
  };

  M.breakEvenMonth = function (sa, sb) {
    var start = sa[0] - sb[0];
    if (start === 0) return 0;
    for (var m = 1; m < sa.length; m++) {
      var diff = sa[m] - sb[m];
      if ((start > 0 && diff <= 0) || (start < 0 && diff >= 0)) return m;
    }
    return null;
  };

  M.measure = function (a, b) {
    var rows = ["mar", "ab_credits"];
    return rows.indexOf(a.billing_unit) >= 0 || rows.indexOf(b.billing_unit) >= 0 ? "mar" : "transactions";
  };

  M.bisect = function (f, lo, hi, steps) {
    var fLo = f(lo), fHi = f(hi);
    if (fLo === 0) return lo;
    if (fHi === 0) return hi;
    if ((fLo > 0) === (fHi > 0)) return null;
    for (var i = 0; i < steps; i++) {
      var mid = (lo + hi) / 2, fMid = f(mid);
      if (fMid === 0) return mid;
      if ((fMid > 0) === (fLo > 0)) { lo = mid; fLo = fMid; } else { hi = mid; }
    }
    return (lo + hi) / 2;
  };

  M.breakEven = function (a, b, s, spec) {
    var sa = M.cumulative(a, s), sb = M.cumulative(b, s);
    var month = M.breakEvenMonth(sa, sb), cheaper, end = sa[sa.length - 1] - sb[sb.length - 1];
    if (month === null) cheaper = sa[0] < sb[0] ? a.id : b.id;
    else if (month > 0) cheaper = sa[0] > sb[0] ? a.id : b.id;
    else cheaper = end === 0 ? null : (end < 0 ? a.id : b.id);
    var measure = M.measure(a, b), key = measure === "mar" ? "mar" : "transactions_per_month";
    var lo = spec.volume_range[measure][0], hi = spec.volume_range[measure][1];
    var gap = function (v) {
      var t = Object.assign({}, s);
      t[key] = v;
      return M.costs(a, t).total - M.costs(b, t).total;
    };
    return { month: month, cheaper_later: cheaper, volume: M.bisect(gap, lo, hi, spec.bisection_steps),
      measure: measure, volume_matters: gap(lo) !== gap(hi) };
  };

  /* ------------------------------------------------------------- text rules */
  // Twins of macros/tco/text.py: round half up, group digits, fill templates.
  function group(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  M.whole = function (v) { return group(Math.floor(v + 0.5)); };
  M.fixed = function (v, decimals) {
    var p = Math.pow(10, decimals), scaled = Math.floor(v * p + 0.5), units = Math.floor(scaled / p);
    var fraction = String(scaled - units * p);
    while (fraction.length < decimals) fraction = "0" + fraction;
    return group(units) + "." + fraction;
  };
  M.fill = function (template, values) {
    return template.replace(/\{(\w+)\}/g, function (slot, name) { return String(values[name]); });
  };
  M.sentence = function (template, values) {
    var clause = M.fill(template, values);
    if (template.charAt(0) !== "{") clause = clause.charAt(0).toUpperCase() + clause.slice(1);
    return clause + ".";
  };
  M.money = function (v, t) { return isFinite(v) ? t.currency + M.whole(v) : t.missing; };
  M.perUnit = function (v, t) {
    if (v === null || !isFinite(v)) return t.missing;
    return t.currency + M.fixed(v, t.per_unit_decimals[v < 1 ? "below_one" : "from_one"]);
  };
  // Twins of month_clause and volume_clause in macros/tco/render.py.
  M.monthClause = function (be, a, b, years) {
    var cheaper = be.cheaper_later === a.id ? a.name : be.cheaper_later === b.id ? b.name : "";
    if (be.month === null) return ["stays_cheaper", { cheaper: cheaper, years: String(years) }];
    if (be.month === 0) return cheaper ? ["same_start", { cheaper: cheaper }] : ["same_throughout", {}];
    return ["becomes_cheaper", { cheaper: cheaper, month: String(be.month) }];
  };
  M.volumeClause = function (be, years, spec) {
    var unit = spec.text.units[be.measure], range = spec.volume_range[be.measure];
    if (!be.volume_matters) return ["volume_irrelevant", { unit: unit }];
    if (be.volume === null) {
      return ["volume_outside", { years: String(years), low: M.whole(range[0]), high: M.whole(range[1]), unit: unit }];
    }
    return ["volume", { years: String(years), volume: M.whole(be.volume), unit: unit }];
  };

  if (typeof module !== "undefined" && module.exports) module.exports = M;
  if (!host) return;  // under Node only the model above is wanted
  host.ipTcoModel = M;

  /* Shared helpers from widgets.js, looked up on use. */
  function el(tag, attrs, text) {
    return window.ipDom.el(tag, attrs, text);
  }
  function svg(tag, attrs, text) {
    return window.ipDom.svg(tag, attrs, text);
  }

  /* ------------------------------------------------------------- input rules */
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

  function parse(raw, min, max, integer, required) {
    var text = String(raw).trim().replace(/,/g, "");
    if (text === "") return required ? { error: "Enter a number." } : { value: null };
    if (text.length > 40 || !NUMBER.test(text)) return { error: "Not a number: use digits, e.g. 1500000." };
    var v = Number(text);
    if (!isFinite(v)) return { error: "Too large to be a real quantity." };
    if (v < min || v > max) return { error: "Must be between " + M.whole(min) + " and " + M.whole(max) + "." };
    if (integer && Math.floor(v) !== v) return { error: "Must be a whole number." };
    return { value: v };
  }

  /* --------------------------------------------------------------- widget */
  window.ipWidgets = window.ipWidgets || {};
  window.ipWidgets.tco = function (root) {
    var cat = JSON.parse(root.getAttribute("data-tco-catalogue"));
    var defaults = JSON.parse(root.getAttribute("data-tco-defaults"));
    var spec = JSON.parse(root.getAttribute("data-tco-spec")), T = spec.text;
    // The form's definition, as arrays: name -> [scenario key, min, max, integer, scale].
    var FIELDS = {}, OVERRIDES = {};
    spec.inputs.forEach(function (f) { FIELDS[f.name] = [f.key, f.min, f.max, f.integer, f.scale]; });
    spec.overrides.forEach(function (o) { OVERRIDES[o.prefix] = [o.key, 0, o.max, o.scale]; });
    function money(v) { return M.money(v, T); }
    function perUnit(v) { return M.perUnit(v, T); }
    var form = root.querySelector("form");
    var out = root.querySelector(".tco-output");
    var charts = root.querySelector(".tco-charts");
    var pairBox = root.querySelector(".tco-pair");
    var notice = root.querySelector(".tco-notice");
    var status = root.querySelector(".tco-status");
    var ids = cat.approaches.map(function (a) { return a.id; });
    var last = null, urlErrors = {}, urlTimer = 0, more = root.querySelector("details.tco-more");
    form.querySelector("fieldset.tco-live").disabled = false;

    function input(name) { return form.elements.namedItem(name); }
    var msgs = new WeakMap();
    function setMsg(field, text, invalid) {
      var msg = msgs.get(field);
      if (!msg && !text) {  // nothing to say and no message element yet: create none
        if (field.hasAttribute("aria-invalid")) field.setAttribute("aria-invalid", "false");
        return;
      }
      if (!msg) {
        var holder = field.closest(".tco-field, td");
        msg = holder && holder.querySelector(".tco-msg");
        if (!msg) { msg = el("span", { "class": "tco-msg", role: "alert" }); field.insertAdjacentElement("afterend", msg); }
        msgs.set(field, msg);
      }
      var state = (invalid === undefined ? !!text : invalid) ? "true" : "false";
      if (msg.textContent !== (text || "")) msg.textContent = text || "";
      if (field.getAttribute("aria-invalid") !== state) field.setAttribute("aria-invalid", state);
    }

    function fillDefaults() {
      Object.keys(FIELDS).forEach(function (name) {
        var f = FIELDS[name];
        input(name).value = String(Math.round(defaults[f[0]] * f[4] * 1e6) / 1e6);
        setMsg(input(name), "");
      });
      input("per").value = "month";
      form.querySelectorAll("input[name^='bh.'],input[name^='ms.'],input[name^='lic.']").forEach(function (i) {
        i.value = ""; setMsg(i, "");
      });
      form.querySelectorAll("input[name='show']").forEach(function (c) { c.checked = defaults.approaches.indexOf(c.value) >= 0; });
      input("pa").value = defaults.pair[0];
      input("pb").value = defaults.pair[1];
    }

    function loadUrl() {
      var params = new URLSearchParams(window.location.search), ignored = [];
      params.forEach(function (value, key) {
        var dot = key.indexOf("."), prefix = dot > 0 ? key.slice(0, dot) : "", id = key.slice(dot + 1);
        var spec = own(FIELDS, key) ? FIELDS[key] : own(OVERRIDES, prefix) && ids.indexOf(id) >= 0 && input(key) ? OVERRIDES[prefix] : null;
        if (spec) {
          var r = own(FIELDS, key) ? parse(value, spec[1], spec[2], spec[3], true) : parse(value, spec[1], spec[2], false, false);
          if (r.error) { urlErrors[key] = "The link's value was ignored. " + r.error; ignored.push(key); }
          else input(key).value = value.trim();
          if (!own(FIELDS, key)) more.open = true;  // show the per-approach values the link sets
        } else if (key === "per" && (value === "day" || value === "month")) {
          input("per").value = value;
        } else if ((key === "pa" || key === "pb") && ids.indexOf(value) >= 0) {
          input(key).value = value;
        } else if (key === "show") {
          var wanted = value.split(",").filter(function (v) { return ids.indexOf(v) >= 0; });
          if (wanted.length !== value.split(",").length) ignored.push(key);
          if (wanted.length) form.querySelectorAll("input[name='show']").forEach(function (c) { c.checked = wanted.indexOf(c.value) >= 0; });
        } else {
          ignored.push(key.slice(0, 30));
        }
      });
      if (ignored.length) {
        notice.hidden = false;
        notice.textContent = "Ignored link parameters that are unknown or invalid: " + ignored.join(", ") + ". Defaults are used instead.";
      }
    }

    function read() {
      var s = { approaches: [], build_hours: {}, maintenance_share: {}, licence: {} }, ok = true, fieldValues = {};
      Object.keys(FIELDS).forEach(function (name) {
        var f = FIELDS[name], r = parse(input(name).value, f[1], f[2], f[3], true);
        setMsg(input(name), r.error);
        if (r.error) { ok = false; return; }
        fieldValues[name] = r.value;
        s[f[0]] = r.value / f[4];
      });
      if (ok && input("per").value === "day") {
        var days = spec.days_per_month, most = FIELDS.tx[2];
        if (fieldValues.tx * days > most) { setMsg(input("tx"), "Must be at most " + M.whole(Math.floor(most / days)) + " a day."); ok = false; }
        s.transactions_per_month = fieldValues.tx * days;
      }
      Object.keys(OVERRIDES).forEach(function (prefix) {
        var o = OVERRIDES[prefix];
        form.querySelectorAll("input[name^='" + prefix + ".']").forEach(function (i) {
          var r = parse(i.value, o[1], o[2], false, false);
          setMsg(i, r.error);
          if (r.error) { ok = false; more.open = true; }
          else if (r.value !== null) s[o[0]][i.name.slice(prefix.length + 1)] = r.value / o[3];
        });
      });
      form.querySelectorAll("input[name='show']:checked").forEach(function (c) { s.approaches.push(c.value); });
      var showMsg = root.querySelector("#tco-show-msg");
      setText(showMsg, s.approaches.length ? "" : "Pick at least one approach to compare.");
      if (!s.approaches.length) ok = false;
      return ok ? s : null;
    }

    function writeUrl() {
      if (!root.isConnected) return;  // the reader has navigated to another page
      var params = new URLSearchParams();
      Object.keys(FIELDS).forEach(function (name) { params.set(name, input(name).value.trim()); });
      if (input("per").value === "day") params.set("per", "day");
      form.querySelectorAll("input[name*='.']").forEach(function (i) { if (i.value.trim()) params.set(i.name, i.value.trim()); });
      var shown = [];
      form.querySelectorAll("input[name='show']:checked").forEach(function (c) { shown.push(c.value); });
      params.set("show", shown.join(","));
      params.set("pa", input("pa").value);
      params.set("pb", input("pb").value);
      history.replaceState(history.state, "", window.location.pathname + "?" + params.toString() + window.location.hash);
      root.removeAttribute("data-url-pending");
    }

    var COLORS = ["#3f51b5", "#e65100", "#2e7d32", "#ad1457", "#00838f", "#6d4c41", "#7b1fa2", "#c62828", "#827717", "#37474f"];
    var DASHES = ["", "", "", "", "", "6 3", "6 3", "2 3", "2 3", "8 3 2 3"];
    var PARTS = [["build", "Build"], ["licence_total", "Licence"], ["usage_total", "Usage"], ["run_total", "Run and maintain"], ["infra_total", "Infrastructure"]];
    var PART_COLORS = ["#3f51b5", "#e65100", "#2e7d32", "#ad1457", "#6d4c41"];
    var LW = 640, LH = 300, LL = 70, LB = 30, LT = 10, LR = 10, BW = 640, ROW = 26, BL = 210, BR = 70;
    var view = null;

    // Only touch the DOM where something changed: typing stays fast.
    function setText(node, text) { if (node.textContent !== text) node.textContent = text; }
    function attr(node, name, value) { value = String(value); if (node.getAttribute(name) !== value) node.setAttribute(name, value); }
    function fmtShort(v) {
      if (v >= 1e6) return (v / 1e6).toFixed(v >= 1e7 ? 0 : 1) + "M";
      if (v >= 1e3) return (v / 1e3).toFixed(0) + "k";
      return v.toFixed(0);
    }
    function legend(items) {
      var list = el("ul", { "class": "tco-legend" });
      items.forEach(function (item) {
        var li = list.appendChild(el("li"));
        var key = li.appendChild(svg("svg", { "class": "tco-swatch", viewBox: "0 0 24 10", "aria-hidden": "true" }));
        key.appendChild(item[2] === undefined ? svg("rect", { width: 24, height: 10, fill: item[1] })
          : svg("line", { x1: 0, x2: 24, y1: 5, y2: 5, stroke: item[1], "stroke-width": 3, "stroke-dasharray": item[2] }));
        li.appendChild(document.createTextNode(item[0]));
      });
      return list;
    }
    function figure(chart, items, caption) {
      var fig = el("figure");
      fig.appendChild(chart);
      fig.appendChild(legend(items));
      fig.appendChild(el("figcaption", null, caption));
      return fig;
    }

    // Build the table and charts for one set of approaches and one horizon.
    function buildView(s) {
      var v = { key: s.approaches.join(",") + "|" + s.years, rows: {}, lines: {}, bars: {}, yLabels: [] };
      var wrap = el("div", { "class": "ip-table-wrap", tabindex: "0", role: "region", "aria-label": "TCO results" });
      var t = wrap.appendChild(el("table", { "class": "ip-table tco-results", id: "tco-results" }));
      t.appendChild(el("caption", null, M.fill(spec.results_caption, { years: s.years })));
      var head = t.appendChild(el("thead")).appendChild(el("tr"));
      spec.columns.forEach(function (h) { head.appendChild(el("th", { scope: "col" }, M.fill(h, { years: s.years }))); });
      v.body = t.appendChild(el("tbody"));
      var n = s.years * 12;
      v.x = function (m) { return LL + (LW - LL - LR) * m / n; };
      var line = svg("svg", { viewBox: "0 0 " + LW + " " + LH, role: "img", "class": "tco-chart" });
      line.appendChild(svg("title", {}, "Cumulative cost by month over " + s.years + " years"));
      for (var k = 0; k <= 4; k++) {
        var gy = LH - LB - (LH - LB - LT) * k / 4;
        line.appendChild(svg("line", { x1: LL, x2: LW - LR, y1: gy, y2: gy, "class": "tco-grid-line" }));
        v.yLabels.push(line.appendChild(svg("text", { x: LL - 6, y: gy + 4, "text-anchor": "end" }, "")));
      }
      for (var yr = 0; yr <= s.years; yr++) {
        line.appendChild(svg("text", { x: v.x(yr * 12), y: LH - 10, "text-anchor": "middle" }, yr === 0 ? "start" : "yr " + yr));
      }
      var bar = svg("svg", { viewBox: "0 0 " + BW + " " + (ROW * s.approaches.length + 10), role: "img", "class": "tco-chart" });
      bar.appendChild(svg("title", {}, "Cost components per approach over the horizon"));
      var lineItems = [];
      s.approaches.forEach(function (id, i) {
        var a = M.find(cat, id), color = COLORS[i % COLORS.length];
        var tr = v.body.appendChild(el("tr", { "data-approach": id }));
        tr.appendChild(el("th", { scope: "row" }, a.name));
        var cells = [];
        for (var c = 0; c < 9; c++) cells.push(tr.appendChild(el("td")));
        v.rows[id] = { tr: tr, cells: cells, strong: cells[5].appendChild(el("strong")), notes: null };
        v.lines[id] = line.appendChild(svg("path", { fill: "none", stroke: color, "stroke-width": 2, "stroke-dasharray": DASHES[i % DASHES.length] }));
        lineItems.push([a.name, color, DASHES[i % DASHES.length]]);
        var g = bar.appendChild(svg("g", {}));
        var group = { g: g, title: g.appendChild(svg("title", {}, "")), rects: [] };
        g.appendChild(svg("text", { x: BL - 6, y: 15, "text-anchor": "end" }, a.name.slice(0, 34)));
        PARTS.forEach(function (p, j) { group.rects.push(g.appendChild(svg("rect", { y: 0, height: ROW - 6, fill: PART_COLORS[j] }))); });
        group.total = g.appendChild(svg("text", { y: 15 }, ""));
        v.bars[id] = group;
      });
      v.marker = line.appendChild(svg("circle", { r: 6, "class": "tco-marker" }));
      v.markerText = line.appendChild(svg("text", {}, ""));
      out.replaceChildren(wrap);
      charts.replaceChildren(
        figure(line, lineItems, "Cumulative cost per month (build at month 0; escalator and discount applied per year)."),
        figure(bar, PARTS.map(function (p, j) { return [p[1], PART_COLORS[j]]; }), "Cost components over the horizon, escalated and discounted."));
      return v;
    }

    function render(s, results, be) {
      if (!view || view.key !== s.approaches.join(",") + "|" + s.years) view = buildView(s);
      var v = view;
      var series = {}, max = 1;
      results.forEach(function (r) {
        series[r.id] = M.cumulative(M.find(cat, r.id), s);
        max = Math.max(max, series[r.id][series[r.id].length - 1], r.costs.total);
      });
      // Round the axis up to 1, 2, 2.5 or 5 times a power of ten, so the grid labels are round.
      var step = Math.pow(10, Math.floor(Math.log10(max)));
      max = [1, 2, 2.5, 5, 10].map(function (f) { return f * step; }).filter(function (m) { return m >= max; })[0];
      var y = function (value) { return LH - LB - (LH - LB - LT) * value / max; };
      v.yLabels.forEach(function (label, k) { setText(label, "$" + fmtShort(max * k / 4)); });
      var barMax = Math.max.apply(null, results.map(function (r) { return r.costs.total; }).concat([1]));
      results.forEach(function (r, i) {
        var c = r.costs, row = v.rows[r.id];
        if (v.body.children[i] !== row.tr) v.body.insertBefore(row.tr, v.body.children[i] || null);
        [money(c.build), money(c.licence_year), money(c.usage_year), money(c.run_year), money(c.infra_year)]
          .forEach(function (text, k) { setText(row.cells[k], text); });
        setText(row.strong, money(c.total));
        setText(row.cells[6], money(r.low_total) + " – " + money(r.high_total));
        setText(row.cells[7], perUnit(r.cost_per_transaction));
        var notes = (r.quote_required ? "q" : "") + (r.estimate ? "e" : "") + (r.quote_reason || "");
        if (row.notes !== notes) {
          row.notes = notes;
          row.cells[8].replaceChildren();
          if (r.quote_required) row.cells[8].appendChild(el("span", { "class": "tco-flag", title: r.quote_reason }, "Quote required"));
          if (r.estimate) row.cells[8].appendChild(el("span", { "class": "ip-estimate" }, " (est.)"));
          if (!r.quote_required && !r.estimate) row.cells[8].textContent = "—";
        }
        // Within a year the cumulative cost grows linearly, so yearly vertices draw the same line.
        var d = "", points = series[r.id];
        for (var m = 0; m < points.length; m += 12) d += (m ? "L" : "M") + v.x(m).toFixed(1) + " " + y(points[m]).toFixed(1);
        attr(v.lines[r.id], "d", d);
        var group = v.bars[r.id], xPos = BL, parts = [];
        attr(group.g, "transform", "translate(0 " + (5 + i * ROW) + ")");
        PARTS.forEach(function (p, j) {
          var w = (BW - BL - BR) * c[p[0]] / barMax;
          attr(group.rects[j], "x", xPos.toFixed(1));
          attr(group.rects[j], "width", w.toFixed(1));
          parts.push(p[1] + " " + money(c[p[0]]));
          xPos += w;
        });
        setText(group.title, r.name + ": " + parts.join(", "));
        attr(group.total, "x", (xPos + 4).toFixed(1));
        setText(group.total, "$" + fmtShort(c.total));
      });
      var shown = be && be.month !== null && series[be.a] && series[be.b];
      attr(v.marker, "visibility", shown ? "visible" : "hidden");
      attr(v.markerText, "visibility", shown ? "visible" : "hidden");
      if (shown) {
        var cx = v.x(be.month), cy = y(series[be.a][be.month]);
        attr(v.marker, "cx", cx.toFixed(1));
        attr(v.marker, "cy", cy.toFixed(1));
        var left = cx > LW * 0.6;
        attr(v.markerText, "x", (left ? cx - 10 : cx + 10).toFixed(1));
        attr(v.markerText, "y", (cy - 10).toFixed(1));
        attr(v.markerText, "text-anchor", left ? "end" : "start");
        setText(v.markerText, "break-even, month " + be.month);
      }
    }

    var pairTitle = pairBox.appendChild(el("p", { "class": "tco-pair-title" }));
    var pairMonth = pairBox.appendChild(el("p", { "class": "tco-be-month" }));
    var pairVolume = pairBox.appendChild(el("p", { "class": "tco-be-volume" }));

    function renderPair(s, be, a, b) {
      setText(pairTitle, "Break-even: " + a.name + " vs " + b.name);
      if (a.id === b.id) {
        setText(pairMonth, M.sentence(T.break_even.same_approach, {}));
        setText(pairVolume, "");
        return;
      }
      var month = M.monthClause(be, a, b, s.years), volume = M.volumeClause(be, s.years, spec);
      setText(pairMonth, M.sentence(T.break_even[month[0]], month[1]));
      setText(pairVolume, M.sentence(T.break_even[volume[0]], volume[1]));
    }

    function recompute() {
      var s = read();
      if (!s) { status.textContent = "Fix the marked fields; the results shown are from the last valid inputs."; return; }
      setText(status, "");
      var results = M.evaluate(s, cat, spec);
      var a = M.find(cat, input("pa").value), b = M.find(cat, input("pb").value);
      var be = M.breakEven(a, b, s, spec);
      last = { scenario: s, results: results, pair: be };
      render(s, results, a.id === b.id ? null : { month: be.month, a: a.id, b: b.id });
      renderPair(s, be, a, b);
      // Browsers throttle history updates, so typing writes the URL once it pauses.
      clearTimeout(urlTimer);
      root.setAttribute("data-url-pending", "");
      urlTimer = setTimeout(writeUrl, 150);
    }

    function download(name, type, text) {
      var link = el("a", { href: URL.createObjectURL(new Blob([text], { type: type })), download: name });
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
    }

    function csv() {
      var head = ["id", "name", "build", "licence_year", "usage_year", "run_year", "infra_year", "total", "low_total", "high_total", "cost_per_transaction", "quote_required", "estimate"];
      var lines = [head.join(",")];
      last.results.forEach(function (r) {
        var c = r.costs;
        lines.push([r.id, '"' + r.name.replace(/"/g, '""') + '"', c.build, c.licence_year, c.usage_year, c.run_year, c.infra_year,
          c.total, r.low_total, r.high_total, r.cost_per_transaction === null ? "" : r.cost_per_transaction, r.quote_required, r.estimate]
          .map(function (v) { return typeof v === "number" ? v.toFixed(2) : String(v); }).join(","));
      });
      return lines.join("\n") + "\n";
    }

    form.addEventListener("input", recompute);
    form.addEventListener("change", recompute);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("click", function (e) {
      var action = e.target.getAttribute && e.target.getAttribute("data-tco");
      if (!action) return;
      if (!last) recompute();
      if (action === "reset") {
        fillDefaults(); notice.hidden = true;
        recompute();
        status.textContent = "Inputs reset to the defaults.";
      } else if (action === "copy") {
        clearTimeout(urlTimer);
        writeUrl();
        var done = function () { status.textContent = "Link copied."; };
        if (navigator.clipboard) navigator.clipboard.writeText(window.location.href).then(done, function () { status.textContent = "Copy failed: copy the address bar instead."; });
        else status.textContent = "Copy the address bar to share these inputs.";
      } else if (last && action === "csv") {
        download("tco-results.csv", "text/csv", csv());
      } else if (last && action === "json") {
        download("tco-results.json", "application/json", JSON.stringify({ scenario: last.scenario, results: last.results }, null, 2));
      }
    });

    root.tcoRecompute = recompute;
    fillDefaults();
    loadUrl();
    // The page already shows the default results. Recompute at once only when the link
    // carries inputs; otherwise build the charts when the results come into view.
    var observer = null;
    function start() {
      if (observer) { observer.disconnect(); observer = null; }
      if (!last) recompute();
      Object.keys(urlErrors).forEach(function (key) { setMsg(input(key), urlErrors[key], false); });
      urlErrors = {};
    }
    if (window.location.search || !window.IntersectionObserver) setTimeout(start, 0);
    else {
      observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) start();
      }, { rootMargin: "300px" });
      observer.observe(out);
    }
    root.tcoStart = start;
  };
})();
