// Chips for multi-selects and tag fields: what is chosen shows as removable chips (the quick capture's
// .chip look), and a search box with a list of matches adds more. Without this file the plain
// <select multiple> or comma-separated text input is the field, and the form posts the same either way:
//   <select multiple data-chips>   the select stays the source of truth (its options are (de)selected);
//   <input data-chips="free">      the input stays the source of truth ("a, b, c"); any word can be added.
// Keys: type to search; ↓/↑ move through the matches; Enter adds the highlighted (or first) match;
// Escape closes the list; Backspace in an empty search box removes the last chip; each chip has a
// Remove button (Tab reaches it, Enter or Space removes it).
(function () {
  var counter = 0;

  function chipsFor(field) {
    counter += 1;
    var id = field.id || "chips-" + counter;
    var free = field.tagName === "INPUT";
    var label = document.querySelector("label[for='" + id + "']");
    var name = label ? label.textContent.replace("*", "").trim() : "item";

    var box = document.createElement("div");
    box.className = "chips-picker";
    var chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-label", "Chosen " + name.toLowerCase());
    var search = document.createElement("input");
    search.type = "text";
    search.id = id + "-search";
    search.autocomplete = "off";
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-autocomplete", "list");
    search.setAttribute("aria-expanded", "false");
    search.setAttribute("aria-controls", id + "-matches");
    var help = document.createElement("span");
    help.className = "helptext";
    help.id = id + "-search-help";
    help.textContent = free
      ? "Type a word and press Enter (or a comma) to add it; Backspace removes the last one."
      : "Type to search; ↓ and ↑ move through the matches, Enter adds one; Backspace removes the last one.";
    search.setAttribute("aria-describedby", help.id);
    var matches = document.createElement("ul");
    matches.className = "chips-matches";
    matches.id = id + "-matches";
    matches.setAttribute("role", "listbox");
    matches.setAttribute("aria-label", "Matching " + name.toLowerCase());
    matches.hidden = true;
    var status = document.createElement("span");
    status.className = "sr-only";
    status.setAttribute("role", "status");

    // The label now names the search box; the original field is hidden but still posted.
    if (label) label.htmlFor = search.id;
    field.hidden = true;
    field.setAttribute("aria-hidden", "true");
    field.tabIndex = -1;
    box.appendChild(chips);
    box.appendChild(search);
    box.appendChild(matches);
    box.appendChild(help);
    box.appendChild(status);
    field.insertAdjacentElement("afterend", box);

    var active = -1;

    function words() {
      return field.value.split(",").map(function (w) { return w.trim(); }).filter(Boolean);
    }

    function chosen() {
      if (free) return words().map(function (w) { return { value: w, text: w.replace(/^"(.*)"$/, "$1") }; });
      return Array.prototype.filter.call(field.options, function (o) { return o.selected; })
        .map(function (o) { return { value: o.value, text: o.textContent.split(" — ")[0].trim() }; });
    }

    function candidates(query) {
      if (free) return query ? [{ value: query, text: query }] : [];
      var q = query.toLowerCase();
      return Array.prototype.filter.call(field.options, function (o) {
        return o.value && !o.selected && (!q || o.textContent.toLowerCase().indexOf(q) !== -1);
      }).slice(0, 12).map(function (o) { return { value: o.value, text: o.textContent.trim() }; });
    }

    function setChosen(value, on) {
      if (free) {
        var list = words().filter(function (w) { return w.toLowerCase() !== value.toLowerCase(); });
        if (on) list.push(value);
        field.value = list.join(", ");
      } else {
        Array.prototype.forEach.call(field.options, function (o) { if (o.value === value) o.selected = on; });
      }
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function renderChips() {
      chips.innerHTML = "";
      chosen().forEach(function (item) {
        var chip = document.createElement("li");
        chip.className = "chip";
        var text = document.createElement("span");
        text.textContent = item.text;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "Remove " + item.text);
        remove.addEventListener("click", function () {
          setChosen(item.value, false);
          renderChips();
          status.textContent = item.text + " removed.";
          search.focus();
        });
        chip.appendChild(text);
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }

    function close() {
      matches.hidden = true;
      matches.innerHTML = "";
      active = -1;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = matches.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      Array.prototype.forEach.call(options, function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
      search.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function pick(item) {
      setChosen(item.value, true);
      renderChips();
      status.textContent = item.text + " added.";
      search.value = "";
      close();
      search.focus();
    }

    function open() {
      var found = candidates(search.value.trim());
      matches.innerHTML = "";
      active = -1;
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = matches.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = free ? "Add “" + item.text + "”" : item.text;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); pick(item); });
        option._item = item;
        matches.appendChild(option);
      });
      var shown = found.length > 0 && (free || search.value.trim() !== "" || document.activeElement === search);
      matches.hidden = !shown;
      search.setAttribute("aria-expanded", shown ? "true" : "false");
      search.removeAttribute("aria-activedescendant");
    }

    search.addEventListener("input", open);
    search.addEventListener("blur", function () { setTimeout(close, 150); });
    search.addEventListener("keydown", function (event) {
      var options = matches.querySelectorAll("[role=option]");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (matches.hidden) open();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" || (free && event.key === ",")) {
        if (!search.value.trim() && active < 0) return; // an empty box: Enter submits the form as usual
        event.preventDefault();
        if (!options.length) open();
        options = matches.querySelectorAll("[role=option]");
        var option = options[active >= 0 ? active : 0];
        if (option) pick(option._item);
      } else if (event.key === "Escape" && !matches.hidden) {
        event.preventDefault();
        close();
      } else if (event.key === "Backspace" && !search.value) {
        var all = chosen();
        if (all.length) {
          var last = all[all.length - 1];
          setChosen(last.value, false);
          renderChips();
          status.textContent = last.text + " removed.";
        }
      }
    });
    renderChips();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[multiple][data-chips], input[data-chips]").forEach(chipsFor);
  });
})();
