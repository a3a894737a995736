// Scoring sheet: a preview of subtotals and the total as the user types, and
// Tab/Enter moving down a column. The server recomputes everything on save;
// nothing here is the source of truth. Numbers are handled in thousandths of a
// point (integers), so sums are exact.
(function () {
  "use strict";
  var table = document.getElementById("sheet");
  if (!table) return;

  // "9,13", "9.13", "1.234,5" -> thousandths; null for blank; NaN for malformed.
  function parseMilli(text) {
    var raw = (text || "").trim();
    if (!raw) return null;
    var last = Math.max(raw.lastIndexOf(","), raw.lastIndexOf("."));
    var plain = raw;
    if (last >= 0) {
      var whole = raw.slice(0, last).replace(/[.,]/g, "");
      plain = whole + "." + raw.slice(last + 1);
    }
    if (!/^-?\d*(\.\d{0,3})?$/.test(plain) || plain === "." || plain === "-") return NaN;
    return Math.round(parseFloat(plain) * 1000);
  }

  function format(milli) {
    var sign = milli < 0 ? "-" : "";
    var abs = Math.abs(milli);
    var whole = Math.floor(abs / 1000).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var fraction = (abs % 1000).toString().padStart(3, "0").replace(/0+$/, "");
    return sign + whole + (fraction ? "," + fraction : "");
  }

  function valueOf(row, inputClass, valueClass) {
    var input = row.querySelector(inputClass);
    if (input) {
      if (input.tagName === "SELECT") {
        var option = input.options[input.selectedIndex];
        return parseMilli(option ? option.dataset.points : "");
      }
      return parseMilli(input.value);
    }
    var shown = row.querySelector(valueClass);
    return shown ? parseMilli(shown.dataset.value) : null;
  }

  // A value the server would refuse counts as not typed, as it will not be saved.
  function usable(row, value) {
    if (value === null || isNaN(value)) return false;
    return value >= (parseMilli(row.dataset.min) || 0) && value <= parseMilli(row.dataset.max);
  }

  function leafScore(row) {
    var appraised = valueOf(row, ".js-appraised", ".js-appraised-value");
    if (usable(row, appraised)) return appraised;
    var own = valueOf(row, ".js-self, .js-tier", ".js-self-value");
    return usable(row, own) ? own : 0;
  }

  function markInvalid(row) {
    var max = parseMilli(row.dataset.max);
    var min = parseMilli(row.dataset.min) || 0;
    row.querySelectorAll("input.points").forEach(function (input) {
      if (input.classList.contains("js-ratio")) return;
      var value = parseMilli(input.value);
      var bad = value !== null && (isNaN(value) || value < min || value > max);
      input.classList.toggle("invalid-preview", bad);
    });
  }

  function recompute() {
    var sums = { total: 0 };
    table.querySelectorAll("tr.sheet-leaf").forEach(function (row) {
      markInvalid(row);
      if (row.dataset.na) return;
      var score = leafScore(row);
      var max = parseMilli(row.dataset.max);
      row.querySelector(".js-deducted").textContent = format(max - score);
      var ids = (row.dataset.ancestors || "").split(" ").filter(Boolean).concat(["total"]);
      ids.forEach(function (id) { sums[id] = (sums[id] || 0) + score; });
    });
    table.querySelectorAll("tr[data-node]").forEach(function (row) {
      var achieved = sums[row.dataset.node] || 0;
      row.querySelector(".js-achieved").textContent = format(achieved);
      row.querySelector(".js-deducted").textContent = format(parseMilli(row.dataset.max) - achieved);
    });
    var index = table.querySelector(".js-index");
    var max = parseMilli(table.querySelector("tr.sheet-total").dataset.max);
    // Percent with two decimals, from exact thousandths: achieved * 100 / max.
    if (index && max > 0) index.textContent = format(Math.round((sums.total * 100000) / max / 10) * 10);
  }

  // Tab / Enter go down the column, Shift+Tab / Shift+Enter up, like a spreadsheet.
  function moveInColumn(event) {
    if (event.key !== "Enter" && event.key !== "Tab") return;
    var input = event.target;
    var column = ["js-self", "js-appraised", "js-ratio"].find(function (name) {
      return input.classList.contains(name);
    });
    if (!column) return;
    var inputs = Array.prototype.slice.call(table.querySelectorAll("input." + column));
    var next = inputs[inputs.indexOf(input) + (event.shiftKey ? -1 : 1)];
    if (next) {
      event.preventDefault();
      next.focus();
      next.select();
    } else if (event.key === "Enter") {
      event.preventDefault();
    }
  }

  table.addEventListener("input", recompute);
  table.addEventListener("change", recompute);
  table.addEventListener("keydown", moveInColumn);
  recompute();
})();
