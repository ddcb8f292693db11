/* Moved API entries: forwards a link to an entry that now lives on another page.
 * The container lists each moved module as <li><span id="module"></span><a href="new page#module">.
 * A link to the module itself lands on that line (the id is in the page); a link to
 * something inside the module (#module.Class.method) goes to the same id on the
 * module's new page. The id is only compared and re-encoded, never put in the page.
 */
(function () {
  "use strict";
  window.ipWidgets = window.ipWidgets || {};
  window.ipWidgets["moved-anchors"] = function (container) {
    var id;
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return;
    }
    if (!id || document.getElementById(id)) return;
    var marks = container.querySelectorAll("li > span[id]");
    for (var i = 0; i < marks.length; i++) {
      var link = marks[i].nextElementSibling;
      if (link && link.tagName === "A" && id.indexOf(marks[i].id + ".") === 0) {
        window.location.replace(link.href.split("#")[0] + "#" + encodeURIComponent(id));
        return;
      }
    }
  };
})();
