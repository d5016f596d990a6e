// Meeting form enhancements. Without this file the plain list of counterparts is the picker.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-typeahead]");
  var target = box && document.getElementById(box.dataset.typeahead);
  var chosen = document.getElementById("counterparts-chosen");

  function showChosen() {
    if (!target || !chosen) return;
    var names = Array.prototype.filter.call(target.options, function (o) { return o.selected; })
      .map(function (o) { return o.textContent.trim(); });
    chosen.textContent = names.length ? "Chosen: " + names.join("; ") : "";
  }

  if (target) {
    target.addEventListener("change", showChosen);
    showChosen();
  }
  // The type-ahead needs htmx (loaded from our own static files) and the list it fills.
  if (!box || !target || !window.htmx) return;
  var search = box.querySelector("input[type=search]");
  var matches = box.querySelector("select");
  box.hidden = false;

  function pick(option) {
    if (!option || !option.value) return;
    var existing = Array.prototype.find.call(target.options, function (o) { return o.value === option.value; });
    if (!existing) {
      existing = new Option(option.textContent, option.value);
      target.appendChild(existing);
    }
    existing.selected = true;
    search.value = "";
    matches.innerHTML = "";
    showChosen();
    search.focus();
  }

  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      // Enter adds the first match instead of submitting the whole form.
      event.preventDefault();
      pick(matches.options[0]);
    } else if (event.key === "ArrowDown" && matches.options.length) {
      event.preventDefault();
      matches.selectedIndex = 0;
      matches.focus();
    }
  });
  matches.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      pick(matches.options[matches.selectedIndex]);
    } else if (event.key === "Escape") {
      search.focus();
    }
  });
  matches.addEventListener("click", function (event) {
    if (event.target.tagName === "OPTION") pick(event.target);
  });
});
