/* Pattern picker: recommends a pattern and a build option from the reader's answers.
 * Enhances the form and decision table rendered by macros/picker_render.py (the
 * page works without this script). Every question, option and sentence comes from
 * the JSON the page embeds; this file mirrors only the rule kernel of
 * snippets/patterns/pattern_picker.py and choose_a_pattern.py, and a parity test
 * runs both on every combination of answers. Answers live in the query string.
 */
(function () {
  "use strict";

  var DELAY_SECONDS = { seconds: 10, minutes: 120, hour: 3600, day: 86400 };
  var SOURCE_KIND = {
    saas_api: "saas_app", saas_webhooks: "saas_app", own_db: "database",
    db_query: "database", warehouse: "warehouse", files: "files"
  };
  /* Conditions of the decision table, by rule id; the order and texts come from the page. */
  var HOLDS = {
    "caller-waits": function (r) { return r.callerNeedsAnswer; },
    "warehouse-source": function (r) { return r.source === "warehouse"; },
    "owned-database": function (r) { return r.source === "database" && r.ownTheDatabase && r.maxDelay < 3600; },
    "many-consumers": function (r) { return r.consumers > 1; },
    "app-pushes": function (r) { return r.source === "saas_app" && r.sendsWebhooks && r.maxDelay < 300; },
    "files-or-slow": function (r) { return r.source === "files" || r.maxDelay >= 6 * 3600; },
    "app-to-app": function (r) { return !r.intoWarehouse; },
    "python-team": function (r) { return r.writesPython && r.source !== "warehouse"; },
    "anything-else": function () { return true; }
  };

  function requirements(a) {
    return {
      source: a.direction === "out" ? "warehouse" : SOURCE_KIND[a.source],
      callerNeedsAnswer: a.waits === "yes",
      maxDelay: DELAY_SECONDS[a.freshness],
      consumers: a.consumers === "several" ? 2 : 1,
      ownTheDatabase: a.source === "own_db",
      sendsWebhooks: a.source === "saas_webhooks",
      writesPython: a.skills === "python",
      intoWarehouse: a.direction !== "app"
    };
  }

  function buildOption(pattern, a) {
    if (a.skills === "low_code") return ["ipaas", "low-code-team"];
    if (pattern === "dlt-pipelines" ||
        ((pattern === "batch-file" || pattern === "cdc") && a.direction === "into" && a.skills === "python")) {
      return ["dlt", "python-into-warehouse"];
    }
    if (a.operations === "vendor" && ["request-reply", "webhooks", "reverse-etl"].indexOf(pattern) >= 0) {
      return ["ipaas", "vendor-runs-it"];
    }
    return ["custom", "code-team"];
  }

  function tradeOffs(pattern, build, a) {
    var found = ["pattern-" + pattern];
    if (build === "ipaas" && a.volume === "high") found.push("ipaas-volume");
    if (build === "custom" && a.operations === "vendor") found.push("custom-needs-owner");
    if (pattern === "cdc" && a.operations === "vendor") found.push("slot-needs-watching");
    if (pattern === "webhooks" && a.ordering !== "latest") found.push("webhook-order");
    if (pattern === "pub-sub-events" && a.ordering === "per_key") found.push("partition-order");
    if (a.ordering === "exactly_once" && pattern !== "request-reply") found.push("effectively-once");
    if (pattern === "request-reply" && a.volume === "high") found.push("calls-at-volume");
    if (a.freshness === "seconds" && ["batch-file", "dlt-pipelines", "reverse-etl"].indexOf(pattern) >= 0) {
      found.push("not-seconds");
    }
    return found;
  }

  /* rules: [{id, pattern}] in decision-table order, from the page's JSON. */
  function recommend(a, rules) {
    var req = requirements(a);
    var matching = rules.filter(function (rule) { return HOLDS[rule.id](req); });
    var winner = matching[0];
    var runnerUp = null;
    for (var i = 1; i < matching.length; i++) {
      if (matching[i].pattern !== winner.pattern) { runnerUp = matching[i]; break; }
    }
    var build = buildOption(winner.pattern, a);
    return {
      pattern: winner.pattern,
      rule: winner.id,
      build: build[0],
      build_reason: build[1],
      trade_offs: tradeOffs(winner.pattern, build[0], a),
      runner_up: runnerUp ? runnerUp.pattern : null,
      runner_up_rule: runnerUp ? runnerUp.id : null
    };
  }

  var kernel = { recommend: recommend, ruleIds: Object.keys(HOLDS) };
  if (typeof module === "object" && module.exports) {
    module.exports = kernel;
    return;
  }

  /* Material adds ?h=... when a reader arrives from a search result: not ours, not invalid. */
  var FOREIGN = ["h"];

  function readAnswers(data, search) {
    var params = new URLSearchParams(search);
    var answers = {}, invalid = [], unknown = 0;
    var known = {};
    data.questions.forEach(function (q) {
      known[q.id] = q;
      answers[q.id] = q["default"];
    });
    params.forEach(function (value, key) {
      var q = Object.prototype.hasOwnProperty.call(known, key) ? known[key] : null;
      if (!q) {
        if (FOREIGN.indexOf(key) < 0) unknown += 1;
        return;
      }
      var ok = q.options.some(function (o) { return o[0] === value; });
      if (ok) answers[key] = value;
      else if (invalid.indexOf(q.text) < 0) invalid.push(q.text);
    });
    return { answers: answers, invalid: invalid, unknown: unknown };
  }

  function init(root) {
    var el = window.ipDom.el;
    var dataNode = root.querySelector("script.ip-picker-data");
    var form = root.querySelector("form.ip-picker-form");
    var result = root.querySelector(".ip-picker-result");
    var notice = root.querySelector(".ip-picker-notice");
    if (!dataNode || !form || !result || !notice) return;
    var data = JSON.parse(dataNode.textContent);
    var names = {};
    data.patterns.forEach(function (p) { names[p.id] = p; });

    var state = readAnswers(data, window.location.search);
    var notes = [];
    if (state.unknown) notes.push(data.notes.unknown);
    state.invalid.forEach(function (text) { notes.push(data.notes.invalid.replace("{question}", text)); });
    if (notes.length) {
      notice.hidden = false;
      notice.textContent = notes.join(" ");
    }

    function current() {
      var answers = {};
      data.questions.forEach(function (q) {
        var checked = form.querySelector('input[name="' + q.id + '"]:checked');
        answers[q.id] = checked ? checked.value : q["default"];
      });
      return answers;
    }

    function link(href, text) { return el("a", { href: href }, text); }

    function show(answers) {
      var rec = recommend(answers, data.rules);
      var pattern = names[rec.pattern];
      var ruleById = {};
      data.rules.forEach(function (r) { ruleById[r.id] = r; });
      var parts = [];
      var head = el("p", { "class": "ip-picker-answer" });
      head.appendChild(el("strong", {}, pattern.name));
      head.appendChild(document.createTextNode(", built with " + data.build_names[rec.build] + "."));
      parts.push(head);
      var why = el("ul", { "class": "ip-picker-why" });
      why.appendChild(el("li", {}, "Why this pattern: " + ruleById[rec.rule].reason + "."));
      why.appendChild(el("li", {}, "Why " + data.build_names[rec.build] + ": " + data.build_reasons[rec.build_reason] + "."));
      parts.push(why);
      parts.push(el("p", {}, "Trade-offs you accept:"));
      var offs = el("ul", { "class": "ip-picker-tradeoffs" });
      rec.trade_offs.forEach(function (id) { offs.appendChild(el("li", {}, data.trade_offs[id])); });
      parts.push(offs);
      var runner = el("p", { "class": "ip-picker-runner-up" });
      runner.textContent = rec.runner_up
        ? "Runner-up: " + data.runner_up.replace("{runner_up}", names[rec.runner_up].name)
            .replace("{when}", ruleById[rec.rule].when)
        : data.no_runner_up;
      parts.push(runner);
      var links = el("ul", { "class": "ip-picker-links" });
      [[pattern.href, "The pattern: " + pattern.name],
       [data.build_links[rec.build], "The build option: " + data.build_names[rec.build]],
       [data.source_links[answers.source][0], data.source_links[answers.source][1]],
       [data.cost_link[0], data.cost_link[1]]].forEach(function (item) {
        var li = el("li");
        li.appendChild(link(item[0], item[1]));
        links.appendChild(li);
      });
      if (data.guides[rec.pattern]) {
        data.guides[rec.pattern].forEach(function (g) {
          var li = el("li");
          li.appendChild(link(g[0], "Solution guide: " + g[1]));
          links.appendChild(li);
        });
      }
      parts.push(links);
      while (result.firstChild) result.removeChild(result.firstChild);
      parts.forEach(function (node) { result.appendChild(node); });
      result.setAttribute("data-pattern", rec.pattern);
      result.setAttribute("data-build", rec.build);
    }

    function save(answers) {
      var params = new URLSearchParams();
      data.questions.forEach(function (q) { params.set(q.id, answers[q.id]); });
      history.replaceState(history.state, "", window.location.pathname + "?" + params.toString() + window.location.hash);
    }

    data.questions.forEach(function (q) {
      var input = form.querySelector('input[name="' + q.id + '"][value="' + state.answers[q.id] + '"]');
      if (input) input.checked = true;
    });
    form.addEventListener("change", function () {
      var answers = current();
      save(answers);
      show(answers);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    root.classList.add("ip-picker--live");
    show(current());
  }

  window.ipWidgets = window.ipWidgets || {};
  window.ipWidgets.picker = init;
})();
