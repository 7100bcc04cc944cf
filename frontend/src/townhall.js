// Townhall's small behaviours on top of GOV.UK Frontend and HTMX. Every page works
// without this file; it adds keyboard shortcuts, saved-reply insertion and presence.
import { initAll } from "./govuk-frontend.min.js";

initAll();

const QUEUE_KEY = "townhall.queue";

function isTyping(element) {
  if (!element) return false;
  return element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName);
}

function queueLinks() {
  return Array.from(document.querySelectorAll("[data-conversation-link]"));
}

function rememberQueue() {
  const ids = queueLinks().map((link) => link.dataset.conversationLink);
  if (ids.length) sessionStorage.setItem(QUEUE_KEY, JSON.stringify(ids));
}

function moveInList(step) {
  const links = queueLinks();
  if (!links.length) return;
  const current = links.indexOf(document.activeElement);
  const next = current === -1 ? (step > 0 ? 0 : links.length - 1)
    : Math.min(Math.max(current + step, 0), links.length - 1);
  links[next].focus();
}

function moveFromConversation(step) {
  const live = document.getElementById("th-live");
  const ids = JSON.parse(sessionStorage.getItem(QUEUE_KEY) || "[]");
  const here = live ? live.dataset.conversation : null;
  const index = ids.indexOf(here);
  const target = ids[index === -1 ? 0 : index + step];
  if (target && target !== here) window.location.assign(`/conversations/${target}/`);
}

function focusField(id) {
  const field = document.getElementById(id);
  if (!field) return;
  field.scrollIntoView({ block: "center" });
  field.focus();
}

const shortcuts = {
  j: () => (queueLinks().length ? moveInList(1) : moveFromConversation(1)),
  k: () => (queueLinks().length ? moveInList(-1) : moveFromConversation(-1)),
  r: () => focusField("id_reply-text"),
  a: () => focusField("id_assign-team"),
  c: () => {
    const form = document.getElementById("close-form");
    if (form) form.requestSubmit();
  },
  "?": () => {
    const dialog = document.getElementById("th-shortcuts");
    if (dialog && !dialog.open) dialog.showModal();
  },
};

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (isTyping(event.target)) return;
  const dialog = document.getElementById("th-shortcuts");
  if (dialog && dialog.open) return;
  const action = shortcuts[event.key];
  if (!action) return;
  event.preventDefault();
  action();
});

// Saved replies: put the chosen text where the cursor is, then carry on typing.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-insert-saved]");
  if (!button) return;
  const select = document.getElementById("saved-reply");
  const text = document.getElementById("id_reply-text");
  const option = select && select.selectedOptions[0];
  if (!option || !option.value || !text) {
    if (select) select.focus();
    return;
  }
  const start = text.selectionStart ?? text.value.length;
  const end = text.selectionEnd ?? text.value.length;
  text.value = text.value.slice(0, start) + option.dataset.body + text.value.slice(end);
  text.dispatchEvent(new Event("input", { bubbles: true }));
  text.dispatchEvent(new Event("keyup", { bubbles: true }));
  text.focus();
});

// "Send this update to the resident" on a back-office update in the thread: start the
// reply from its wording without reloading the page (without JavaScript the link
// reloads the page with the reply box filled in). The reply remembers what it is about.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-reply-about], [data-reply-about-clear]");
  const about = document.getElementById("id_reply-about");
  const text = document.getElementById("id_reply-text");
  const notice = document.getElementById("reply-about");
  if (!link || !about || !text || !notice) return;
  event.preventDefault();
  if (link.hasAttribute("data-reply-about-clear")) {
    about.value = "";
    notice.hidden = true;
    text.focus();
    return;
  }
  about.value = link.dataset.replyAbout;
  const wording = link.dataset.replyText;
  text.value = text.value.trim() ? `${text.value.trimEnd()}\n\n${wording}` : wording;
  document.getElementById("reply-about-title").textContent = link.dataset.replyTitle;
  const approval = document.getElementById("reply-about-approval");
  if (approval) approval.hidden = !link.hasAttribute("data-reply-approval");
  notice.hidden = false;
  text.dispatchEvent(new Event("input", { bubbles: true }));
  text.dispatchEvent(new Event("keyup", { bubbles: true }));
  text.focus();
});

// When the queue refreshes itself, keep the keyboard where it was.
let focusedId = null;
document.addEventListener("htmx:beforeSwap", () => {
  const active = document.activeElement;
  focusedId = active && active.dataset ? active.dataset.conversationLink || null : null;
});
document.addEventListener("htmx:afterSettle", () => {
  rememberQueue();
  if (focusedId) {
    const again = document.querySelector(`[data-conversation-link="${focusedId}"]`);
    if (again) again.focus();
  }
});

rememberQueue();
const conflict = document.getElementById("th-conflict");
if (conflict) conflict.focus();
