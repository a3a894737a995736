// The plan page: one form for the header, every field and its tasks (see plan_detail.html).

// Open the task a link or a save points at (#nhiem-vu-12), instead of leaving it folded.
const target = location.hash && document.getElementById(location.hash.slice(1));
if (target && target.tagName === "DETAILS") { target.open = true; target.scrollIntoView(); }

const form = document.getElementById("plan-form");
if (form) {
  const unsaved = form.querySelector(".unsaved");
  // A task's progress fields sit in its card but belong to its own form («Ghi tiến độ»).
  const progressEdited = new Set();
  form.addEventListener("input", (event) => {
    const owner = event.target.form;
    if (owner === form) unsaved.hidden = false;
    else if (owner) progressEdited.add(owner.id);
  });

  // "+ Thêm nhiệm vụ": a copy of the formset's empty row, numbered after the others.
  const renumber = (row, prefix, index) => {
    const pattern = new RegExp(`${prefix}-(\\d+|__prefix__)`, "g");
    for (const el of [row, ...row.querySelectorAll("[id], [name], [for], [aria-describedby]")]) {
      for (const attr of ["id", "name", "for", "aria-describedby"]) {
        const value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(pattern, `${prefix}-${index}`));
      }
    }
  };
  const rows = (prefix) => document.getElementById(`them-${prefix}`);
  const total = (prefix) => form.querySelector(`[name="${prefix}-TOTAL_FORMS"]`);
  const recount = (prefix) => {
    const list = [...rows(prefix).children];
    list.forEach((row, index) => renumber(row, prefix, index));
    total(prefix).value = list.length;
  };
  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-task]");
    if (add) {
      const prefix = add.dataset.addTask;
      const row = document.getElementById(`mau-${prefix}`).content.firstElementChild.cloneNode(true);
      rows(prefix).append(row);
      recount(prefix);
      mirror(add.closest(".plan-field"));
      row.querySelector("textarea, input").focus();
      unsaved.hidden = false;
    }
    const remove = event.target.closest("[data-remove-task]");
    if (remove) {
      const list = remove.closest(".new-tasks");
      remove.closest(".new-task").remove();
      recount(list.id.replace(/^them-/, ""));
    }
  });

  // "Áp dụng cho mọi nhiệm vụ của lĩnh vực": the page shows what the save will do.
  const mirror = (field) => {
    const apply = field && field.querySelector('[name$="-apply_to_tasks"]');
    if (!apply || !apply.checked) return;
    for (const name of ["lead", "coordinators"]) {
      const value = field.querySelector(`.section-fields [name$="-${name}"]`).value;
      for (const input of field.querySelectorAll(`.task-fields [name$="-${name}"], .new-tasks [name$="-${name}"]`)) {
        input.value = value;
      }
    }
  };
  form.addEventListener("change", (event) => mirror(event.target.closest(".plan-field")));
  form.addEventListener("input", (event) => {
    if (event.target.closest(".section-fields")) mirror(event.target.closest(".plan-field"));
  });

  // After the save, come back to the part being edited.
  const where = form.querySelector('[name="tai"]');
  form.addEventListener("focusin", (event) => {
    const part = event.target.closest('details.task[id], .plan-field[id], #thong-tin + .card, #nguoi-ky + .card');
    if (!part) return;
    where.value = part.id || part.previousElementSibling.id;
  });

  // «Lưu kế hoạch» does not save progress typed but not recorded: it says so first.
  let leaving = false;
  document.addEventListener("submit", (event) => {
    const sent = event.target;
    if (sent === form && progressEdited.size) {
      const message = `Tiến độ vừa nhập của ${progressEdited.size} nhiệm vụ chưa được ghi ` +
        "(nút «Ghi tiến độ» của từng nhiệm vụ) và sẽ mất. Vẫn lưu kế hoạch?";
      if (!window.confirm(message)) { event.preventDefault(); return; }
    }
    progressEdited.delete(sent.id);
    leaving = sent === form || (unsaved.hidden && !progressEdited.size);
  });
  // Leaving with edits not saved («Tính thử» reloads the page too) asks first.
  window.addEventListener("beforeunload", (event) => {
    if (leaving || (unsaved.hidden && !progressEdited.size)) return;
    event.preventDefault();
    event.returnValue = "";
  });

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}
