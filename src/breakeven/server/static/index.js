/* The start page: the plans given on the command line and the shipped templates. */
(function () {
  "use strict";
  var el = BE.el, clear = BE.clear;

  function card(p) {
    return el("li", null,
      el("a", { class: "plan", href: "/plan/" + encodeURIComponent(p.id) },
        el("div", { class: "n" }, p.name || p.id,
           el("span", { class: "tag" }, p.kind === "template" ? "template" : "plan")),
        p.description ? el("div", { class: "d", text: p.description }) : null));
  }

  BE.api("/api/plans").then(function (plans) {
    var files = plans.filter(function (p) { return p.kind !== "template"; });
    var temps = plans.filter(function (p) { return p.kind === "template"; });
    var ft = document.getElementById("files"), tt = document.getElementById("templates");
    clear(ft); clear(tt);
    files.forEach(function (p) { ft.appendChild(card(p)); });
    temps.forEach(function (p) { tt.appendChild(card(p)); });
    document.getElementById("files-part").hidden = files.length === 0;
    if (!temps.length) tt.appendChild(el("li", { class: "muted", text: "No templates." }));
    tt.removeAttribute("aria-busy");
  }).catch(function (err) {
    var box = document.getElementById("error");
    box.textContent = err.message || String(err);
    box.hidden = false;
    clear(document.getElementById("templates"));
  });
})();
