/* Backoff visualiser: plots when retries happen under each jitter strategy.
 * Enhances the schedule table rendered by macros/backoff_render.py (the page
 * works without this script). The delay bounds below mirror wait_bounds() in
 * snippets/reliability/retry_backoff.py, and so do the random draws.
 * State lives in the query string: strategy, base, cap, attempts, clients, seed.
 */
(function () {
  "use strict";

  var STRATEGIES = ["none", "full", "equal", "decorrelated"];
  var LABELS = { none: "No jitter", full: "Full jitter", equal: "Equal jitter", decorrelated: "Decorrelated jitter" };
  var FIELDS = {
    strategy: { kind: "choice", help: "one of " + STRATEGIES.join(", ") },
    base: { kind: "number", min: 0.01, max: 600, step: "any", help: "seconds, 0.01 to 600" },
    cap: { kind: "number", min: 0.01, max: 86400, step: "any", help: "seconds, 0.01 to 86400, not below base" },
    attempts: { kind: "int", min: 2, max: 15, help: "a whole number from 2 to 15" },
    clients: { kind: "int", min: 1, max: 500, help: "a whole number from 1 to 500" },
    seed: { kind: "int", min: 0, max: 2147483647, help: "a whole number from 0 to 2147483647" }
  };
  var ORDER = ["strategy", "base", "cap", "attempts", "clients", "seed"];

  function seconds(x) {
    var s = (Math.round(x * 100) / 100).toFixed(2);
    return s.replace(/0+$/, "").replace(/\.$/, "");
  }

  function bounds(strategy, retry, base, cap) {
    var ceiling = Math.min(cap, base * Math.pow(2, retry));
    if (strategy === "none") return [ceiling, ceiling];
    if (strategy === "full") return [0, ceiling];
    if (strategy === "equal") return [ceiling / 2, ceiling];
    return [base, Math.min(cap, base * Math.pow(3, retry + 1))];
  }

  /* Small seeded generator (mulberry32): the same link draws the same plot. */
  function rng(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function uniform(r, lo, hi) { return lo + (hi - lo) * r(); }

  /* Start time of every attempt, for one client. */
  function attemptTimes(s, r) {
    var times = [0], t = 0, previous = s.base;
    for (var retry = 0; retry < s.attempts - 1; retry++) {
      var ceiling = Math.min(s.cap, s.base * Math.pow(2, retry)), wait;
      if (s.strategy === "none") wait = ceiling;
      else if (s.strategy === "full") wait = uniform(r, 0, ceiling);
      else if (s.strategy === "equal") wait = ceiling / 2 + uniform(r, 0, ceiling / 2);
      else wait = previous = Math.min(s.cap, uniform(r, s.base, previous * 3));
      t += wait;
      times.push(t);
    }
    return times;
  }

  function parse(name, raw) {
    var f = FIELDS[name];
    if (f.kind === "choice") return STRATEGIES.indexOf(raw) >= 0 ? raw : null;
    if (!/^\d+(\.\d+)?$/.test(raw)) return null;
    var v = Number(raw);
    if (f.kind === "int" && Math.floor(v) !== v) return null;
    return v >= f.min && v <= f.max ? v : null;
  }

  /* Under Node (the parity tests) only the kernel above is loaded. */
  if (typeof module !== "undefined" && module.exports) {
    module.exports = { STRATEGIES: STRATEGIES, bounds: bounds, seconds: seconds, rng: rng, attemptTimes: attemptTimes };
    return;
  }

  /* Shared helpers from widgets.js, which loads this script. */
  var el = window.ipDom.el;
  var svgEl = window.ipDom.svg;

  function init(root) {
    var defaults = {
      strategy: "full",
      base: parse("base", root.getAttribute("data-base") || "") || 1,
      cap: parse("cap", root.getAttribute("data-cap") || "") || 30,
      attempts: parse("attempts", root.getAttribute("data-attempts") || "") || 6,
      clients: 50,
      seed: 1
    };
    var table = root.querySelector("table");
    var form = el("form", { "class": "ip-backoff-form", "aria-label": "Backoff parameters" });
    var inputs = {};
    ORDER.forEach(function (name) {
      var id = "backoff-" + name, f = FIELDS[name];
      var label = el("label", { "for": id }, name.charAt(0).toUpperCase() + name.slice(1) +
        (name === "base" || name === "cap" ? " (s)" : ""));
      var input;
      if (f.kind === "choice") {
        input = el("select", { id: id, name: name });
        STRATEGIES.forEach(function (s) { input.appendChild(el("option", { value: s }, LABELS[s])); });
      } else {
        input = el("input", { id: id, name: name, type: "number", inputmode: f.kind === "int" ? "numeric" : "decimal",
          min: String(f.min), max: String(f.max), step: f.kind === "int" ? "1" : "any", "aria-describedby": "backoff-error" });
      }
      inputs[name] = input;
      var wrap = el("div", { "class": "ip-backoff-field" });
      wrap.appendChild(label);
      wrap.appendChild(input);
      form.appendChild(wrap);
    });
    var reset = el("button", { type: "button", "class": "ip-backoff-reset" }, "Reset");
    form.appendChild(reset);
    var notice = el("p", { "class": "ip-backoff-notice", role: "status" });
    notice.hidden = true;
    var error = el("p", { id: "backoff-error", "class": "ip-backoff-error", "aria-live": "polite" });
    var summary = el("p", { "class": "ip-backoff-summary", "aria-live": "polite" });
    var figure = el("figure", { "class": "ip-backoff-figure" });
    /* The page provides an empty box for the live parts (see backoff_render.py). */
    var live = root.querySelector(".ip-backoff-live");
    if (!live) {
      live = el("div", { "class": "ip-backoff-live" });
      root.insertBefore(live, root.firstChild);
    }
    var parts = document.createDocumentFragment();
    [form, notice, error, summary, figure].forEach(function (node) { parts.appendChild(node); });
    live.appendChild(parts);

    /* Read the link: keep valid values, report the rest. */
    var fields = {};
    ORDER.forEach(function (name) {
      fields[name] = function (raw) {
        var v = parse(name, raw);
        return v === null ? undefined : v;
      };
    });
    var read = window.ipUrl.read(window.location.search, fields);
    var state = {}, ignored = read.bad;
    ORDER.forEach(function (name) {
      state[name] = Object.prototype.hasOwnProperty.call(read.values, name) ? read.values[name] : defaults[name];
    });
    if (state.cap < state.base) { ignored.push("cap"); state.cap = Math.max(defaults.cap, state.base); }
    if (ignored.length) {
      notice.hidden = false;
      notice.textContent = "Ignored link parameters with invalid values: " + ignored.join(", ") +
        ". Defaults are used instead.";
    }
    ORDER.forEach(function (name) { inputs[name].value = String(state[name]); });

    function writeUrl() {
      var values = {};
      ORDER.forEach(function (name) {
        values[name] = state[name] === defaults[name] ? "" : String(state[name]);
      });
      window.ipUrl.write(ORDER, values);
    }

    /* The page arrives with the table for its default settings; it is rebuilt
       only when base, cap or attempts change, not for every redraw of the plot. */
    var tableShows = [defaults.base, defaults.cap, defaults.attempts].join(" ");
    function renderTable() {
      var settings = [state.base, state.cap, state.attempts].join(" ");
      if (!table || settings === tableShows) return;
      tableShows = settings;
      table.querySelector("caption").textContent = "Wait before each retry: base " + seconds(state.base) +
        " s, cap " + seconds(state.cap) + " s, " + state.attempts + " attempts";
      var body = table.querySelector("tbody");
      while (body.firstChild) body.removeChild(body.firstChild);
      var elapsed = 0;
      for (var retry = 0; retry < state.attempts - 1; retry++) {
        var tr = el("tr");
        tr.appendChild(el("th", { scope: "row" }, "Retry " + (retry + 1) + " (attempt " + (retry + 2) + ")"));
        STRATEGIES.forEach(function (s) {
          var b = bounds(s, retry, state.base, state.cap);
          tr.appendChild(el("td", {}, b[0] === b[1] ? seconds(b[0]) + " s" : seconds(b[0]) + "\u2013" + seconds(b[1]) + " s"));
        });
        elapsed += bounds("none", retry, state.base, state.cap)[0];
        tr.appendChild(el("td", {}, seconds(elapsed) + " s"));
        body.appendChild(tr);
      }
    }

    /* width: the figure's width in CSS pixels, as last measured. */
    function renderPlot(width) {
      var all = [], last = [], end = 0;
      for (var c = 0; c < state.clients; c++) {
        var times = attemptTimes(state, rng(state.seed * 1000003 + c));
        all.push(times);
        last.push(times[times.length - 1]);
        end = Math.max(end, times[times.length - 1]);
      }
      end = end || 1;
      /* The drawing is as wide as its box (at most 640 units), so one unit is one
         CSS pixel and the labels keep their size on a phone. */
      var W = Math.round(Math.max(300, Math.min(640, width || 640)));
      var H = 236, left = 52, right = 12, top = 12, plotH = 140, histTop = 168, histH = 40;
      var x = function (t) { return left + (W - left - right) * t / end; };
      var buckets = 40, counts = [], i;
      for (i = 0; i < buckets; i++) counts.push(0);
      all.forEach(function (times) {
        times.slice(1).forEach(function (t) { counts[Math.min(buckets - 1, Math.floor(t / end * buckets))]++; });
      });
      var peak = Math.max.apply(null, counts);
      last.sort(function (a, b) { return a - b; });
      var median = last[Math.floor(last.length / 2)];
      var text = LABELS[state.strategy] + ", " + state.clients + " client" + (state.clients === 1 ? "" : "s") +
        ": the busiest " + seconds(end / buckets) + " s slice holds " + peak + " of " +
        state.clients * (state.attempts - 1) + " retries; the median client makes its last attempt at " +
        seconds(median) + " s, the slowest at " + seconds(end) + " s.";
      summary.textContent = text;

      var svg = svgEl("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", "class": "ip-backoff-svg" });
      svg.appendChild(svgEl("title", {}, text));
      svg.appendChild(svgEl("text", { x: 2, y: top + 10, "class": "ip-backoff-axis" }, "clients"));
      /* Dots and bars are drawn as a few paths, not one element each (300 dots
         by default): each client's retries are one path, so where the rows
         overlap their translucent dots still darken; the first calls are one
         path, and so are the bars. Every dot and bar is one subpath ("M"). */
      var rowH = plotH / state.clients;
      var r = Math.max(2.5, Math.min(4.5, rowH / 2));
      var dot = function (t, c) {
        return "M" + (x(t) - r).toFixed(1) + "," + (top + rowH * (c + 0.5)).toFixed(1) +
          "a" + r + "," + r + " 0 1 0 " + 2 * r + ",0a" + r + "," + r + " 0 1 0 " + -2 * r + ",0z";
      };
      var firsts = [];
      all.forEach(function (times, c) {
        firsts.push(dot(times[0], c));
        if (times.length > 1) {
          svg.appendChild(svgEl("path", {
            d: times.slice(1).map(function (t) { return dot(t, c); }).join(""), "class": "ip-backoff-retry"
          }));
        }
      });
      svg.appendChild(svgEl("path", { d: firsts.join(""), "class": "ip-backoff-first" }));
      var bw = (W - left - right) / buckets, barW = Math.max(0.5, bw - 1).toFixed(1);
      svg.appendChild(svgEl("path", {
        d: counts.map(function (n, b) {
          var h = peak ? histH * n / peak : 0;
          return "M" + (left + b * bw).toFixed(1) + "," + (histTop + histH - h).toFixed(1) +
            "h" + barW + "v" + h.toFixed(1) + "h-" + barW + "z";
        }).join(""),
        "class": "ip-backoff-bar"
      }));
      svg.appendChild(svgEl("text", { x: 2, y: histTop + histH, "class": "ip-backoff-axis" }, "load"));
      var fractions = W < 480 ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1];
      window.ipDom.axis(svg, {
        x1: left, x2: W - right, y: histTop + histH + 1, gap: 22,
        ruleClass: "ip-backoff-rule", textClass: "ip-backoff-axis",
        ticks: fractions.map(function (f) { return { at: x(end * f), label: seconds(end * f) + " s" }; })
      });
      while (figure.firstChild) figure.removeChild(figure.firstChild);
      figure.appendChild(svg);
      figure.appendChild(el("figcaption", {}, "Each row is one client; dots are its attempts (hollow: the first call). " +
        "Bars count retries per time slice: tall, narrow bars are a thundering herd."));
    }

    var drawnWidth = 0;
    function render() { renderTable(); renderPlot(drawnWidth); }

    function onInput() {
      var problems = [], next = {};
      ORDER.forEach(function (name) {
        var v = parse(name, String(inputs[name].value).trim());
        if (v === null) { problems.push(name + " must be " + FIELDS[name].help); inputs[name].setAttribute("aria-invalid", "true"); }
        else { next[name] = v; inputs[name].removeAttribute("aria-invalid"); }
      });
      if (!problems.length && next.cap < next.base) {
        problems.push("cap must not be below base");
        inputs.cap.setAttribute("aria-invalid", "true");
      }
      if (problems.length) { error.textContent = problems.join("; ") + ". The plot shows the last valid values."; return; }
      error.textContent = "";
      state = next;
      writeUrl();
      render();
    }

    form.addEventListener("input", onInput);
    form.addEventListener("change", onInput);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    reset.addEventListener("click", function () {
      ORDER.forEach(function (name) { inputs[name].value = String(defaults[name]); });
      notice.hidden = true;
      onInput();
    });
    /* The first drawing is made now, so the page is laid out as it will stay
       (for a reader landing on a link below the plot, or printing). The figure is
       measured once; a ResizeObserver reports later widths (phone turned, window
       resized) after the browser has laid the page out. */
    drawnWidth = figure.clientWidth || 640;
    render();
    if (window.ResizeObserver) {
      new ResizeObserver(function (entries) {
        var width = entries[entries.length - 1].contentRect.width;
        if (!width || Math.abs(width - drawnWidth) < 8) return;
        drawnWidth = width;
        renderPlot(width);
      }).observe(figure);
    }
  }

  window.ipWidgets = window.ipWidgets || {};
  window.ipWidgets.backoff = init;
})();
