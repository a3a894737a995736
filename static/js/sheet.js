// Scoring sheet: a preview of each leaf's points, the subtotals and the total as
// the user types, a Vietnamese message at a cell the server would refuse, Enter
// moving down a column, and a save that comes back to the row being edited. The
// server recomputes everything on save; nothing here is the source of truth.
// Numbers are handled in thousandths of a point (integers), so sums are exact.
// Reading numbers follows cchc.formatting.parse_points, and the rules
// scoring.rules.rule_points.
(function () {
  "use strict";
  var form = document.getElementById("sheet-form");
  var table = document.getElementById("sheet");
  if (!form || !table) return;
  var PLACES = 3;
  var DIGITS = /^[0-9]+$/;

  // "1.234.567" -> "1234567" when every group after the first has three digits.
  function ungrouped(whole, mark) {
    var groups = whole.split(mark);
    var first = groups.shift();
    if (!DIGITS.test(first) || (groups.length && first.length > 3)) return null;
    var bad = groups.some(function (group) { return !/^[0-9]{3}$/.test(group); });
    return bad ? null : first + groups.join("");
  }

  // "1.234,5" -> ["1234", "5"]; null when it is not a number written with separators.
  function plainDigits(body) {
    var last = Math.max(body.lastIndexOf(","), body.lastIndexOf("."));
    if (last < 0) return DIGITS.test(body) ? [body, ""] : null;
    var mark = body[last];
    var thousands = mark === "," ? "." : ",";
    var whole = body.slice(0, last);
    var fraction = body.slice(last + 1);
    if (body.indexOf(thousands) < 0 && body.split(mark).length > 2) {
      whole = body;
      fraction = "";
      thousands = mark;
    } else if (!DIGITS.test(fraction) || whole.indexOf(mark) >= 0) {
      return null;
    }
    whole = whole ? ungrouped(whole, thousands) : "0";
    return whole === null ? null : [whole, fraction];
  }

  // Typed text -> {milli} (null when blank) or {error} in Vietnamese.
  function read(text) {
    var raw = (text || "").trim();
    if (!raw) return { milli: null };
    var sign = raw[0] === "-" ? -1 : 1;
    var parts = plainDigits(raw[0] === "-" || raw[0] === "+" ? raw.slice(1) : raw);
    if (!parts) return { error: "«" + raw + "» không phải là số." };
    var fraction = parts[1].replace(/0+$/, "");
    if (fraction.length > PLACES) {
      return { error: "«" + raw + "» có quá " + PLACES + " chữ số thập phân." };
    }
    var milli = Number(parts[0]) * 1000 + Number((fraction + "000").slice(0, PLACES));
    return { milli: sign * milli };
  }

  function milliOf(text) {
    var result = read(text);
    return result.error ? NaN : result.milli;
  }

  function format(milli) {
    var sign = milli < 0 ? "-" : "";
    var abs = Math.abs(milli);
    var whole = Math.floor(abs / 1000).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var fraction = (abs % 1000).toString().padStart(3, "0").replace(/0+$/, "");
    return sign + whole + (fraction ? "," + fraction : "");
  }

  function bounds(row) {
    return { min: milliOf(row.dataset.min) || 0, max: milliOf(row.dataset.max) };
  }

  function rangeMessage(row) {
    var range = bounds(row);
    return "Điểm phải từ " + format(range.min) + " đến " + format(range.max) + ".";
  }

  // Points typed into a score cell: {milli} or {error}.
  function checkPoints(row, text) {
    var result = read(text);
    if (result.error || result.milli === null) return result;
    var range = bounds(row);
    if (result.milli < range.min || result.milli > range.max) return { error: rangeMessage(row) };
    return result;
  }

  // A declared ratio (%) -> the points its rule gives, as scoring.rules.rule_points.
  function ratioPoints(row, text) {
    var result = read(text);
    if (result.error || result.milli === null) return result;
    if (result.milli < 0 || result.milli > 100000) return { error: "Tỷ lệ phải từ 0 đến 100%." };
    var rule = JSON.parse(row.dataset.rule);
    var max = bounds(row).max;
    var ratio = result.milli;
    if (rule.bands.length) {
      var band = rule.bands.find(function (b) {
        var low = b[0] === null ? null : milliOf(b[0]);
        var high = b[1] === null ? null : milliOf(b[1]);
        var above = low === null || (b[2] ? ratio > low : ratio >= low);
        var below = high === null || (b[3] ? ratio < high : ratio <= high);
        return above && below;
      });
      return { milli: band ? milliOf(band[4]) : 0 };
    }
    var factor = rule.factor === null ? max : milliOf(rule.factor);
    // ratio% x factor, in thousandths, rounded half up like the server.
    return { milli: Math.min(max, Math.round((ratio * factor) / 100000)) };
  }

  // Show the live message for a cell the user changed; a message the server
  // wrote stays while the cell still holds what was sent.
  function mark(input, error) {
    var message = document.getElementById(input.getAttribute("aria-describedby"));
    if (input.value === input.defaultValue && input.classList.contains("invalid")) return;
    input.classList.remove("invalid");
    input.classList.toggle("invalid-preview", Boolean(error));
    input.setAttribute("aria-invalid", error ? "true" : "false");
    if (message) {
      message.textContent = error || "";
      message.hidden = !error;
    }
  }

  function usable(result) {
    return !result.error && result.milli !== null;
  }

  function selfScore(row) {
    var input = row.querySelector(".js-self");
    if (input) {
      var typed = checkPoints(row, input.value);
      mark(input, typed.error);
      return typed;
    }
    var tier = row.querySelector(".js-tier");
    if (tier) {
      var option = tier.options[tier.selectedIndex];
      return { milli: option && option.dataset.points ? milliOf(option.dataset.points) : null };
    }
    var shown = row.querySelector(".js-self-value");
    var ratio = row.querySelector(".js-ratio");
    if (!ratio) return { milli: shown ? milliOf(shown.dataset.value) : null };
    var points = ratioPoints(row, ratio.value);
    mark(ratio, points.error);
    shown.textContent = usable(points) ? format(points.milli) : "";
    shown.parentNode.hidden = !usable(points);
    return points;
  }

  function appraisedScore(row) {
    var input = row.querySelector(".js-appraised");
    if (!input) {
      var shown = row.querySelector(".js-appraised-value");
      return { milli: shown ? milliOf(shown.dataset.value) : null };
    }
    var typed = overridden(row, checkPoints(row, input.value));
    mark(input, typed.error);
    return typed;
  }

  // An appraised score other than the rule's points needs a reason in the comment
  // (scoring.forms._check_override); round 2 keeping round 1's score does not.
  function overridden(row, typed) {
    if (!usable(typed) || !row.dataset.rulePoints) return typed;
    if (row.dataset.firstRound && typed.milli === milliOf(row.dataset.firstRound)) return typed;
    var computed = milliOf(row.dataset.rulePoints);
    var comment = row.querySelector("textarea[name^='comment-']");
    if (typed.milli === computed || (comment && comment.value.trim())) return typed;
    return {
      error: "Khác điểm tính theo quy tắc (" + format(computed) + "): hãy ghi lý do ở cột nhận xét.",
    };
  }

  // The appraised score where there is one, else the self score; a value the
  // server would refuse counts as not typed, as it will not be saved.
  function leafScore(row) {
    var own = selfScore(row);
    var appraised = appraisedScore(row);
    if (usable(appraised)) return appraised.milli;
    return usable(own) ? own.milli : 0;
  }

  // Whether the leaf counts: the appraiser's box where there is one, else what is stored.
  function applies(row) {
    var box = row.querySelector(".js-na");
    var na = box ? box.checked : Boolean(row.dataset.na);
    row.classList.toggle("not-applicable", na);
    return !na;
  }

  function recompute() {
    var sums = { total: 0 };
    var maxima = { total: 0 };
    table.querySelectorAll("tr.sheet-leaf").forEach(function (row) {
      var score = leafScore(row);
      var achieved = row.querySelector(".js-achieved");
      var deducted = row.querySelector(".js-deducted");
      // A leaf that does not apply leaves both the max and the points (scoring.engine).
      if (!applies(row)) {
        achieved.textContent = deducted.textContent = "";
        return;
      }
      var max = bounds(row).max;
      achieved.textContent = format(score);
      deducted.textContent = format(max - score);
      var ids = (row.dataset.ancestors || "").split(" ").filter(Boolean).concat(["total"]);
      ids.forEach(function (id) {
        sums[id] = (sums[id] || 0) + score;
        maxima[id] = (maxima[id] || 0) + max;
      });
    });
    form.querySelectorAll("[data-node]").forEach(function (node) {
      var achieved = sums[node.dataset.node] || 0;
      var max = maxima[node.dataset.node] || 0;
      node.querySelector(".js-achieved").textContent = format(achieved);
      node.querySelector(".js-deducted").textContent = format(max - achieved);
      node.querySelector(".js-max").textContent = format(max);
    });
    // Percent with two decimals, from exact thousandths: achieved * 100 / max.
    var total = maxima.total;
    var index = total > 0 ? format(Math.round((sums.total * 100000) / total / 10) * 10) : "—";
    form.querySelectorAll(".js-index").forEach(function (node) { node.textContent = index; });
  }

  // The cells of a column, in the order of the rows: the self column holds typed
  // points, declared ratios and tier choices alike.
  var COLUMNS = [".js-self, .js-ratio, .js-tier", ".js-appraised"];

  // Enter goes down the column, Shift+Enter up, like a spreadsheet. Tab keeps the
  // page's own order (score, then the row's note or comment box, then the next row):
  // taking Tab for the column too left every note box but the last one unreachable.
  function moveInColumn(event) {
    if (event.key !== "Enter") return;
    var cell = event.target;
    var column = COLUMNS.find(function (selector) { return cell.matches(selector); });
    if (!column) return;
    event.preventDefault();
    var cells = Array.prototype.slice.call(table.querySelectorAll(column));
    var next = cells[cells.indexOf(cell) + (event.shiftKey ? -1 : 1)];
    if (next) {
      next.focus();
      if (next.select) next.select();
    }
  }

  // The row being edited goes with the save, so the page comes back to it.
  var focusField = form.querySelector("input[name='dong']");
  table.addEventListener("focusin", function (event) {
    var row = event.target.closest("tr.sheet-leaf");
    if (row && focusField) focusField.value = row.dataset.leaf;
  });

  // Back from a save at "#leaf-<id>": the cursor returns to that row's first box. On
  // load, after the browser went to the fragment (which focuses the page itself).
  function resumeRow() {
    var row = window.location.hash && document.getElementById(window.location.hash.slice(1));
    var box = row && row.matches("tr.sheet-leaf") && row.querySelector("input, select, textarea");
    if (box) box.focus({ preventScroll: true });
  }

  // Typed but not saved: leaving the page, or taking a workflow step (which does
  // not save the sheet), would lose it.
  function unsaved() {
    if (form.dataset.unsaved) return true;  // a refused save, shown again
    return Array.prototype.some.call(form.elements, function (field) {
      if (field.tagName === "SELECT") {
        // With no option marked selected the first one is shown: that is not a change.
        var initial = Array.prototype.findIndex.call(field.options, function (option) {
          return option.defaultSelected;
        });
        return field.selectedIndex !== Math.max(initial, 0);
      }
      if (field.type === "checkbox") return field.checked !== field.defaultChecked;
      return field.type !== "hidden" && "defaultValue" in field && field.value !== field.defaultValue;
    });
  }

  var leaving = false;
  form.addEventListener("submit", function () { leaving = true; });
  document.querySelectorAll(".workflow form").forEach(function (step) {
    step.addEventListener("submit", function (event) {
      var label = step.querySelector("button").textContent.trim();
      var message = "Các ô vừa nhập chưa được lưu và sẽ mất. Vẫn «" + label + "»?";
      if (unsaved() && !window.confirm(message)) event.preventDefault();
      else leaving = true;
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || !unsaved()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  table.addEventListener("input", recompute);
  table.addEventListener("change", recompute);
  table.addEventListener("keydown", moveInColumn);
  recompute();
  // After a refused save, start at the first cell to correct.
  var first = table.querySelector("input.invalid, select.invalid");
  if (first) {
    first.focus({ preventScroll: true });
    first.scrollIntoView({ block: "center" });
  } else {
    window.addEventListener("load", resumeRow);
  }
})();
