/* The start page: the plans given on the command line and the shipped templates (their
   summaries in the page's language: a template's `# zh:` line in Chinese). */
(function () {
  "use strict";
  var el = BE.el, clear = BE.clear, t = BE.t;
  var loaded = null;  // the list, once it came

  function card(p) {
    return el("li", null,
      el("a", { class: "plan", href: BE.href("/plan/" + encodeURIComponent(p.id)) },
        el("div", { class: "n" }, p.name || p.id,
           el("span", { class: "tag" }, p.kind === "template" ? t("index.tag_template") : t("index.tag_plan"))),
        p.description ? el("div", { class: "d", text: p.description }) : null));
  }

  function render(plans) {
    var files = plans.filter(function (p) { return p.kind !== "template"; });
    var temps = plans.filter(function (p) { return p.kind === "template"; });
    var ft = document.getElementById("files"), tt = document.getElementById("templates");
    clear(ft); clear(tt);
    files.forEach(function (p) { ft.appendChild(card(p)); });
    temps.forEach(function (p) { tt.appendChild(card(p)); });
    document.getElementById("files-part").hidden = files.length === 0;
    if (!temps.length) tt.appendChild(el("li", { class: "muted", text: t("index.no_templates") }));
    tt.removeAttribute("aria-busy");
  }

  function load() {
    return BE.api("/api/plans?lang=" + BE.lang()).then(function (plans) {
      loaded = plans;
      render(plans);
      window.breakevenIndex = { ready: true, lang: BE.lang() };
    }).catch(function (err) {
      var box = document.getElementById("error");
      box.textContent = err.message || String(err);
      box.hidden = false;
      clear(document.getElementById("templates"));
    });
  }

  // another language: the templates' summaries come in it
  document.addEventListener("breakeven:lang", function () {
    if (loaded) load();
  });
  window.breakevenIndex = { ready: false };
  load();
})();
