// Quick capture: people as chips. Each chip is a ticked box (unticking it removes the person, with or
// without this file); this adds the type-ahead that makes new chips and a Remove button on each.
document.addEventListener("DOMContentLoaded", function () {
  var picker = document.querySelector("[data-chip-picker]");
  var chips = picker && document.getElementById(picker.dataset.chipPicker);
  if (!picker || !chips || !window.htmx) return;
  var search = picker.querySelector("input[type=search]");
  var matches = picker.querySelector("select");
  picker.hidden = false;

  function addRemoveButton(chip) {
    var box = chip.querySelector("input[type=checkbox]");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chip-remove";
    button.textContent = "×";
    button.setAttribute("aria-label", "Remove " + chip.textContent.trim());
    button.addEventListener("click", function () {
      chip.remove();
      search.focus();
    });
    box.hidden = true;
    chip.appendChild(button);
  }

  function notChosen(option) {
    return option.value && !chips.querySelector("input[value='" + option.value + "']");
  }

  function pick(option) {
    if (!option || !option.value) return;
    var already = chips.querySelector("input[value='" + option.value + "']");
    if (!already) {
      var chip = document.createElement("li");
      chip.className = "chip";
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "counterparts";
      box.value = option.value;
      box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + option.textContent.split(" — ")[0].trim()));
      chip.appendChild(label);
      chips.appendChild(chip);
      addRemoveButton(chip);
    }
    search.value = "";
    matches.innerHTML = "";
    search.focus();
  }

  Array.prototype.forEach.call(chips.querySelectorAll(".chip"), addRemoveButton);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault(); // adds the first match not yet chosen instead of submitting the form
      pick(Array.prototype.find.call(matches.options, notChosen));
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
