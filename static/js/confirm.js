// A form with data-confirm="Question?" asks before it is sent. Kept out of the
// markup (no onsubmit=...) so the Content-Security-Policy can refuse inline script.
document.addEventListener("submit", (event) => {
  if (event.defaultPrevented) return;  // already called off (the sheet's unsaved-boxes question)
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
