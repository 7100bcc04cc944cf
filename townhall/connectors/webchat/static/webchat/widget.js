/*
 * Townhall web chat and contact form, for a council's own website.
 *
 *   <script src="https://townhall.example/static/webchat/widget.js"
 *           data-channel="CHANNEL-KEY" data-mode="chat" defer></script>
 *
 * data-mode: "chat" (default) or "form" (name, email, message, optional postcode).
 * data-lang: "cy" or "en"; without it, the language of the page where the widget sits
 * (<html lang="cy">, or the nearest element with a lang attribute), else English.
 * data-title: the heading. data-heading-level: 2 to 4.
 * data-target: a CSS selector for the element to fill; by default the widget appears
 * where the script tag is.
 *
 * The widget lives in a shadow root, so the page's styles do not reach it and its styles
 * do not reach the page. It holds no secret: when a visitor first sends a message it asks
 * Townhall for a token for this visitor only, kept in this website's localStorage with
 * the conversation, until the visitor clears it. No cookies are sent or set.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.getAttribute("data-channel")) {
    return;
  }
  var KEY = script.getAttribute("data-channel");
  var FIRST_MODE = script.getAttribute("data-mode") === "form" ? "form" : "chat";
  var scriptUrl = new URL(script.src, document.baseURI);
  var BASE = (script.getAttribute("data-townhall") || scriptUrl.origin).replace(/\/+$/, "");
  var API = BASE + "/webchat/" + encodeURIComponent(KEY);
  var CSS = new URL("widget.css", scriptUrl).href;
  var STORE = "townhall-webchat:" + KEY;
  var LEVEL = Math.min(4, Math.max(2, parseInt(script.getAttribute("data-heading-level") || "2", 10) || 2));
  var target = script.getAttribute("data-target") && document.querySelector(script.getAttribute("data-target"));
  var LANG = language();
  var MAX_TEXT = 4000;
  // A reply counts as seen once it has been on screen, in a tab the visitor is looking
  // at, for this long: long enough not to count one scrolled past.
  var SEEN_AFTER_MS = 1000;

  function language() {
    var chosen = (script.getAttribute("data-lang") || "").toLowerCase();
    if (chosen === "cy" || chosen === "en") { return chosen; }
    var marked = (target || script).closest("[lang]");
    var page = (marked ? marked.getAttribute("lang") : "").toLowerCase();
    return page === "cy" || page.indexOf("cy-") === 0 ? "cy" : "en";
  }

  // Every fixed word the resident sees, in English and Welsh, and nowhere else. Messages
  // from the server are never shown as they are: they are in English only, so each
  // answer is matched to one of these instead.
  var WORDS = {
    en: {
      chatTitle: "Chat with the council",
      formTitle: "Contact the council",
      chatHint: "Replies from the council appear here, on this device. Do not include bank or card details.",
      formHint: "We reply here, on this device, while you are on the website and when you come back to this page. Do not include bank or card details.",
      message: "Your message",
      more: "Add to your message",
      name: "Your name",
      email: "Email address",
      emailHint: "So that we can reply if you leave this page.",
      postcode: "Postcode (optional)",
      send: "Send",
      sendForm: "Send message",
      log: "Messages in this chat",
      you: "You",
      council: "Council",
      sending: "Sending",
      sent: "Sent",
      waiting: "Not sent yet: it will be sent when the connection is back",
      failed: "Not sent",
      newReply: "New reply from the council: ",
      thanks: "Thank you. We have your message. Our reply will appear below.",
      clear: "Clear this chat from this device",
      cleared: "The chat has been cleared from this device.",
      problem: "There is a problem",
      error: "Error:",
      enterName: "Enter your name",
      enterEmail: "Enter your email address",
      badEmail: "Enter an email address in the correct format, like name@example.com",
      enterMessage: "Enter your message",
      tooLong: "Your message must be 4,000 characters or fewer",
      tooBig: "Your message is too long to send. Make it shorter and try again.",
      badPostcode: "Enter a real postcode, like AC1 2BD, or leave it blank",
      refused: "The chat could not take this message. Check it and try again.",
      unavailable: "This chat is not available at the moment. Try again later, or contact the council another way.",
      offline: "The chat cannot connect at the moment. Your message is kept on this device and will be sent when it can.",
      ended: "This chat has ended.",
      kept: "Your message was not sent. It is still in the box below.",
      startNew: "Start a new chat",
      started: "New chat started."
    },
    cy: {
      chatTitle: "Sgwrsio â'r cyngor",
      formTitle: "Cysylltu â'r cyngor",
      chatHint: "Bydd atebion gan y cyngor yn ymddangos yma, ar y ddyfais hon. Peidiwch â chynnwys manylion banc na cherdyn.",
      formHint: "Byddwn yn ateb yma, ar y ddyfais hon, tra byddwch ar y wefan a phan ddewch yn ôl i'r dudalen hon. Peidiwch â chynnwys manylion banc na cherdyn.",
      message: "Eich neges",
      more: "Ychwanegu at eich neges",
      name: "Eich enw",
      email: "Cyfeiriad e-bost",
      emailHint: "Er mwyn i ni allu ateb os byddwch yn gadael y dudalen hon.",
      postcode: "Cod post (dewisol)",
      send: "Anfon",
      sendForm: "Anfon neges",
      log: "Negeseuon yn y sgwrs hon",
      you: "Chi",
      council: "Y cyngor",
      sending: "Yn anfon",
      sent: "Wedi'i hanfon",
      waiting: "Heb ei hanfon eto: bydd yn cael ei hanfon pan fydd cysylltiad eto",
      failed: "Heb ei hanfon",
      newReply: "Ateb newydd gan y cyngor: ",
      thanks: "Diolch. Mae eich neges wedi dod i law. Bydd ein hateb yn ymddangos isod.",
      clear: "Clirio'r sgwrs hon o'r ddyfais hon",
      cleared: "Mae'r sgwrs wedi'i chlirio o'r ddyfais hon.",
      problem: "Mae problem wedi codi",
      error: "Gwall:",
      enterName: "Rhowch eich enw",
      enterEmail: "Rhowch eich cyfeiriad e-bost",
      badEmail: "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com",
      enterMessage: "Rhowch eich neges",
      tooLong: "Rhaid i'ch neges fod yn 4,000 o nodau neu lai",
      tooBig: "Mae eich neges yn rhy hir i'w hanfon. Gwnewch hi'n fyrrach a rhowch gynnig arall arni.",
      badPostcode: "Rhowch god post go iawn, fel AC1 2BD, neu gadewch y blwch yn wag",
      refused: "Nid oedd modd i'r sgwrs dderbyn y neges hon. Gwiriwch hi a rhowch gynnig arall arni.",
      unavailable: "Nid yw'r sgwrs hon ar gael ar hyn o bryd. Rhowch gynnig arall arni yn nes ymlaen, neu cysylltwch â'r cyngor mewn ffordd arall.",
      offline: "Nid oes modd cysylltu â'r sgwrs ar hyn o bryd. Mae eich neges yn cael ei chadw ar y ddyfais hon a bydd yn cael ei hanfon pan fydd modd.",
      ended: "Mae'r sgwrs hon wedi dod i ben.",
      kept: "Nid yw eich neges wedi'i hanfon. Mae hi'n dal yn y blwch isod.",
      startNew: "Dechrau sgwrs newydd",
      started: "Mae sgwrs newydd wedi dechrau."
    }
  };
  var T = WORDS[LANG];
  var POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

  // State, kept in localStorage so a visitor who moves to another page keeps the chat,
  // and what they were typing.
  var state = load();

  function blank() {
    return { token: "", after: 0, ack: [], seen: [], log: [], outbox: [], submitted: false,
      ended: false, kept: false, draft: "" };
  }

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE) || "null");
      if (saved && typeof saved === "object" && Array.isArray(saved.log)) {
        var fresh = blank();
        for (var name in fresh) {
          if (Object.prototype.hasOwnProperty.call(fresh, name) && !(name in saved)) {
            saved[name] = fresh[name];
          }
        }
        return saved;
      }
    } catch (error) {
      // Storage blocked or corrupt: start afresh, in memory only.
    }
    return blank();
  }

  function save() {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(state));
    } catch (error) {
      // Private browsing may refuse storage; the chat still works while the page is open.
    }
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // Markup -------------------------------------------------------------------

  var host = document.createElement("div");
  host.className = "townhall-webchat";
  if (target) {
    target.appendChild(host);
  } else {
    script.parentNode.insertBefore(host, script.nextSibling);
  }
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attrs[name];
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  var link = el("link", { rel: "stylesheet", href: CSS });
  var title = script.getAttribute("data-title") || (FIRST_MODE === "form" ? T.formTitle : T.chatTitle);
  var heading = el("h" + LEVEL, { "class": "thc-title", id: "thc-title", text: title });
  var hint = el("p", { "class": "thc-hint", text: FIRST_MODE === "form" ? T.formHint : T.chatHint });
  // Focusable, as it scrolls once the chat is long.
  var log = el("ol", { "class": "thc-log", "aria-label": T.log, tabindex: "0" });
  var thanks = el("p", { "class": "thc-thanks", tabindex: "-1", text: T.thanks });
  // Announced by screen readers as replies arrive, without moving the focus.
  var status = el("p", { "class": "thc-visually-hidden", role: "status", "aria-live": "polite" });
  var alertBox = el("div", { "class": "thc-alert", role: "alert" });
  var endedText = el("p", { text: T.ended });
  var keptText = el("p", { text: T.kept });
  var startButton = el("button", { type: "button", "class": "thc-button thc-button--secondary", text: T.startNew });
  var notice = el("div", { "class": "thc-notice" }, [endedText, keptText, startButton]);
  var form = el("form", { "class": "thc-form", novalidate: "" });
  var fields = {};

  function field(name, label, type, extra) {
    var id = "thc-" + name;
    var input = type === "textarea"
      ? el("textarea", { id: id, name: name, rows: "4" })
      : el("input", { id: id, name: name, type: type });
    Object.keys(extra || {}).forEach(function (attr) { input.setAttribute(attr, extra[attr]); });
    var error = el("p", { "class": "thc-error", id: id + "-error", hidden: "" });
    var parts = [el("label", { "for": id, "class": "thc-label", text: label })];
    var described = [];
    if (extra && extra["data-hint"]) {
      parts.push(el("p", { "class": "thc-field-hint", id: id + "-hint", text: extra["data-hint"] }));
      described.push(id + "-hint");
      input.removeAttribute("data-hint");
    }
    if (described.length) {
      input.setAttribute("aria-describedby", described.join(" "));
    }
    parts.push(error, input);
    var group = el("div", { "class": "thc-group" }, parts);
    fields[name] = { input: input, error: error, group: group, hint: described.join(" ") };
    return group;
  }

  var personal = el("div", { "class": "thc-personal" }, [
    field("name", T.name, "text", { autocomplete: "name", spellcheck: "false" }),
    field("email", T.email, "email", { autocomplete: "email", spellcheck: "false", "data-hint": T.emailHint }),
    field("postcode", T.postcode, "text", { autocomplete: "postal-code", spellcheck: "false", "class": "thc-short" })
  ]);
  var textGroup = field("text", T.message, "textarea");
  var sendButton = el("button", { type: "submit", "class": "thc-button", text: T.send });
  form.appendChild(personal);
  form.appendChild(textGroup);
  form.appendChild(sendButton);
  var clearButton = el("button", { type: "button", "class": "thc-link", text: T.clear });
  fields.text.input.value = state.draft || "";

  var section = el("section", { "class": "thc", lang: LANG, "aria-labelledby": "thc-title" },
    [heading, hint, alertBox, thanks, log, status, notice, form, clearButton]);
  root.appendChild(link);
  root.appendChild(section);

  function formMode() {
    return FIRST_MODE === "form" && !state.submitted;
  }

  function render() {
    personal.hidden = !formMode();
    thanks.hidden = !(FIRST_MODE === "form" && state.submitted && !state.ended);
    notice.hidden = !state.ended;
    keptText.hidden = !state.kept;
    fields.text.group.querySelector("label").textContent = FIRST_MODE === "form" && state.submitted ? T.more : T.message;
    sendButton.textContent = formMode() ? T.sendForm : T.send;
    clearButton.hidden = state.log.length === 0;
    log.hidden = state.log.length === 0;
    while (log.firstChild) {
      log.removeChild(log.firstChild);
    }
    watchStop();
    state.log.forEach(function (entry) {
      var mine = entry.from === "me";
      var when = new Date(entry.at);
      var time = isNaN(when.getTime()) ? "" : when.toLocaleTimeString(LANG === "cy" ? "cy-GB" : "en-GB", { hour: "2-digit", minute: "2-digit" });
      var meta = el("p", { "class": "thc-meta" }, [
        el("strong", { text: mine ? T.you : T.council }),
        time ? document.createTextNode(" · ") : null,
        time ? el("time", { datetime: entry.at, text: time }) : null
      ]);
      if (mine && entry.state !== "sent") {
        meta.appendChild(document.createTextNode(" · "));
        meta.appendChild(el("span", { "class": entry.state === "failed" ? "thc-failed" : "thc-pending",
          text: entry.state === "failed" ? T.failed : entry.state === "waiting" ? T.waiting : T.sending }));
      }
      var item = el("li", { "class": "thc-msg thc-msg--" + (mine ? "me" : "council"), "data-id": String(entry.id) },
        [meta, el("p", { "class": "thc-text", text: entry.text })]);
      log.appendChild(item);
      if (!mine && !entry.seen && !state.ended) {
        watch(item);
      }
    });
  }

  // Seen ---------------------------------------------------------------------
  //
  // The officer is told a reply was seen only when it has been on screen, at least half
  // of it (or a good part of a long one), in a tab the visitor is looking at
  // (document.visibilityState), for SEEN_AFTER_MS. That is as much as a page can tell
  // honestly; without IntersectionObserver nothing is ever reported as seen.

  var onScreen = {};
  var seenTimers = {};
  var watcher = window.IntersectionObserver ? new window.IntersectionObserver(function (changes) {
    changes.forEach(function (change) {
      var id = change.target.getAttribute("data-id");
      if (change.isIntersecting && (change.intersectionRatio >= 0.5 || change.intersectionRect.height >= 120)) {
        onScreen[id] = true;
      } else {
        delete onScreen[id];
      }
    });
    lookForSeen();
  }, { threshold: [0, 0.25, 0.5, 0.75, 1] }) : null;

  function watch(item) {
    if (watcher) { watcher.observe(item); }
  }

  function watchStop() {
    if (watcher) { watcher.disconnect(); }
    onScreen = {};
  }

  function lookForSeen() {
    if (document.visibilityState !== "visible") { return; }
    Object.keys(onScreen).forEach(function (id) {
      if (seenTimers[id]) { return; }
      seenTimers[id] = setTimeout(function () {
        delete seenTimers[id];
        var shown = entry(id);
        if (!onScreen[id] || document.visibilityState !== "visible" || !shown || shown.seen || !state.token) {
          return;
        }
        shown.seen = true;
        var number = parseInt(String(id).slice(1), 10);
        if (state.seen.indexOf(number) === -1) { state.seen.push(number); }
        save();
        pollLater(0.2);
      }, SEEN_AFTER_MS);
    });
  }

  // Validation ---------------------------------------------------------------

  function showErrors(problems) {
    Object.keys(fields).forEach(function (name) {
      var f = fields[name];
      var message = problems[name];
      f.error.hidden = !message;
      f.error.textContent = "";
      if (message) {
        f.error.appendChild(el("span", { "class": "thc-visually-hidden", text: T.error + " " }));
        f.error.appendChild(document.createTextNode(message));
      }
      f.group.classList.toggle("thc-group--error", Boolean(message));
      if (message) {
        f.input.setAttribute("aria-invalid", "true");
        f.input.setAttribute("aria-describedby", (f.hint ? f.hint + " " : "") + f.error.id);
      } else {
        f.input.removeAttribute("aria-invalid");
        if (f.hint) { f.input.setAttribute("aria-describedby", f.hint); } else { f.input.removeAttribute("aria-describedby"); }
      }
    });
    var first = ["name", "email", "postcode", "text"].filter(function (n) { return problems[n]; })[0];
    if (first) {
      fields[first].input.focus();
    }
  }

  function validate(values) {
    var problems = {};
    if (formMode()) {
      if (!values.name) { problems.name = T.enterName; }
      if (!values.email) { problems.email = T.enterEmail; } else if (!EMAIL.test(values.email)) { problems.email = T.badEmail; }
      if (values.postcode && !POSTCODE.test(values.postcode)) { problems.postcode = T.badPostcode; }
    }
    if (!values.text) { problems.text = T.enterMessage; } else if (values.text.length > MAX_TEXT) { problems.text = T.tooLong; }
    return problems;
  }

  function say(message) {
    alertBox.textContent = message || "";
  }

  function problem(problems) {
    showErrors(problems);
    say(T.problem + ": " + Object.keys(problems).map(function (k) { return problems[k]; }).join(". "));
  }

  // Putting back -------------------------------------------------------------
  //
  // A message Townhall did not take goes back into the box, ahead of anything typed
  // since, with the form's details if it had them: the visitor never types it twice.

  function putBack(items) {
    if (!items.length) { return false; }
    var ids = items.map(function (item) { return item.id; });
    state.outbox = state.outbox.filter(function (item) { return ids.indexOf(item.id) === -1; });
    state.log = state.log.filter(function (e) { return ids.indexOf(e.id) === -1; });
    var box = fields.text.input;
    var texts = items.map(function (item) { return item.text; });
    if (box.value.trim()) { texts.push(box.value); }
    box.value = texts.join("\n\n");
    state.draft = box.value;
    items.forEach(function (item) {
      if (item.form) {
        state.submitted = false;
        ["name", "email", "postcode"].forEach(function (name) {
          if (!fields[name].input.value) { fields[name].input.value = item[name] || ""; }
        });
      }
    });
    return true;
  }

  function endChat() {
    // Townhall says this chat has ended (its time ran out, or it was cleared elsewhere).
    // The transcript stays on screen until the visitor starts a new chat or clears it.
    clearTimeout(pollTimer);
    clearTimeout(flushTimer);
    var kept = putBack(state.outbox.slice());
    state.token = "";
    state.ended = true;
    state.kept = state.kept || kept;
    state.ack = [];
    state.seen = [];
    state.after = 0;
    save();
    render();
    say("");
    status.textContent = T.ended + (kept ? " " + T.kept : "");
  }

  function startNew() {
    var draft = fields.text.input.value;
    clearTimeout(pollTimer);
    clearTimeout(flushTimer);
    state = blank();
    state.draft = draft;
    save();
    render();
    say("");
  }

  // Network ------------------------------------------------------------------

  function call(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (state.token) { headers["Authorization"] = "Bearer " + state.token; }
    return fetch(API + path, {
      method: method, headers: headers, credentials: "omit", mode: "cors", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data, wait: parseInt(response.headers.get("Retry-After") || "0", 10) || 0 };
      });
    });
  }

  function entry(id) {
    for (var i = 0; i < state.log.length; i++) {
      if (String(state.log[i].id) === String(id)) { return state.log[i]; }
    }
    return null;
  }

  function ensureSession() {
    if (state.token) { return Promise.resolve(true); }
    return call("POST", "/sessions", {}).then(function (answer) {
      if (answer.status === 201 && answer.data.token) {
        state.token = answer.data.token;
        state.after = 0;
        state.ack = [];
        state.seen = [];
        save();
        return true;
      }
      throw answer;
    });
  }

  // Townhall's answer to a message it will not take, in the visitor's language.
  function refusal(answer, item) {
    var field = answer.data && answer.data.field;
    if (answer.status === 413) { return { text: T.tooBig }; }
    if (field === "text" && item.text.length > MAX_TEXT) { return { text: T.tooLong }; }
    if (answer.status === 404 || answer.status === 403) { return { text: T.unavailable }; }
    if (field === "name") { return { name: T.enterName }; }
    if (field === "email") { return { email: item.email ? T.badEmail : T.enterEmail }; }
    if (field === "postcode") { return { postcode: T.badPostcode }; }
    return { text: T.refused };
  }

  var flushing = false;
  var flushTimer = null;

  function flushLater(seconds) {
    clearTimeout(flushTimer);
    flushTimer = setTimeout(flush, Math.max(1, seconds) * 1000);
  }

  function flush() {
    if (flushing || state.outbox.length === 0 || state.ended) { return; }
    flushing = true;
    var item = state.outbox[0];
    ensureSession().then(function () {
      return call("POST", "/messages", item);
    }).then(function (answer) {
      flushing = false;
      var shown = entry(item.id);
      if (answer.status === 202) {
        state.outbox.shift();
        if (shown) { shown.state = "sent"; }
        if (item.form) { state.submitted = true; }
        save();
        render();
        if (item.form) { thanks.focus(); }
        say("");
        poll();
        flush();
      } else if (answer.status === 401) {
        endChat();
      } else if (answer.status === 429 || answer.status >= 500) {
        if (shown) { shown.state = "waiting"; }
        save();
        render();
        flushLater(answer.wait || 30);
      } else {
        putBack([item]);
        save();
        render();
        problem(refusal(answer, item));
        flush();
      }
    }).catch(function () {
      flushing = false;
      var shown = entry(item.id);
      if (shown) { shown.state = "waiting"; }
      save();
      render();
      say(T.offline);
      flushLater(15);
    });
  }

  var pollTimer = null;
  var pollWait = 5;

  function pollLater(seconds) {
    clearTimeout(pollTimer);
    if (!state.token) { return; }
    pollTimer = setTimeout(poll, seconds * 1000);
  }

  function poll() {
    clearTimeout(pollTimer);
    if (!state.token) { return; }
    var acked = state.ack.slice(0, 50);
    var seen = state.seen.slice(0, 50);
    call("GET", "/replies?after=" + encodeURIComponent(state.after) + "&ack=" + acked.join(",") + "&seen=" + seen.join(","))
      .then(function (answer) {
        if (answer.status === 401) {
          endChat();
          return;
        }
        if (answer.status !== 200) {
          pollLater(answer.wait || 30);
          return;
        }
        state.ack = state.ack.filter(function (id) { return acked.indexOf(id) === -1; });
        state.seen = state.seen.filter(function (id) { return seen.indexOf(id) === -1; });
        var fresh = [];
        (answer.data.replies || []).forEach(function (reply) {
          if (!entry("r" + reply.id)) {
            state.log.push({ id: "r" + reply.id, from: "council", text: reply.text, at: reply.at, state: "sent" });
            fresh.push(reply);
          }
          if (state.ack.indexOf(reply.id) === -1) { state.ack.push(reply.id); }
          state.after = Math.max(state.after, reply.id);
        });
        pollWait = answer.data.poll_seconds || 5;
        save();
        if (fresh.length) {
          render();
          status.textContent = fresh.map(function (r) { return T.newReply + r.text; }).join(" ");
        }
        // Acknowledge what arrived at once, so the officer sees it delivered.
        pollLater(state.ack.length || state.seen.length ? 0.2 : (document.hidden ? 30 : pollWait));
      })
      .catch(function () {
        pollLater(30);
      });
  }

  // Events -------------------------------------------------------------------

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (state.ended) {
      // Sending after a chat ended starts a new one, as the notice offers.
      startNew();
    }
    var values = {
      name: fields.name.input.value.trim(),
      email: fields.email.input.value.trim(),
      postcode: fields.postcode.input.value.trim().toUpperCase(),
      text: fields.text.input.value.trim()
    };
    var problems = validate(values);
    showErrors(problems);
    if (Object.keys(problems).length) {
      problem(problems);
      return;
    }
    say("");
    var item = { id: newId(), text: values.text, sent_at: new Date().toISOString() };
    if (formMode()) {
      item.form = true;
      item.name = values.name;
      item.email = values.email;
      item.postcode = values.postcode;
    }
    state.log.push({ id: item.id, from: "me", text: values.text, at: item.sent_at, state: "sending" });
    state.outbox.push(item);
    state.draft = "";
    save();
    fields.text.input.value = "";
    render();
    fields.text.input.focus();
    flush();
  });

  var draftTimer = null;
  fields.text.input.addEventListener("input", function () {
    // Kept on this device as it is typed, so moving to another page loses nothing.
    clearTimeout(draftTimer);
    draftTimer = setTimeout(function () {
      state.draft = fields.text.input.value;
      save();
    }, 300);
  });

  startButton.addEventListener("click", function () {
    startNew();
    status.textContent = T.started;
    fields[formMode() ? "name" : "text"].input.focus();
  });

  clearButton.addEventListener("click", function () {
    clearTimeout(pollTimer);
    clearTimeout(flushTimer);
    clearTimeout(draftTimer);
    var token = state.token;
    if (token) {
      // Tell Townhall the chat is over, so the officer knows their replies will not
      // reach this visitor. If this fails, the chat simply runs out of time instead.
      fetch(API + "/end", {
        method: "POST", credentials: "omit", mode: "cors", cache: "no-store", body: "{}",
        headers: { "Accept": "application/json", "Content-Type": "application/json", "Authorization": "Bearer " + token }
      }).catch(function () { /* nothing to do */ });
    }
    state = blank();
    try { window.localStorage.removeItem(STORE); } catch (error) { /* nothing stored */ }
    fields.text.input.value = "";
    render();
    say("");
    status.textContent = T.cleared;
    fields[formMode() ? "name" : "text"].input.focus();
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      lookForSeen();
      poll();
    }
  });

  window.addEventListener("storage", function (event) {
    // Another tab of the same site moved the chat on: show what it has.
    if (event.key === STORE) {
      state = load();
      render();
    }
  });

  render();
  flush();
  poll();
})();
