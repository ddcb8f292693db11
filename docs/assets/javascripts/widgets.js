/* Widget loader: fetches a widget's script only on pages that contain one.
 * A container <div data-widget="name"> makes this load assets/javascripts/name.js
 * (same folder as this file) once, then call window.ipWidgets[name](container).
 * Runs after every instant-navigation page change through Material's document$.
 */
(function () {
  "use strict";
  var self = document.currentScript;
  var base = self ? self.src.replace(/[^/]*$/, "") : "";
  var pending = {};
  window.ipWidgets = window.ipWidgets || {};

  /* DOM helpers shared by the widget scripts, which this file loads. Text is
   * only ever set with textContent, never parsed as HTML. */
  function make(node, attrs, text) {
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, String(attrs[key]));
    });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  window.ipDom = window.ipDom || {
    el: function (tag, attrs, text) {
      return make(document.createElement(tag), attrs, text);
    },
    svg: function (tag, attrs, text) {
      return make(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, text);
    },
    each: function (list, fn) {
      Array.prototype.forEach.call(list, fn);
    }
  };

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

  function start() {
    var nodes = document.querySelectorAll("[data-widget]");
    Array.prototype.forEach.call(nodes, function (el) {
      var name = el.getAttribute("data-widget");
      if (!/^[a-z][a-z0-9-]*$/.test(name) || el.hasAttribute("data-widget-ready")) return;
      load(name).then(function () {
        var init = window.ipWidgets[name];
        if (typeof init !== "function" || el.hasAttribute("data-widget-ready")) return;
        el.setAttribute("data-widget-ready", "");
        init(el);
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
