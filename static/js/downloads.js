// A link or GET form marked data-download fetches its file in the background: while the
// file is being made the control says so and cannot be used again, the file is saved
// under the server's name, and an error the server explains (a 4xx/5xx, e.g. the 503
// "Máy chủ thiếu thư viện Pango…", or a page it redirected to with a message, e.g. a
// wrong date) is shown beside the control, typed values kept. Kept out of the markup
// so the Content-Security-Policy can refuse inline script.
(() => {
  const BUSY_LABEL = "Đang tạo tệp…";
  const FAILED = "Chưa tải được tệp";
  const OFFLINE = "Không kết nối được máy chủ; hãy thử lại.";

  function filenameOf(response) {
    const header = response.headers.get("Content-Disposition") || "";
    const encoded = header.match(/filename\*=UTF-8''([^;]+)/i);
    if (encoded) return decodeURIComponent(encoded[1]);
    const plain = header.match(/filename="?([^";]+)"?/i);
    return plain ? plain[1] : "";
  }

  // The element whose words say what the control does: the link, or the form's button.
  function labelOf(control) {
    return control.tagName === "FORM" ? control.querySelector("[type=submit]") : control;
  }

  function setBusy(control, busy) {
    const label = labelOf(control);
    if (busy) {
      label.dataset.label = label.textContent;
      label.textContent = BUSY_LABEL;
    } else {
      label.textContent = label.dataset.label;
      delete label.dataset.label;
    }
    control.setAttribute("aria-busy", String(busy));
    label.setAttribute("aria-disabled", String(busy));
    if (label.tagName === "BUTTON") label.disabled = busy;
  }

  function showError(control, text) {
    let box = control.nextElementSibling;
    if (!box || !box.classList.contains("download-error")) {
      box = document.createElement("p");
      box.className = "message error download-error";
      box.setAttribute("role", "alert");
      control.after(box);
    }
    box.textContent = text;
  }

  function clearError(control) {
    const box = control.nextElementSibling;
    if (box && box.classList.contains("download-error")) box.remove();
  }

  async function errorText(response) {
    const type = response.headers.get("Content-Type") || "";
    const text = type.startsWith("text/plain") ? (await response.text()).trim() : "";
    return text || `${FAILED} (lỗi ${response.status}).`;
  }

  // The messages of a page the server answered with instead of a file.
  async function pageMessages(response) {
    if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) return "";
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const messages = page.querySelectorAll(".messages .message");
    return [...messages].map((message) => message.textContent.trim()).join(" ");
  }

  function save(blob, filename) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async function download(control, url) {
    setBusy(control, true);
    clearError(control);
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      const filename = filenameOf(response);
      if (!response.ok) {
        showError(control, await errorText(response));
      } else if (filename) {
        save(await response.blob(), filename);
      } else {
        // Not a file: the server sent a page instead, saying why; without a message, open it.
        const messages = await pageMessages(response);
        if (messages) showError(control, messages);
        else window.location.assign(response.url);
      }
    } catch {
      showError(control, OFFLINE);
    } finally {
      setBusy(control, false);
    }
  }

  function formUrl(form) {
    const url = new URL(form.action, window.location.href);
    url.search = new URLSearchParams(new FormData(form)).toString();
    return url.toString();
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-download]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    download(link, link.href);
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-download]") || event.defaultPrevented) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "get") return;
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    download(form, formUrl(form));
  });
})();
