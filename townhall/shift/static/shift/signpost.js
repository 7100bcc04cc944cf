// Put the suggested signposting reply into the reply box, where the cursor is, the same
// way saved replies are inserted (see townhall.js). The page works without it: the
// suggestion is shown as text that can be copied.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-insert-signpost]");
  if (!button) return;
  const text = document.getElementById("id_reply-text");
  if (!text) return;
  const start = text.selectionStart ?? text.value.length;
  const end = text.selectionEnd ?? text.value.length;
  text.value = text.value.slice(0, start) + button.dataset.text + text.value.slice(end);
  text.dispatchEvent(new Event("input", { bubbles: true }));
  text.dispatchEvent(new Event("keyup", { bubbles: true }));
  text.focus();
});
