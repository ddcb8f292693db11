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
  var ROW_UNITS = ["mar", "ab_credits"];

  M.units = function (unit, s) {
    var t = s.transactions_per_month, st = s.steps_per_transaction;
    if (unit === "tasks") return t * st;
    if (unit === "credits" || unit === "la_calls") return t * (st + 1);
    if (unit === "executions") return t / s.batch_size;
    if (unit === "mar") return s.mar;
    if (unit === "ab_credits") return s.mar * s.churn / 1e6 * 6 + s.db_gb * 4;
    return 0;
  };

  M.driver = function (driver, s) {
    var t = s.transactions_per_month;
    if (driver === "tasks") return t * s.steps_per_transaction;
    if (driver === "executions") return t / s.batch_size;
    if (driver === "connections") return s.apps;
    if (driver === "flows") return s.flows;
    return t * s.steps_per_transaction + s.mar * s.churn;
  };

  M.step = function (steps, s) {
    var v = M.driver(steps.driver, s), rows = steps.steps;
    for (var i = 0; i < rows.length; i++) if (rows[i].upto === null || v <= rows[i].upto) return rows[i].amount;
    return rows[rows.length - 1].amount;
  };

  M.licenceAt = function (a, s, level) {
    var amount = 0, l = a.licence;
    if (l) amount += (l.annual ? l.annual : M.step(l.by_volume, s))[level];
    if (s.enterprise_features && a.enterprise_edition) amount += a.enterprise_edition.annual[level];
    return amount;
  };

  M.infraAt = function (a, s, level) {
    var e = a.effort;
    return (e.infra_monthly ? e.infra_monthly : M.step(e.infra_steps, s))[level];
  };

  M.selfRun = function (a) { return !a.usage && !a.licence; };

  M.graduated = function (units, included, tiers, factor) {
    var billable = Math.max(0, units - included), cost = 0, previous = 0;
    for (var i = 0; i < tiers.length; i++) {
      var upper = tiers[i].upto === null ? Infinity : tiers[i].upto;
      if (billable > previous) cost += (Math.min(billable, upper) - previous) * tiers[i].rate * factor;
      previous = upper;
    }
    return cost;
  };

  M.usageMonth = function (a, units, factor, flows) {
    var u = a.usage;
    if (!u) return 0;
    if (u.scheme === "graduated" && u.free_up_to !== null && u.free_up_to !== undefined && units <= u.free_up_to) return 0;
    if (u.scheme === "graduated" && u.per_connection) {
      var connections = Math.max(1, flows), each = units / connections;
      var charge = M.graduated(each, u.included, u.tiers, factor);
      if (each > 0) charge = Math.max(charge, u.connection_minimum);
      return (u.base_monthly + connections * charge) * u.usd_rate;
    }
    if (u.scheme === "graduated") return (u.base_monthly + M.graduated(units, u.included, u.tiers, factor)) * u.usd_rate;
    var standard = units * u.standard_share, enterprise = units * u.enterprise_share;
    var builtin = units - standard - enterprise;
    return Math.max(0, builtin - u.free_builtin) * u.builtin_rate * factor +
      standard * u.standard_rate * factor + enterprise * u.enterprise_rate * factor;
  };

  M.params = function (a, s, level) {
    var e = a.effort, id = a.id;
    return {
      setup_hours: e.setup_hours,
      build_hours: own(s.build_hours, id) ? s.build_hours[id] : e.build_hours_per_flow[level],
      maintenance_share: own(s.maintenance_share, id) ? s.maintenance_share[id] : e.maintenance_share[level],
      ops_hours: e.ops_hours_per_month,
      infra_monthly: M.infraAt(a, s, level),
      licence_annual: own(s.licence, id) ? s.licence[id] : M.licenceAt(a, s, level),
      rate_factor: a.usage ? a.usage.rate_factor[level] : 1,
      keep: 1 - (own(s.discount, id) ? s.discount[id] : 0),
      usage_rate: own(s.usage_rate, id) ? s.usage_rate[id] : null,
      one_off: (own(s.partner, id) ? s.partner[id] : 0) + (own(s.training, id) ? s.training[id] : 0) +
        (own(s.migration, id) ? s.migration[id] : 0)
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
    var listed = p.usage_rate !== null && a.billing_unit !== "none" ? units * p.usage_rate : M.usageMonth(a, units, p.rate_factor, flows);
    var usageMonth = listed * p.keep;
    var c = {
      units_month: units,
      usage_month: usageMonth,
      build: (p.setup_hours + p.build_hours * flows) * r,
      licence_year: p.licence_annual * p.keep,
      usage_year: usageMonth * 12,
      run_year: p.build_hours * flows * p.maintenance_share * r + p.ops_hours * 12 * s.ops_rate,
      infra_year: p.infra_monthly * 12,
      licence_total: 0, usage_total: 0, run_total: 0, infra_total: 0
    };
    if (M.selfRun(a)) c.run_year += s.on_call_monthly * 12;
    c.one_off = p.one_off + s.parallel_months * (c.licence_year + c.usage_year + c.infra_year) / 12;
    M.weights(s).forEach(function (w) {
      c.licence_total += c.licence_year * w[0] / w[1];
      c.usage_total += c.usage_year * w[0] / w[1];
      c.run_total += c.run_year / w[1];
      c.infra_total += c.infra_year / w[1];
    });
    var subtotal = c.build + c.one_off + c.licence_total + c.usage_total + c.run_total + c.infra_total;
    c.risk_total = subtotal * s.risk;
    c.total = subtotal + c.risk_total;
    return c;
  };

  M.quote = function (a, units, s, spec) {
    var reasons = spec.text.quote, ed = a.enterprise_edition;
    if (a.licence) return [true, reasons.licence];
    if (s.enterprise_features && ed && ed.quote) return [true, M.fill(reasons.edition, { edition: ed.name })];
    var ceiling = a.usage && a.usage.self_serve_max !== undefined ? a.usage.self_serve_max : null;
    if (ceiling !== null && units > ceiling) {
      return [true, M.fill(reasons.above_self_serve, { ceiling: M.whole(ceiling) })];
    }
    return [false, null];
  };

  M.isEstimate = function (a, s) {
    var parts = [a.usage, a.licence, a.effort];
    if (s.enterprise_features) parts.push(a.enterprise_edition);
    return parts.some(function (p) { return p && p.estimate; });
  };

  M.unitBasis = function (a, s) {
    if (ROW_UNITS.indexOf(a.billing_unit) >= 0) {
      if (s.mar > 0) return "mar";
      if (a.billing_unit === "ab_credits" && s.db_gb > 0) return "gb";
      return null;
    }
    if (s.transactions_per_month > 0) return "transactions";
    return s.mar > 0 ? "mar" : null;
  };

  M.basisVolume = function (basis, s) {
    if (basis === "transactions") return s.transactions_per_month;
    return basis === "mar" ? s.mar : s.db_gb;
  };

  M.find = function (cat, id) {
    for (var i = 0; i < cat.approaches.length; i++) if (cat.approaches[i].id === id) return cat.approaches[i];
    throw new Error("unknown approach " + id);
  };

  M.evaluateApproach = function (a, s, spec) {
    var c = M.costs(a, s, "default"), basis = M.unitBasis(a, s);
    var q = M.quote(a, c.units_month, s, spec);
    return {
      id: a.id, name: a.name, billing_unit: a.billing_unit, costs: c,
      low_total: M.costs(a, s, "low").total,
      high_total: M.costs(a, s, "high").total,
      cost_per_unit: basis ? c.total / (M.basisVolume(basis, s) * 12 * s.years) : null,
      unit_basis: basis,
      quote_required: q[0], quote_reason: q[1], estimate: M.isEstimate(a, s),
      comparable: a.billing_unit === "none" || c.units_month > 0
    };
  };

  M.evaluate = function (s, cat, spec) {
    var results = s.approaches.map(function (id) { return M.evaluateApproach(M.find(cat, id), s, spec); });
    results.sort(function (x, y) {
      return x.comparable === y.comparable ? x.costs.total - y.costs.total : (x.comparable ? -1 : 1);
    });
    return results;
  };

  // Series are kept per scenario object (never changed once read), so a pair, its bands and
  // the chart share one computation; callers must not change a returned series.
  var seriesMemo = typeof WeakMap === "function" ? new WeakMap() : null;
  M.cumulative = function (a, s, level) {
    var memo = seriesMemo && seriesMemo.get(s), key = a.id + "|" + (level || "default");
    if (!memo && seriesMemo) seriesMemo.set(s, memo = {});
    if (memo && own(memo, key)) return memo[key];
    var series = M.series(a, s, level);
    if (memo) memo[key] = series;
    return series;
  };
  M.series = function (a, s, level) {
    var c = M.costs(a, s, level || "default"), start = (c.build + c.one_off) * (1 + s.risk), series = [start], running = start;
    M.weights(s).forEach(function (w) {
      var month = ((c.licence_year + c.usage_year) * w[0] + c.run_year + c.infra_year) / 12 / w[1];
      month *= 1 + s.risk;
      for (var m = 0; m < 12; m++) { running += month; series.push(running); }
    });
    return series;
  };

  M.crossings = function (sa, sb) {
    var diff = sa[0] - sb[0], order = diff === 0 ? 0 : (diff > 0 ? 1 : -1), months = [];
    for (var m = 1; m < sa.length; m++) {
      diff = sa[m] - sb[m];
      if (order === 0) order = diff === 0 ? 0 : (diff > 0 ? 1 : -1);
      else if ((order > 0 && diff <= 0) || (order < 0 && diff >= 0)) { months.push(m); order = -order; }
    }
    return months;
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
    return ROW_UNITS.indexOf(a.billing_unit) >= 0 || ROW_UNITS.indexOf(b.billing_unit) >= 0 ? "mar" : "transactions";
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
    var t = Object.assign({}, s);  // one copy, its volume changed at each step (costs never mutate it)
    var gap = function (v) {
      t[key] = v;
      return M.costs(a, t).total - M.costs(b, t).total;
    };
    var plain = null;
    if (s.discount_rate > 0) {
      var flat = Object.assign({}, s, { discount_rate: 0 });
      plain = M.breakEvenMonth(M.cumulative(a, flat), M.cumulative(b, flat));
    }
    return { month: month, crossings: M.crossings(sa, sb), cheaper_at_end: end === 0 ? null : (end < 0 ? a.id : b.id),
      month_low: M.breakEvenMonth(M.cumulative(a, s, "low"), M.cumulative(b, s, "low")),
      month_high: M.breakEvenMonth(M.cumulative(a, s, "high"), M.cumulative(b, s, "high")),
      discounted: s.discount_rate > 0, month_undiscounted: plain,
      cheaper_later: cheaper, volume: M.bisect(gap, lo, hi, spec.bisection_steps),
      measure: measure, volume_matters: gap(lo) !== gap(hi) };
  };

  // Twins of _varied and sensitivity in macros/tco/model.py: one input at a time to each end.
  M.varied = function (a, s, factor, end, spec) {
    // The varied scenario reads every unchanged input through its prototype (no copy of them all).
    var id = a.id, k = spec.sensitivity, t = Object.create(s), scale, key, range;
    if (factor === "licence") {
      if (own(s.licence, id) || M.licenceAt(a, s, "low") === M.licenceAt(a, s, "high")) return null;
      t.licence = Object.assign({}, s.licence); t.licence[id] = M.licenceAt(a, s, end);
      return t;
    }
    if (factor === "rate") {
      scale = end === "low" ? 1 - k.rate_swing : 1 + k.rate_swing;
      t.engineer_rate = s.engineer_rate * scale; t.ops_rate = s.ops_rate * scale;
      return t;
    }
    if (factor === "volume") {
      scale = end === "low" ? k.volume_low : k.volume_high;
      t.transactions_per_month = s.transactions_per_month * scale; t.mar = s.mar * scale; t.db_gb = s.db_gb * scale;
      return t;
    }
    key = factor === "maintenance" ? "maintenance_share" : "build_hours";
    range = factor === "maintenance" ? a.effort.maintenance_share : a.effort.build_hours_per_flow;
    if (own(s[key], id)) return null;
    t[key] = Object.assign({}, s[key]); t[key][id] = range[end];
    return t;
  };
  M.sensitivity = function (a, s, spec) {
    var swings = [];
    spec.sensitivity_factors.forEach(function (factor) {
      var low = M.varied(a, s, factor, "low", spec), high = M.varied(a, s, factor, "high", spec);
      if (low && high) swings.push({ factor: factor, low: M.costs(a, low).total, high: M.costs(a, high).total });
    });
    swings.sort(function (x, y) { return Math.abs(y.high - y.low) - Math.abs(x.high - x.low); });
    return swings;
  };

  // Twin of pair_sensitivity in macros/tco/model.py: the break-even month with one input moved for both.
  M.pairSensitivity = function (a, b, s, spec) {
    var swings = [];
    spec.sensitivity_factors.forEach(function (factor) {
      var ends = ["low", "high"].map(function (end) {
        var varied = s, targets = factor === "rate" || factor === "volume" ? [a] : [a, b];
        targets.forEach(function (x) { var moved = M.varied(x, varied, factor, end, spec); if (moved) varied = moved; });
        return varied;
      });
      if (ends[0] === s) return;
      var months = ends.map(function (t) { return M.breakEvenMonth(M.cumulative(a, t), M.cumulative(b, t)); });
      swings.push({ factor: factor, low: months[0], high: months[1] });
    });
    return swings;
  };

  // Twin of volume_per_month in macros/tco/spec.py.
  M.volumePerMonth = function (value, per, steps, spec) {
    if (per === "day") return value * spec.days_per_month;
    if (per === "task") return steps > 0 ? value / steps : null;
    return value;
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
  M.yearSlots = function (years, t) {
    return { n: String(years), years: M.fill(t.years[years === 1 ? "one" : "other"], { n: years }) };
  };
  M.joinList = function (items, t) {
    if (items.length < 2) return items.join("");
    return items.slice(0, -1).join(t.list_join.between) + t.list_join.last + items[items.length - 1];
  };
  M.unitDecimals = function (v, t) {
    var d = t.per_unit_decimals;
    if (v >= 1) return d.from_one;
    var decimals = d.below_one;
    while (v > 0 && v * Math.pow(10, decimals) < 10 && decimals < d.most) decimals++;
    return decimals;
  };
  // Twin of number in macros/tco/render.py: a count grouped, with two decimals unless whole.
  M.number = function (v) { return Math.floor(v) === v ? M.whole(v) : M.fixed(v, 2); };
  M.money = function (v, t) { return isFinite(v) ? t.currency + M.whole(v) : t.missing; };
  M.perUnit = function (v, basis, t) {
    if (v === null || basis === null || !isFinite(v)) return t.missing;
    return t.currency + M.fixed(v, M.unitDecimals(v, t)) + " " + t.per_unit_labels[basis];
  };
  // Twins of month_clause and volume_clause in macros/tco/render.py.
  M.monthClause = function (be, a, b, years, t) {
    var names = {}; names[a.id] = a.name; names[b.id] = b.name;
    var cheaper = own(names, be.cheaper_later || "") ? names[be.cheaper_later] : "";
    if (be.month === null) return ["stays_cheaper", { cheaper: cheaper, years: M.yearSlots(years, t).years }];
    if (be.crossings.length > 1) {
      var values = { count: String(be.crossings.length), months: M.joinList(be.crossings.map(String), t) };
      if (be.cheaper_at_end === null) return ["order_changes_tied", values];
      values.cheaper = names[be.cheaper_at_end];
      return ["order_changes", values];
    }
    if (be.month === 0) return cheaper ? ["same_start", { cheaper: cheaper }] : ["same_throughout", {}];
    return ["becomes_cheaper", { cheaper: cheaper, month: String(be.month) }];
  };
  M.monthWords = function (month, years, t) {
    return month === null ? M.fill(t.month_words.never, M.yearSlots(years, t)) : M.fill(t.month_words.month, { month: month });
  };
  M.detailClauses = function (be, years, t) {
    var clauses = [];
    if (be.discounted && be.month !== null) clauses.push(["discounted", { plain: M.monthWords(be.month_undiscounted, years, t) }]);
    if (be.month_low !== be.month || be.month_high !== be.month) {
      clauses.push(["month_range", { low: M.monthWords(be.month_low, years, t), high: M.monthWords(be.month_high, years, t) }]);
    }
    return clauses;
  };
  M.pairSensitivitySentence = function (swings, years, t) {
    var words = t.pair_sensitivity;
    var items = swings.map(function (w) {
      return M.fill(words.item, { label: words.labels[w.factor], low: M.monthWords(w.low, years, t), high: M.monthWords(w.high, years, t) });
    });
    return items.length ? M.sentence(words.sentence, { items: items.join("; ") }) : "";
  };
  M.volumeClause = function (be, years, spec) {
    var unit = spec.text.units[be.measure], range = spec.volume_range[be.measure];
    if (!be.volume_matters) return ["volume_irrelevant", { unit: unit }];
    if (be.volume === null) {
      return ["volume_outside", { n: String(years), low: M.whole(range[0]), high: M.whole(range[1]), unit: unit }];
    }
    return ["volume", { n: String(years), volume: M.whole(be.volume), unit: unit }];
  };

  /* ------------------------------------------------------------ input rules */
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  var GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;

  // A typed number: a comma is accepted only between groups of three digits (1,234,567).
  M.parseNumber = function (raw, min, max, integer, required, t) {
    var E = t.input_errors, text = String(raw).trim();
    if (text === "") return required ? { error: E.required } : { value: null };
    if (text.length > 40) return { error: E.not_number };
    if (text.indexOf(",") >= 0) {
      if (!GROUPED.test(text)) return { error: /^[+-]?[\d.,]+$/.test(text) ? E.comma : E.not_number };
      text = text.replace(/,/g, "");
    }
    if (!NUMBER.test(text)) return { error: E.not_number };
    var v = Number(text);
    if (!isFinite(v)) return { error: E.too_large };
    if (v < min || v > max) return { error: M.fill(E.range, { min: M.whole(min), max: M.whole(max) }) };
    if (integer && Math.floor(v) !== v) return { error: E.whole };
    return { value: v };
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

  /* --------------------------------------------------------------- widget */
  window.ipWidgets = window.ipWidgets || {};
  window.ipWidgets.tco = function (root) {
    var cat = JSON.parse(root.getAttribute("data-tco-catalogue"));
    var defaults = JSON.parse(root.getAttribute("data-tco-defaults"));
    var spec = JSON.parse(root.getAttribute("data-tco-spec")), T = spec.text, E = T.input_errors;
    // The form's definition, as arrays: name -> [scenario key, min, max, integer, scale].
    var FIELDS = {}, OVERRIDES = {};
    spec.inputs.forEach(function (f) { FIELDS[f.name] = [f.key, f.min, f.max, f.integer, f.scale, f.label, f.unit]; });
    spec.overrides.forEach(function (o) { OVERRIDES[o.prefix] = [o.key, 0, o.max, o.scale, o.label]; });
    function money(v) { return M.money(v, T); }
    function parse(raw, f, required) { return M.parseNumber(raw, f[1], f[2], f[3], required, T); }
    var form = root.querySelector("form");
    var out = root.querySelector(".tco-output");
    var charts = root.querySelector(".tco-charts");
    var pairBox = root.querySelector(".tco-pair");
    var notice = root.querySelector(".tco-notice");
    var status = root.querySelector(".tco-status");
    var conversion = root.querySelector(".tco-conv");
    var ids = cat.approaches.map(function (a) { return a.id; });
    var overrideInputs = form.querySelectorAll("input[data-override]");
    var OVERRIDE_FIELDS = Array.prototype.map.call(overrideInputs, function (i) {  // [input, rule, approach id]
      return [i, i.getAttribute("data-override"), i.getAttribute("data-approach")];
    });
    var compareBox = root.querySelector(".tco-compare"), pinned = null;
    var last = null, lastParams = null, valid = true, urlErrors = {}, urlTimer = 0, more = root.querySelector("details.tco-more");
    form.querySelector("fieldset.tco-live").disabled = false;

    // The form's fields never change: look each up once (a named lookup walks the form).
    var fieldCache = {}, showBoxes = form.querySelectorAll("input[name='show']");
    function input(name) { return own(fieldCache, name) ? fieldCache[name] : (fieldCache[name] = form.elements.namedItem(name)); }
    function shownIds() {
      var shown = [];
      showBoxes.forEach(function (c) { if (c.checked) shown.push(c.value); });
      return shown;
    }
    var msgs = new WeakMap(), showMsg = root.querySelector("#tco-show-msg");
    var quiet = new WeakSet();  // fields with no message element and no aria-invalid="true": nothing to clear
    function setMsg(field, text, invalid) {
      var msg = msgs.get(field);
      if (!msg && !text) {  // nothing to say and no message element yet: create none
        if (quiet.has(field)) return;
        if (field.hasAttribute("aria-invalid")) field.setAttribute("aria-invalid", "false");
        quiet.add(field);
        return;
      }
      quiet.delete(field);
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

    /* ---- state: form <-> scenario <-> address ---- */

    function fillDefaults() {
      Object.keys(FIELDS).forEach(function (name) {
        var f = FIELDS[name];
        input(name).value = String(Math.round(defaults[f[0]] * f[4] * 1e6) / 1e6);
        setMsg(input(name), "");
      });
      input("per").value = "month";
      input("ent").checked = !!defaults.enterprise_features;
      overrideInputs.forEach(function (i) { i.value = ""; setMsg(i, ""); });
      form.querySelectorAll("input[name='show']").forEach(function (c) { c.checked = defaults.approaches.indexOf(c.value) >= 0; });
      input("pa").value = defaults.pair[0];
      input("pb").value = defaults.pair[1];
    }

    // Every parameter the calculator owns in the address (others, such as the theme's, are kept).
    function owned() {
      var names = Object.keys(FIELDS).concat(["per", "ent", "show", "pa", "pb", "ab"]);
      overrideInputs.forEach(function (i) { names.push(i.name); });
      return names;
    }

    // The address parameters of the form as read() last found it (only used when it was valid).
    var readParams = {};
    function formParams() {
      var params = readParams;
      params.pa = input("pa").value;
      params.pb = input("pb").value;
      params.ab = pinned ? pinned.query : "";
      return params;
    }

    // The query string of a set of parameters (scenario A is kept as one parameter holding it).
    function queryOf(params) {
      var q = new URLSearchParams();
      owned().forEach(function (name) { if (name !== "ab" && params[name]) q.set(name, params[name]); });
      return q.toString().replace(/%2C/g, ",");
    }

    // A scenario from address parameters alone (the pinned scenario A): the form's rules, no messages.
    function scenarioFrom(params) {
      var s = { approaches: [], enterprise_features: params.get("ent") === "1" }, typed = {}, ok = true;
      Object.keys(OVERRIDES).forEach(function (prefix) { s[OVERRIDES[prefix][0]] = {}; });
      Object.keys(FIELDS).forEach(function (name) {
        var f = FIELDS[name], raw = params.get(name);
        var r = raw === null ? { value: defaults[f[0]] * f[4] } : parse(raw, f, true);
        if (r.error) { ok = false; return; }
        typed[name] = r.value;
        s[f[0]] = r.value / f[4];
      });
      var per = params.get("per") || "month";
      if (!ok || spec.per_options.indexOf(per) < 0) return null;
      var tx = M.volumePerMonth(typed.tx, per, s.steps_per_transaction, spec);
      if (tx === null || tx > FIELDS.tx[2]) return null;
      s.transactions_per_month = tx;
      params.forEach(function (value, key) {
        var dot = key.indexOf("."), prefix = dot > 0 ? key.slice(0, dot) : "", id = key.slice(dot + 1);
        if (!own(OVERRIDES, prefix) || ids.indexOf(id) < 0 || !input(key)) return;
        var o = OVERRIDES[prefix], r = parse(value, o, false);
        if (r.error) ok = false;
        else if (r.value !== null) s[o[0]][id] = r.value / o[3];
      });
      (params.get("show") || "").split(",").forEach(function (id) {
        if (ids.indexOf(id) >= 0 && s.approaches.indexOf(id) < 0) s.approaches.push(id);
      });
      return ok && s.approaches.length ? s : null;
    }

    function loadUrl() {
      var unknownShown = [], fields = {};
      Object.keys(FIELDS).forEach(function (name) {
        fields[name] = function (raw) {
          var r = parse(raw, FIELDS[name], true);
          if (r.error) { urlErrors[name] = M.fill(T.url_notices.value, { error: r.error }); return undefined; }
          return raw.trim();
        };
      });
      overrideInputs.forEach(function (i) {
        fields[i.name] = function (raw) {
          var r = parse(raw, OVERRIDES[i.getAttribute("data-override")], false);
          if (r.error) { urlErrors[i.name] = M.fill(T.url_notices.value, { error: r.error }); return undefined; }
          return raw.trim();
        };
      });
      fields.per = function (raw) { return spec.per_options.indexOf(raw) >= 0 ? raw : undefined; };
      fields.ent = function (raw) { return raw === "1" || raw === "0" ? raw : undefined; };
      fields.pa = fields.pb = function (raw) { return ids.indexOf(raw) >= 0 ? raw : undefined; };
      fields.ab = function (raw) {
        var a = raw.length <= 4000 ? scenarioFrom(new URLSearchParams(raw)) : null;
        if (!a) return undefined;
        pinned = { query: raw, scenario: a };
        return raw;
      };
      fields.show = function (raw) {
        var parts = raw.split(","), wanted = parts.filter(function (v) { return ids.indexOf(v) >= 0; });
        if (!wanted.length) return undefined;
        parts.forEach(function (v) { if (wanted.indexOf(v) < 0) unknownShown.push(v); });
        return wanted;
      };
      var got = window.ipUrl.read(window.location.search, fields, { strict: true }), v = got.values;
      Object.keys(v).forEach(function (key) {
        if (key === "show") {
          form.querySelectorAll("input[name='show']").forEach(function (c) { c.checked = v.show.indexOf(c.value) >= 0; });
        } else if (key === "ent") {
          input("ent").checked = v.ent === "1";
        } else if (key !== "ab") {  // scenario A is read by its own field rule
          input(key).value = v[key];
          if (input(key).hasAttribute("data-override")) more.open = true;  // show the per-approach values the link sets
        }
      });
      var lines = [];
      if (got.bad.length) lines.push(M.fill(T.url_notices.ignored, { names: window.ipUrl.describe(got.bad) }));
      if (unknownShown.length) lines.push(M.fill(T.url_notices.show, { names: window.ipUrl.describe(unknownShown) }));
      if (lines.length) { notice.hidden = false; notice.textContent = lines.join(" "); }
    }

    // Read and check the form; marks each bad field and returns the scenario, or null.
    function read() {
      var s = { approaches: [], enterprise_features: input("ent").checked }, ok = true, typed = {}, params = {};
      Object.keys(OVERRIDES).forEach(function (prefix) { s[OVERRIDES[prefix][0]] = {}; });
      Object.keys(FIELDS).forEach(function (name) {
        var f = FIELDS[name], raw = input(name).value, r = parse(raw, f, true);
        params[name] = raw.trim();
        setMsg(input(name), r.error);
        if (r.error) { ok = false; return; }
        typed[name] = r.value;
        s[f[0]] = r.value / f[4];
      });
      var per = input("per").value, convText = "";
      params.per = per === "month" ? "" : per;
      params.ent = s.enterprise_features ? "1" : "";
      if (ok && per !== "month") {
        var tx = M.volumePerMonth(typed.tx, per, s.steps_per_transaction, spec), most = FIELDS.tx[2];
        if (tx === null) { setMsg(input("tx"), E.no_steps); ok = false; }
        else if (tx > most) {
          setMsg(input("tx"), per === "day" ? M.fill(E.per_day, { max: M.whole(Math.floor(most / spec.days_per_month)) })
            : M.fill(E.range, { min: "0", max: M.whole(most * s.steps_per_transaction) }));
          ok = false;
        } else {
          s.transactions_per_month = tx;
          convText = M.fill(T.conversions[per], { tx: M.whole(tx), steps: String(s.steps_per_transaction) });
        }
      }
      if (conversion.textContent !== convText) conversion.textContent = convText;
      OVERRIDE_FIELDS.forEach(function (x) {
        var i = x[0], o = OVERRIDES[x[1]], raw = i.value, r = parse(raw, o, false);
        params[i.name] = raw.trim();
        setMsg(i, r.error);
        if (r.error) { ok = false; more.open = true; }
        else if (r.value !== null) s[o[0]][x[2]] = r.value / o[3];
      });
      s.approaches = shownIds();
      params.show = s.approaches.join(",");
      setText(showMsg, s.approaches.length ? "" : E.no_approach);
      if (!s.approaches.length) ok = false;
      if (ok) readParams = params;
      return ok ? s : null;
    }

    // The address always holds the inputs behind the results on screen.
    function writeUrl() {
      if (!root.isConnected || !lastParams) return;  // the reader has navigated to another page
      window.ipUrl.write(owned(), lastParams);
      root.removeAttribute("data-url-pending");
    }

    var COLORS = ["#3f51b5", "#e65100", "#2e7d32", "#ad1457", "#00838f", "#6d4c41", "#7b1fa2", "#c62828", "#827717", "#37474f"];
    var DASHES = ["", "", "", "", "", "6 3", "6 3", "2 3", "2 3", "8 3 2 3"];
    var PARTS = [["build", "Build"], ["one_off", "One-off"], ["licence_total", "Licence"], ["usage_total", "Usage"],
      ["run_total", "Run and maintain"], ["infra_total", "Infrastructure"], ["risk_total", "Risk"]];
    // A palette for the bar chart's parts distinct from the line chart's approaches.
    var PART_COLORS = ["#1565c0", "#00897b", "#f57f17", "#558b2f", "#8e24aa", "#5d4037", "#616161"];
    var SWING_COLORS = ["#00796b", "#bf360c"];  // tornado: below and above the current total
    var PAIR_COLORS = ["#9c27b0", "#0277bd"];  // break-even tornado: input at its low end, at its high end
    // Chart geometry in pixels: each SVG is drawn at the width it is shown at, so its
    // 12 px text stays 12 px on a phone (the charts are rebuilt for another width).
    var LH = 300, LB = 30, LT = 12, LR = 12, ROW = 26, BR = 56, PAIR_ROW = 36, PAIR_BR = 90;
    var view = null;

    // Only touch the DOM where something changed: typing stays fast.
    // A text change writes the existing text node's data: no node is replaced, so no style is recalculated.
    function setText(node, text) {
      var t = node.firstChild;
      if (t && t.nodeType === 3 && !t.nextSibling) { if (t.data !== text) t.data = text; }
      else if (node.textContent !== text) node.textContent = text;
    }
    function attr(node, name, value) { value = String(value); if (node.getAttribute(name) !== value) node.setAttribute(name, value); }
    function fmtShort(v) {
      if (v >= 1e6) return (v / 1e6).toFixed(v >= 1e7 ? 0 : 1) + "M";
      if (v >= 1e3) return (v / 1e3).toFixed(0) + "k";
      return v.toFixed(0);
    }
    function short(v) { return T.currency + fmtShort(v); }
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
      if (items) fig.appendChild(legend(items));
      fig.appendChild(el("figcaption", null, caption));
      return fig;
    }
    // The charts' shown width, read once and again only after a resize (reading it forces a layout).
    var shownWidth = 0;
    function chartWidth() {
      if (!shownWidth) shownWidth = Math.max(280, Math.min(640, Math.floor(charts.getBoundingClientRect().width || 640)));
      return shownWidth;
    }
    function clip(name, px) {  // about 6.5 px per character at 12 px
      var most = Math.max(6, Math.floor(px / 6.5));
      return name.length > most ? name.slice(0, most - 1) + "\u2026" : name;
    }
    function viewKey(s) { return s.approaches.join(",") + "|" + s.years + "|" + chartWidth(); }

    // Build the table and charts for one set of approaches, one horizon and one width.
    function buildView(s) {
      var W = chartWidth(), LL = W < 420 ? 52 : 70, BL = Math.min(210, Math.round(W * 0.36));
      var v = { key: viewKey(s), W: W, BL: BL, rows: {}, lines: {}, bands: {}, bars: {}, yLabels: [] };
      var wrap = el("div", { "class": "ip-table-wrap", tabindex: "0", role: "region", "aria-label": "TCO results" });
      var t = wrap.appendChild(el("table", { "class": "ip-table tco-results", id: "tco-results" }));
      var slots = M.yearSlots(s.years, T);
      t.appendChild(el("caption", null, M.fill(spec.results_caption, slots)));
      var head = t.appendChild(el("thead")).appendChild(el("tr"));
      spec.columns.forEach(function (h) { head.appendChild(el("th", { scope: "col" }, M.fill(h, slots))); });
      v.body = t.appendChild(el("tbody"));
      var n = s.years * 12;
      v.x = function (m) { return LL + (W - LL - LR) * m / n; };
      var line = svg("svg", { viewBox: "0 0 " + W + " " + LH, width: W, role: "img", "class": "tco-chart" });
      line.appendChild(svg("title", {}, "Cumulative cost by month over " + slots.years));
      for (var k = 0; k <= 4; k++) {
        var gy = LH - LB - (LH - LB - LT) * k / 4;
        line.appendChild(svg("line", { x1: LL, x2: W - LR, y1: gy, y2: gy, "class": "tco-grid-line" }));
        v.yLabels.push(line.appendChild(svg("text", { x: LL - 6, y: gy + 4, "text-anchor": "end" }, "")));
      }
      var every = s.years > 5 && W < 420 ? 2 : 1;
      for (var yr = 0; yr <= s.years; yr += every) {
        line.appendChild(svg("text", { x: v.x(yr * 12), y: LH - 10, "text-anchor": yr === 0 ? "start" : yr === s.years ? "end" : "middle" },
          yr === 0 ? "start" : (W < 420 ? "" : "yr ") + yr));
      }
      var bandLayer = line.appendChild(svg("g", {}));
      var bar = svg("svg", { viewBox: "0 0 " + W + " " + (ROW * s.approaches.length + 10), width: W, role: "img", "class": "tco-chart" });
      bar.appendChild(svg("title", {}, "Cost components per approach over the horizon"));
      var lineItems = [];
      // One path per cost part draws that part of every bar; each row (by rank) has its label,
      // total and tooltip. Table rows and bar rows are filled by rank, so a new order moves no node.
      v.parts = PARTS.map(function (p, j) { return bar.appendChild(svg("path", { fill: PART_COLORS[j] })); });
      v.rows = [];
      v.bars = [];
      s.approaches.forEach(function (id, i) {
        var a = M.find(cat, id), color = COLORS[i % COLORS.length];
        var tr = v.body.appendChild(el("tr", { "data-approach": id }));
        var cells = [];
        for (var c = 0; c < 10; c++) cells.push(tr.appendChild(el(c ? "td" : "th", c ? null : { scope: "row" }, c ? null : a.name)));
        v.rows.push({ tr: tr, cells: cells.slice(1), name: cells[0], strong: cells[6].appendChild(el("strong")), notes: null });
        v.bands[id] = bandLayer.appendChild(svg("path", { fill: color, "fill-opacity": 0.15, stroke: "none", "class": "tco-band" }));
        v.lines[id] = line.appendChild(svg("path", { fill: "none", stroke: color, "stroke-width": 2, "stroke-dasharray": DASHES[i % DASHES.length] }));
        lineItems.push([a.name, color, DASHES[i % DASHES.length]]);
        var g = bar.appendChild(svg("g", { transform: "translate(0 " + (5 + i * ROW) + ")" }));
        v.bars.push({ title: g.appendChild(svg("title", {}, "")), label: g.appendChild(svg("text", { x: BL - 6, y: 15, "text-anchor": "end" }, "")),
          hit: g.appendChild(svg("rect", { x: BL, height: ROW - 6, width: W - BL - BR, fill: "transparent" })), total: g.appendChild(svg("text", { y: 15 }, "")) });
      });
      v.marker = line.appendChild(svg("circle", { r: 6, "class": "tco-marker" }));
      v.markerText = line.appendChild(svg("text", {}, ""));
      v.tornado = tornado(W, "tco-tornado", ROW);
      var tornadoFigure = el("figure");
      tornadoFigure.appendChild(v.tornado.svg);
      tornadoFigure.appendChild(legend([["lowers the total", SWING_COLORS[0]], ["raises the total", SWING_COLORS[1]]]));
      tornadoFigure.appendChild(v.tornadoCaption = el("figcaption", null, ""));
      v.pairChart = tornado(W, "tco-be-tornado", PAIR_ROW);
      var pairFigure = el("figure", { "class": "tco-be-figure" });
      pairFigure.appendChild(v.pairChart.svg);
      pairFigure.appendChild(legend(T.pair_chart.legend.map(function (words, i) { return [words, PAIR_COLORS[i]]; })));
      pairFigure.appendChild(pairSwing);
      pairChartBox.replaceChildren(pairFigure);
      out.replaceChildren(wrap);
      charts.replaceChildren(
        figure(line, lineItems, "Cumulative cost per month (build at month 0; escalator and discount applied per year). Shading: the break-even pair's low–high range."),
        figure(bar, PARTS.map(function (p, j) { return [p[1], PART_COLORS[j]]; }), "Cost components over the horizon, escalated and discounted."),
        tornadoFigure);
      return v;
    }

    // A tornado chart's frame: a pool of rows (label, two bars, two end labels, a tooltip) and a base line.
    function tornado(W, cls, rowHeight) {
      var n = spec.sensitivity_factors.length, chart = svg("svg", { width: W, role: "img", "class": "tco-chart tco-tornado " + cls });
      var t = { svg: chart, title: chart.appendChild(svg("title", {}, "")), rows: [], W: W, H: rowHeight, LBL: Math.min(230, Math.round(W * 0.42)) };
      for (var i = 0; i < n; i++) {
        var g = chart.appendChild(svg("g", { transform: "translate(0 " + (8 + i * rowHeight) + ")" }));
        t.rows.push({ g: g, tip: g.appendChild(svg("title", {}, "")), label: g.appendChild(svg("text", { x: t.LBL - 4, y: rowHeight / 2 + 2, "text-anchor": "end" }, "")),
          bars: [g.appendChild(svg("rect", {})), g.appendChild(svg("rect", {}))], ends: [g.appendChild(svg("text", {}, "")), g.appendChild(svg("text", {}, ""))] });
      }
      t.line = chart.appendChild(svg("line", { y1: 4, "class": "tco-marker-line" }));
      t.base = chart.appendChild(svg("text", {}, ""));
      return t;
    }
    // Show the first `count` rows, then place the base line and its label under them.
    function tornadoFrame(t, count, baseX, baseText) {
      t.rows.forEach(function (row, i) { attr(row.g, "display", i < count ? "inline" : "none"); });
      var axisY = 8 + count * t.H + 4, right = baseX > t.W * 0.7;
      attr(t.line, "x1", baseX.toFixed(1)); attr(t.line, "x2", baseX.toFixed(1)); attr(t.line, "y2", axisY);
      attr(t.base, "x", baseX.toFixed(1)); attr(t.base, "y", axisY + 14); attr(t.base, "text-anchor", right ? "end" : "middle");
      setText(t.base, baseText);
      attr(t.svg, "viewBox", "0 0 " + t.W + " " + (axisY + 22));
    }
    function bar(row, k, from, to, y, h, fill) {
      attr(row.bars[k], "x", Math.min(from, to).toFixed(1)); attr(row.bars[k], "width", Math.abs(to - from).toFixed(1));
      attr(row.bars[k], "y", y); attr(row.bars[k], "height", h); attr(row.bars[k], "fill", fill);
    }
    function endLabel(row, k, x, y, words) {
      attr(row.ends[k], "x", (x + 4).toFixed(1)); attr(row.ends[k], "y", y); setText(row.ends[k], words);
    }

    // The cost tornado: one bar per input, from the total at its low end to the total at its high end.
    function renderTornado(v, a, s) {
      var base = M.costs(a, s).total, swings = M.sensitivity(a, s, spec), t = v.tornado, LBL = t.LBL;
      var key = a.id + "|" + base + "|" + swings.map(function (w) { return w.factor + w.low + "," + w.high; }).join("|");
      if (v.tornadoKey === key) return;  // nothing moved: keep the drawing
      v.tornadoKey = key;
      var lo = base, hi = base;
      swings.forEach(function (w) { lo = Math.min(lo, w.low, w.high); hi = Math.max(hi, w.low, w.high); });
      var span = hi - lo || 1, x0 = LBL + 4, x1 = t.W - BR;
      var x = function (value) { return x0 + (x1 - x0) * (value - lo) / span; };
      swings.forEach(function (w, i) {
        var row = t.rows[i], small = Math.min(w.low, w.high), large = Math.max(w.low, w.high);
        setText(row.label, clip(T.sensitivity[w.factor], LBL - 8));
        bar(row, 0, x(small), x(base), 0, ROW - 6, SWING_COLORS[0]);
        bar(row, 1, x(base), x(large), 0, ROW - 6, SWING_COLORS[1]);
        endLabel(row, 0, 0, 15, "");
        endLabel(row, 1, x(large), 15, short(large));
        setText(row.tip, T.sensitivity[w.factor] + ": " + money(w.low) + " – " + money(w.high));
      });
      tornadoFrame(t, swings.length, x(base), short(base));
      var words = "Sensitivity of " + a.name + "'s total (" + money(base) + ") to one input at a time.";
      setText(t.title, words);
      setText(v.tornadoCaption, words + " Engineer rates ±30 %, volume ×0.5 and ×2, the others at their low and high defaults; inputs you set per approach stay fixed.");
    }

    // The break-even tornado: per input, a bar from the month now to the month at its low end (upper
    // half) and one to the month at its high end (lower half); no break-even runs open to the horizon.
    function renderPairChart(v, be, a, b, s, swings) {
      var t = v.pairChart, P = T.pair_chart, n = s.years * 12, LBL = t.LBL, half = (t.H - 6) / 2;
      var x0 = LBL + 4, x1 = t.W - PAIR_BR, x = function (m) { return x0 + (x1 - x0) * (m === null ? n : m) / n; };
      var words = function (m) { return m === null ? M.fill(P.never, { n: s.years }) : M.fill(P.month, { month: m }); };
      swings.forEach(function (w, i) {
        var row = t.rows[i];
        setText(row.label, clip(T.sensitivity[w.factor], LBL - 8));
        [w.low, w.high].forEach(function (m, k) {
          var y = k * (half + 2);
          bar(row, k, x(be.month), x(m), y, half, PAIR_COLORS[k]);
          attr(row.bars[k], "class", m === null ? "tco-open" : "");
          endLabel(row, k, Math.max(x(m), x(be.month)), y + half / 2 + 4, words(m));
        });
        setText(row.tip, M.fill(P.tip, { label: T.sensitivity[w.factor], low: M.monthWords(w.low, s.years, T), high: M.monthWords(w.high, s.years, T) }));
      });
      tornadoFrame(t, swings.length, x(be.month), M.fill(P.base, { words: M.monthWords(be.month, s.years, T) }));
      setText(t.title, M.fill(P.title, { a: a.name, b: b.name }));
    }

    // The results table, written in the input's own task: the totals a reader is waiting for.
    // Returns true when the table and charts were built afresh (new approaches, horizon or width).
    function renderTable(s, results) {
      var fresh = !view || view.key !== viewKey(s);
      if (fresh) view = buildView(s);
      results.forEach(function (r, i) {
        var c = r.costs, row = view.rows[i];
        attr(row.tr, "data-approach", r.id);
        setText(row.name, r.name);
        [money(c.build + c.one_off), money(c.licence_year), money(c.usage_year), money(c.run_year), money(c.infra_year)]
          .forEach(function (text, k) { setText(row.cells[k], text); });
        setText(row.strong, money(c.total));
        setText(row.cells[6], money(r.low_total) + " – " + money(r.high_total));
        setText(row.cells[7], M.perUnit(r.cost_per_unit, r.unit_basis, T));
        var notes = (r.comparable ? "" : "n") + (r.quote_required ? "q" : "") + (r.estimate ? "e" : "") + (r.quote_reason || "");
        if (row.notes !== notes) {
          row.notes = notes;
          var cell = row.cells[8];
          cell.replaceChildren();
          if (!r.comparable) {
            var reason = M.fill(T.not_comparable_reason, { unit: T.billing_units[r.billing_unit] });
            cell.appendChild(el("span", { "class": "tco-flag", title: reason }, T.not_comparable));
            cell.appendChild(document.createTextNode(" "));
          }
          if (r.quote_required) cell.appendChild(el("span", { "class": "tco-flag", title: r.quote_reason }, "Quote required"));
          if (r.estimate) cell.appendChild(el("span", { "class": "ip-estimate" }, " (est.)"));
          if (r.comparable && !r.quote_required && !r.estimate) cell.textContent = T.missing;
        }
      });
      return fresh;
    }

    // The charts: the cumulative lines with their bands, the stacked bars, the break-even marker
    // and the cost tornado, drawn for the state the table shows.
    function renderCharts(s, results, be) {
      var v = view, W = v.W, BL = v.BL;
      var series = {}, bands = {}, max = 1;
      results.forEach(function (r) {
        var a = M.find(cat, r.id);
        series[r.id] = M.cumulative(a, s);
        max = Math.max(max, series[r.id][series[r.id].length - 1], r.costs.total);
        if (be && (r.id === be.a || r.id === be.b)) {
          bands[r.id] = [M.cumulative(a, s, "low"), M.cumulative(a, s, "high")];
          max = Math.max(max, bands[r.id][1][bands[r.id][1].length - 1]);
        }
      });
      // Round the axis up to 1, 2, 2.5 or 5 times a power of ten, so the grid labels are round.
      var step = Math.pow(10, Math.floor(Math.log10(max)));
      max = [1, 2, 2.5, 5, 10].map(function (f) { return f * step; }).filter(function (m) { return m >= max; })[0];
      var y = function (value) { return LH - LB - (LH - LB - LT) * value / max; };
      v.yLabels.forEach(function (label, k) { setText(label, short(max * k / 4)); });
      var barMax = Math.max.apply(null, results.map(function (r) { return r.costs.total; }).concat([1]));
      var partPaths = PARTS.map(function () { return ""; });
      results.forEach(function (r, i) {
        var c = r.costs;
        // Within a year the cumulative cost grows linearly, so yearly vertices draw the same line.
        var d = "", points = series[r.id], m;
        for (m = 0; m < points.length; m += 12) d += (m ? "L" : "M") + v.x(m).toFixed(1) + " " + y(points[m]).toFixed(1);
        attr(v.lines[r.id], "d", d);
        var band = "";
        if (bands[r.id]) {
          var low = bands[r.id][0], high = bands[r.id][1];
          for (m = 0; m < high.length; m += 12) band += (m ? "L" : "M") + v.x(m).toFixed(1) + " " + y(high[m]).toFixed(1);
          for (m = low.length - 1; m >= 0; m -= 12) band += "L" + v.x(m).toFixed(1) + " " + y(low[m]).toFixed(1);
          band += "Z";
        }
        attr(v.bands[r.id], "d", band);
        var group = v.bars[i], xPos = BL, parts = [], y0 = 5 + i * ROW;
        PARTS.forEach(function (p, j) {
          var w = (W - BL - BR) * c[p[0]] / barMax;
          if (w > 0.05) partPaths[j] += "M" + xPos.toFixed(1) + " " + y0 + "h" + w.toFixed(1) + "v" + (ROW - 6) + "h-" + w.toFixed(1) + "Z";
          parts.push(p[1] + " " + money(c[p[0]]));
          xPos += w;
        });
        setText(group.label, clip(r.name, BL - 8));
        setText(group.title, r.name + ": " + parts.join(", "));
        attr(group.total, "x", (xPos + 4).toFixed(1));
        setText(group.total, short(c.total));
      });
      v.parts.forEach(function (path, j) { attr(path, "d", partPaths[j]); });
      var shown = be && be.month !== null && series[be.a] && series[be.b];
      attr(v.marker, "visibility", shown ? "visible" : "hidden");
      attr(v.markerText, "visibility", shown ? "visible" : "hidden");
      if (shown) {
        var cx = v.x(be.month), cy = y(series[be.a][be.month]);
        attr(v.marker, "cx", cx.toFixed(1));
        attr(v.marker, "cy", cy.toFixed(1));
        var left = cx > W * 0.55;
        attr(v.markerText, "x", (left ? cx - 10 : cx + 10).toFixed(1));
        attr(v.markerText, "y", Math.max(LT + 12, cy - 10).toFixed(1));
        attr(v.markerText, "text-anchor", left ? "end" : "start");
        setText(v.markerText, "break-even, month " + be.month);
      }
      renderTornado(v, M.find(cat, input("pa").value), s);
    }

    var pairTitle = pairBox.appendChild(el("p", { "class": "tco-pair-title" }));
    var pairMonth = pairBox.appendChild(el("p", { "class": "tco-be-month" }));
    var pairDetail = pairBox.appendChild(el("p", { "class": "tco-be-detail" }));
    var pairVolume = pairBox.appendChild(el("p", { "class": "tco-be-volume" }));
    var pairChartBox = pairBox.appendChild(el("div", { "class": "tco-be-chart" }));
    var pairSwing = el("figcaption", { "class": "tco-be-swing" });  // the chart's words, and its caption

    function renderPair(s, be, a, b) {
      setText(pairTitle, "Break-even: " + a.name + " vs " + b.name);
      if (a.id === b.id) {
        setText(pairMonth, M.sentence(T.break_even.same_approach, {}));
        setText(pairDetail, "");
        setText(pairVolume, "");
        setText(pairSwing, "");
        if (!pairChartBox.hidden) pairChartBox.hidden = true;
        return;
      }
      var month = M.monthClause(be, a, b, s.years, T), volume = M.volumeClause(be, s.years, spec);
      setText(pairMonth, M.sentence(T.break_even[month[0]], month[1]));
      setText(pairDetail, M.detailClauses(be, s.years, T).map(function (c) { return M.sentence(T.break_even[c[0]], c[1]); }).join(" "));
      setText(pairVolume, M.sentence(T.break_even[volume[0]], volume[1]));
    }
    // The break-even pair's sensitivity: its sentence and its chart, drawn with the other charts.
    function renderPairSwing(s, be, a, b) {
      if (a.id === b.id) return;
      var swings = M.pairSensitivity(a, b, s, spec);
      setText(pairSwing, M.pairSensitivitySentence(swings, s.years, T));
      if (pairChartBox.hidden !== !swings.length) pairChartBox.hidden = !swings.length;
      if (swings.length) renderPairChart(view, be, a, b, s, swings);
    }

    // Typing shows the new totals at once; the charts follow in a task of their own just after
    // that frame is painted, drawn once for the latest state however many changes came before.
    var chartFrame = 0, chartTimer = 0;
    function drawCharts() {
      cancelAnimationFrame(chartFrame); clearTimeout(chartTimer);
      chartFrame = chartTimer = 0;
      if (!root.hasAttribute("data-charts-pending")) return;
      root.removeAttribute("data-charts-pending");
      var c = last;
      renderCharts(c.scenario, c.results, c.a.id === c.b.id ? null : { month: c.pair.month, a: c.a.id, b: c.b.id });
      renderPairSwing(c.scenario, c.pair, c.a, c.b);
    }
    function scheduleCharts() {
      root.setAttribute("data-charts-pending", "");
      if (chartFrame || chartTimer) return;
      chartFrame = requestAnimationFrame(function () { chartFrame = 0; chartTimer = setTimeout(drawCharts, 0); });
    }
    /* In-site navigation replaces the page: the listener leaves with its calculator. */
    function onPrint() {
      if (root.isConnected) drawCharts();
      else window.removeEventListener("beforeprint", onPrint);
    }
    window.addEventListener("beforeprint", onPrint);

    function recompute() {
      var s = read();
      valid = !!s;
      if (!s) { setText(status, T.status.invalid); return; }
      setText(status, "");
      lastParams = formParams();
      var results = M.evaluate(s, cat, spec);
      var a = M.find(cat, input("pa").value), b = M.find(cat, input("pb").value);
      var be = M.breakEven(a, b, s, spec);
      last = { scenario: s, results: results, pair: be, a: a, b: b };
      var fresh = renderTable(s, results);
      renderPair(s, be, a, b);
      scheduleCharts();
      if (fresh) drawCharts();  // new, empty charts: draw them now rather than show them blank for a frame
      renderCompare(s, results);
      // Browsers throttle history updates, so typing writes the URL once it pauses.
      clearTimeout(urlTimer);
      root.setAttribute("data-url-pending", "");
      urlTimer = setTimeout(writeUrl, 150);
    }

    // Scenario A (pinned) against the current inputs (B), approach by approach.
    function renderCompare(s, results) {
      if (compareBox.hidden !== !pinned) compareBox.hidden = !pinned;
      if (!pinned) { if (compareBox.firstChild) compareBox.replaceChildren(); return; }
      var C = T.compare, a = M.evaluate(pinned.scenario, cat, spec), totalsA = {}, order = [];
      a.forEach(function (r) { totalsA[r.id] = r; });
      results.forEach(function (r) { order.push(r.id); });
      a.forEach(function (r) { if (order.indexOf(r.id) < 0) order.push(r.id); });
      var wrap = el("div", { "class": "ip-table-wrap", tabindex: "0", role: "region", "aria-label": C.title });
      var t = wrap.appendChild(el("table", { "class": "ip-table tco-ab" }));
      t.appendChild(el("caption", null, C.title));
      var head = t.appendChild(el("thead")).appendChild(el("tr"));
      C.columns.forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
      var body = t.appendChild(el("tbody")), totalsB = {};
      results.forEach(function (r) { totalsB[r.id] = r; });
      order.forEach(function (id) {
        var ra = totalsA[id], rb = totalsB[id], tr = body.appendChild(el("tr"));
        tr.appendChild(el("th", { scope: "row" }, (ra || rb).name));
        tr.appendChild(el("td", null, ra ? money(ra.costs.total) : C.absent));
        tr.appendChild(el("td", null, rb ? money(rb.costs.total) : C.absent));
        var d = ra && rb ? rb.costs.total - ra.costs.total : null;
        tr.appendChild(el("td", null, d === null ? T.missing : (d < 0 ? "\u2212" : "+") + money(Math.abs(d))));
      });
      var parts = [wrap], sa = pinned.scenario, pa = M.find(cat, input("pa").value), pb = M.find(cat, input("pb").value);
      if (pa.id !== pb.id) {
        var month = function (x) { return M.monthWords(M.breakEvenMonth(M.cumulative(pa, x), M.cumulative(pb, x)), x.years, T); };
        parts.push(el("p", { "class": "tco-ab-be" }, M.sentence(C.break_even, { a: pa.name, b: pb.name, month_a: month(sa), month_b: month(s) })));
      }
      var diffs = compareInputs(sa, s);
      if (diffs.length) {
        var dw = el("div", { "class": "ip-table-wrap", tabindex: "0", role: "region", "aria-label": C.inputs_title });
        var dt = dw.appendChild(el("table", { "class": "ip-table tco-ab-inputs" }));
        dt.appendChild(el("caption", null, C.inputs_title));
        var dh = dt.appendChild(el("thead")).appendChild(el("tr")), db = dt.appendChild(el("tbody"));
        C.inputs_columns.forEach(function (h) { dh.appendChild(el("th", { scope: "col" }, h)); });
        diffs.forEach(function (d) {
          var tr = db.appendChild(el("tr"));
          tr.appendChild(el("th", { scope: "row" }, d[0]));
          tr.appendChild(el("td", null, d[1]));
          tr.appendChild(el("td", null, d[2]));
        });
        parts.push(dw);
      } else parts.push(el("p", null, C.same_inputs));
      if (pinned.scenario.years !== s.years) {
        parts.push(el("p", null, M.fill(C.a_years, { a: M.yearSlots(pinned.scenario.years, T).years, b: M.yearSlots(s.years, T).years })));
      }
      parts.push(el("button", { type: "button", "class": "md-button", "data-tco": "unpin" }, C.clear));
      compareBox.replaceChildren.apply(compareBox, parts);
    }

    // The inputs of scenarios A and B that differ: [label, A's value, B's value], in form order.
    function compareInputs(sa, sb) {
      var C = T.compare, rows = [];
      function shown(v, scale, unit) {
        if (v === undefined) return C.unset;
        return M.number(Math.round(v * scale * 1e6) / 1e6) + (unit ? " " + unit : "");
      }
      function add(label, x, y) { if (x !== y) rows.push([label, x, y]); }
      Object.keys(FIELDS).forEach(function (name) {
        var f = FIELDS[name];
        add(f[5], shown(sa[f[0]], f[4], f[6]), shown(sb[f[0]], f[4], f[6]));
      });
      add(T.enterprise.label, T.enterprise[sa.enterprise_features ? "yes" : "no"], T.enterprise[sb.enterprise_features ? "yes" : "no"]);
      var names = function (x) { return x.approaches.map(function (id) { return M.find(cat, id).name; }).join(", "); };
      add(C.approaches, names(sa), names(sb));
      Object.keys(OVERRIDES).forEach(function (prefix) {
        var o = OVERRIDES[prefix];
        ids.forEach(function (id) {
          add(M.fill(o[4], { name: M.find(cat, id).name }), shown(sa[o[0]][id], o[3], ""), shown(sb[o[0]][id], o[3], ""));
        });
      });
      return rows;
    }

    function download(name, type, text) {
      var link = el("a", { href: URL.createObjectURL(new Blob([text], { type: type })), download: name });
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
    }

    function csv() {
      var head = ["id", "name", "build", "one_off", "licence_year", "usage_year", "run_year", "infra_year", "risk_total", "total",
        "low_total", "high_total", "cost_per_unit", "unit_basis", "comparable", "quote_required", "estimate"];
      var lines = [head.join(",")];
      last.results.forEach(function (r) {
        var c = r.costs;
        lines.push([r.id, '"' + r.name.replace(/"/g, '""') + '"', c.build, c.one_off, c.licence_year, c.usage_year, c.run_year,
          c.infra_year, c.risk_total, c.total, r.low_total, r.high_total, r.cost_per_unit === null ? "" : r.cost_per_unit,
          r.unit_basis || "", r.comparable, r.quote_required, r.estimate]
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
        status.textContent = T.status.reset;
      } else if (action === "pin" && lastParams) {
        var query = queryOf(lastParams), scenario = scenarioFrom(new URLSearchParams(query));
        if (scenario) { pinned = { query: query, scenario: scenario }; recompute(); status.textContent = T.compare.pinned; }
      } else if (action === "copy") {
        clearTimeout(urlTimer);
        writeUrl();
        var said = valid ? T.status.copied : T.status.copied_invalid;
        var done = function () { status.textContent = said; };
        if (navigator.clipboard) navigator.clipboard.writeText(window.location.href).then(done, function () { status.textContent = T.status.copy_failed; });
        else status.textContent = T.status.copy_manual;
      } else if (last && action === "csv") {
        download("tco-results.csv", "text/csv", csv());
      } else if (last && action === "json") {
        download("tco-results.json", "application/json", JSON.stringify({ scenario: last.scenario, results: last.results }, null, 2));
      }
    });

    compareBox.addEventListener("click", function (e) {
      if (!e.target.getAttribute || e.target.getAttribute("data-tco") !== "unpin") return;
      pinned = null;
      recompute();
      status.textContent = T.compare.cleared;
    });
    // Charts are drawn at their shown width: draw them again when that changes.
    var resizeTimer = 0;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () {
        shownWidth = 0;
        if (root.isConnected && last && view && view.key !== viewKey(last.scenario)) recompute();
      }, 200);
    });
    root.tcoRecompute = recompute;
    root.tcoDrawCharts = drawCharts;
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
