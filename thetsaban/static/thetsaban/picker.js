// The autocomplete box of pickers (thetsaban/pickers.py): a text input with data-picker="<API URL>"
// becomes an ARIA 1.2 combobox with a list of suggestions. Without this script it stays a text
// box that the server resolves, so nothing depends on it.
(function () {
  "use strict";
  if (window.thetsabanPicker) { return; }
  window.thetsabanPicker = true;
  var DELAY = 150, counter = 0;

  function loadStyle(href) {
    if (!href || document.querySelector('link[data-picker-style]')) { return; }
    var link = document.createElement("link");
    link.rel = "stylesheet"; link.href = href; link.setAttribute("data-picker-style", "");
    document.head.appendChild(link);
  }

  function Picker(input) {
    var self = this;
    counter += 1;
    this.input = input;
    this.url = input.getAttribute("data-picker");
    this.separator = input.getAttribute("data-picker-separator") || "";
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    var id = (input.id || "picker-" + counter);
    this.list = document.createElement("ul");
    this.list.id = id + "-listbox";
    this.list.className = "picker-list";
    this.list.setAttribute("role", "listbox");
    var label = input.labels && input.labels[0];
    if (label) {
      if (!label.id) { label.id = id + "-label"; }
      this.list.setAttribute("aria-labelledby", label.id);
    }
    this.list.hidden = true;
    this.status = document.createElement("div");
    this.status.className = "picker-status";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    var wrapper = document.createElement("div");
    wrapper.className = "picker";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(this.list);
    wrapper.appendChild(this.status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    input.addEventListener("input", function () { self.schedule(); });
    input.addEventListener("keydown", function (event) { self.key(event); });
    input.addEventListener("blur", function () { window.setTimeout(function () { self.close(); }, 150); });
    this.list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self.choose(Number(option.getAttribute("data-index"))); }
    });
  }

  Picker.prototype.term = function () {
    var value = this.input.value;
    if (!this.separator) { return value.trim(); }
    var parts = value.split(this.separator);
    return parts[parts.length - 1].trim();
  };

  Picker.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.fetch(); }, DELAY);
  };

  Picker.prototype.fetch = function () {
    var self = this, term = this.term();
    if (!term) { this.close(); return; }
    if (this.request) { this.request.abort(); }
    this.request = new AbortController();
    fetch(this.url + "?q=" + encodeURIComponent(term), {
      credentials: "same-origin", headers: { "Accept": "application/json" }, signal: this.request.signal
    }).then(function (response) {
      return response.ok ? response.json() : { results: [] };
    }).then(function (data) {
      if (term === self.term()) { self.show(data.results || []); }
    }).catch(function () { /* aborted by a newer request, or offline: the box still works */ });
  };

  Picker.prototype.show = function (results) {
    var self = this;
    this.results = results;
    this.active = -1;
    this.list.textContent = "";
    results.forEach(function (result, index) {
      var option = document.createElement("li");
      option.id = self.list.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      var label = document.createElement("span");
      label.className = "picker-label";
      label.textContent = result.label;
      option.appendChild(label);
      if (result.detail) {
        var detail = document.createElement("span");
        detail.className = "picker-detail";
        detail.textContent = result.detail;
        option.appendChild(detail);
      }
      self.list.appendChild(option);
    });
    var open = results.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    this.input.removeAttribute("aria-activedescendant");
    var message = open ? this.input.getAttribute("data-picker-count") : this.input.getAttribute("data-picker-none");
    this.status.textContent = (message || "").replace("%(count)s", String(results.length));
  };

  Picker.prototype.close = function () {
    this.list.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Picker.prototype.move = function (step) {
    if (!this.results.length) { return; }
    if (this.list.hidden) { this.list.hidden = false; this.input.setAttribute("aria-expanded", "true"); }
    var options = this.list.children;
    if (this.active >= 0) { options[this.active].setAttribute("aria-selected", "false"); }
    this.active = (this.active + step + this.results.length) % this.results.length;
    var option = options[this.active];
    option.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", option.id);
    if (option.scrollIntoView) { option.scrollIntoView({ block: "nearest" }); }
  };

  Picker.prototype.choose = function (index) {
    var result = this.results[index];
    if (!result) { return; }
    var chips = this.input.closest("[data-picker-chips]");
    if (chips) {
      this.addChip(chips, result);
      var typed = this.input.value.split(this.separator);
      typed.pop();
      this.input.value = typed.join(this.separator);
    } else if (this.separator) {
      var parts = this.input.value.split(this.separator);
      parts[parts.length - 1] = (parts.length > 1 ? " " : "") + result.value;
      this.input.value = parts.join(this.separator) + this.separator + " ";
    } else {
      this.input.value = result.value;
    }
    this.close();
    this.status.textContent = result.label;
    this.input.dispatchEvent(new Event("change", { bubbles: true }));
  };

  // A chosen record becomes a ticked checkbox in the list of chips, as the server renders it.
  Picker.prototype.addChip = function (chips, result) {
    var list = chips.querySelector(".picker-chip-list"), name = chips.getAttribute("data-picker-chips");
    var boxes = list.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < boxes.length; i += 1) {
      if (boxes[i].value === result.value) { boxes[i].checked = true; return; }
    }
    var item = document.createElement("li"), label = document.createElement("label");
    var box = document.createElement("input"), text = document.createElement("span");
    item.className = "picker-chip";
    box.type = "checkbox"; box.name = name; box.value = result.value; box.checked = true;
    text.textContent = result.label;
    label.appendChild(box); label.appendChild(document.createTextNode(" ")); label.appendChild(text);
    item.appendChild(label);
    list.appendChild(item);
    list.hidden = false;
  };

  Picker.prototype.key = function (event) {
    var open = !this.list.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!this.results.length) { this.fetch(); } else { this.move(1); }
    } else if (event.key === "ArrowUp") {
      event.preventDefault(); this.move(-1);
    } else if (event.key === "Enter") {
      if (open && this.active >= 0) { event.preventDefault(); this.choose(this.active); }
    } else if (event.key === "Escape") {
      if (open) { event.preventDefault(); this.close(); }
    } else if (event.key === "Tab") {
      this.close();
    }
  };

  function start() {
    var inputs = document.querySelectorAll("input[data-picker]");
    if (inputs.length) { loadStyle(inputs[0].getAttribute("data-picker-css")); }
    Array.prototype.forEach.call(inputs, function (input) {
      if (!input.hasAttribute("data-picker-ready")) {
        input.setAttribute("data-picker-ready", "");
        new Picker(input);
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
