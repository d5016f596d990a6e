// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Forms that say data-confirm ask before submitting.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});

// The idle warning: two minutes before the session's idle limit, say so and offer to stay signed in.
// The page's own background requests do not count as activity, so the clock starts at page load.
document.addEventListener("DOMContentLoaded", function () {
  var limit = parseInt(document.body.dataset.idleLimit || "0", 10);
  var box = document.querySelector("[data-idle-warning]");
  if (!limit || !box) return;
  var soon = box.querySelector("[data-idle-soon]");
  var ended = box.querySelector("[data-idle-ended]");
  var form = box.querySelector("[data-idle-keepalive]");
  var timers = [];

  function start() {
    timers.forEach(clearTimeout);
    box.hidden = true;
    timers = [
      setTimeout(function () { box.hidden = false; soon.hidden = false; ended.hidden = true; }, (limit - 120) * 1000),
      setTimeout(function () { soon.hidden = true; ended.hidden = false; form.hidden = true; }, limit * 1000),
    ];
    form.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) { start(); } else { soon.hidden = true; ended.hidden = false; form.hidden = true; }
      });
  });
  start();
});

// The menu button of narrow screens: the stylesheet folds the menu only once this has run.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".menu-toggle");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!toggle || !menu) return;
  document.documentElement.classList.add("js-nav");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = menu.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

// The counterpart timeline's filter swaps just the timeline; a filter the server cannot read answers
// 400 with the reason beside the field, which is shown too (htmx leaves error answers out otherwise).
document.addEventListener("htmx:beforeSwap", function (event) {
  var source = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (event.detail.xhr.status === 400 && source && source.closest("[data-timeline-filter]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
