// The chat page's own script (loaded through Gradio's `head`, see ui/server.py: CHAT_HEAD).
//
// 1. A click on an inline [n] or on a source opens the cited document in a side panel (a bottom sheet on
//    narrow screens), the quoted passage highlighted and scrolled into view. The document comes from the
//    same /sources page a plain click on the link would open (same origin, so the login cookie goes with
//    it); only its text and the highlighted span are taken from it, as text nodes, never as markup.
// 2. Copying an answer gives the plain-text version the server put in the bubble (input.dc-copy-text)
//    instead of the bubble's raw HTML, which is what Gradio's copy button hands to the clipboard.
(function () {
  "use strict";

  var LINKS = "#dc-chat a.dc-ref, #dc-chat a.dc-source";
  var panel = null;
  var opener = null;
  var loading = 0; // a newer click wins over a slower earlier fetch

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text != null) el.textContent = text;
    return el;
  }

  function buildPanel() {
    var aside = node("aside", "dc-panel");
    aside.id = "dc-panel";
    aside.hidden = true;
    aside.setAttribute("role", "dialog");
    aside.setAttribute("aria-labelledby", "dc-panel-title");
    var head = node("div", "dc-panel-head");
    var titles = node("div", "dc-panel-titles");
    var title = node("h2", "dc-panel-title");
    title.id = "dc-panel-title";
    titles.appendChild(title);
    titles.appendChild(node("p", "dc-panel-meta"));
    var full = node("a", "dc-panel-full", "Open full page");
    full.target = "_blank";
    full.rel = "noopener";
    var close = node("button", "dc-panel-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close the source");
    close.addEventListener("click", closePanel);
    head.appendChild(titles);
    head.appendChild(full);
    head.appendChild(close);
    var body = node("div", "dc-panel-body");
    body.tabIndex = 0; // scrollable by keyboard
    body.setAttribute("aria-label", "Cited document");
    aside.appendChild(head);
    aside.appendChild(body);
    document.body.appendChild(aside);
    return aside;
  }

  function part(selector) {
    return panel.querySelector(selector);
  }

  function show(title, meta, content) {
    part(".dc-panel-title").textContent = title;
    part(".dc-panel-meta").textContent = meta;
    var body = part(".dc-panel-body");
    body.replaceChildren(content);
    body.scrollTop = 0;
  }

  // The /sources page's <pre class="doc">, rebuilt from its text: text nodes and one <mark>.
  function documentText(pre) {
    var out = node("pre", "dc-panel-doc");
    pre.childNodes.forEach(function (child) {
      if (child.nodeName === "MARK") {
        out.appendChild(node("mark", "dc-panel-hit", child.textContent));
      } else {
        out.appendChild(document.createTextNode(child.textContent));
      }
    });
    return out;
  }

  function openPanel(link) {
    if (!panel) panel = buildPanel();
    opener = link;
    var href = link.href;
    part(".dc-panel-full").href = href;
    show(link.title || link.textContent.replace(/^\[\d+\]\s*/, ""), "Loading…", node("p", "dc-panel-note"));
    panel.hidden = false;
    document.documentElement.classList.add("dc-panel-open");
    part(".dc-panel-close").focus();
    var ticket = ++loading;
    fetch(href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.text().then(function (html) { return { ok: response.ok, html: html }; });
      })
      .then(function (page) {
        if (ticket !== loading) return;
        // DOMParser builds an inert document: nothing in it runs or loads.
        var doc = new DOMParser().parseFromString(page.html, "text/html");
        var heading = doc.querySelector("header h1");
        var meta = doc.querySelector("header .meta");
        var pre = doc.querySelector("pre.doc");
        var title = heading ? heading.textContent : "Source";
        if (!page.ok || !pre) {
          show(title, "", node("p", "dc-panel-note", meta ? meta.textContent : "The document could not be shown."));
          return;
        }
        var source = meta && meta.querySelector("code");
        show(title, source ? source.textContent : "", documentText(pre));
        var hit = part(".dc-panel-hit");
        if (hit) hit.scrollIntoView({ block: "center" });
      })
      .catch(function () {
        if (ticket !== loading) return;
        show("Source", "", node("p", "dc-panel-note", "The document could not be loaded; try “Open full page”."));
      });
  }

  function closePanel() {
    if (!panel || panel.hidden) return;
    loading++;
    panel.hidden = true;
    document.documentElement.classList.remove("dc-panel-open");
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  }

  document.addEventListener(
    "click",
    function (event) {
      var link = event.target instanceof Element ? event.target.closest(LINKS) : null;
      // A modified or middle click keeps the browser's own meaning: the full page in a new tab.
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      event.stopPropagation();
      openPanel(link);
    },
    true
  );

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel && !panel.hidden) {
      event.preventDefault();
      closePanel();
    }
  });

  // --- the conversations sidebar on a phone ---------------------------------------------------------------

  // Gradio opens its sidebar at full screen width, which on a phone would hide the chat at every visit:
  // there it starts closed; its own toggle opens it. The page calls this once its first load has settled
  // (ui/chat.py: CLOSE_SIDEBAR_ON_PHONE); earlier, Gradio may still reopen it while it sets itself up.
  window.docchatCloseSidebarOnPhone = function () {
    var toggle = document.querySelector("#dc-sidebar.open .toggle-button");
    if (toggle && window.matchMedia("(max-width: 640px)").matches) toggle.click();
    document.documentElement.setAttribute("data-dc-settled", ""); // the page's first load is done
  };

  // --- copy ---------------------------------------------------------------------------------------------

  var BUBBLE = /^\s*<div class="dc-/;

  // The text to copy for a bubble's raw HTML: its plain-text version, or else its text content.
  function plainOf(text) {
    if (typeof text !== "string" || !BUBBLE.test(text)) return text;
    var doc = new DOMParser().parseFromString(text, "text/html");
    var copy = doc.querySelector("input.dc-copy-text");
    if (copy) return copy.value;
    return (doc.body.textContent || "").replace(/\s+/g, " ").trim();
  }

  if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
    var writeText = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = function (text) {
      return writeText(plainOf(text));
    };
  }

  // Without the Clipboard API (a plain-http intranet host is not a secure context), Gradio copies from a
  // textarea it adds to <body> for the moment; the copy event lets us swap what lands on the clipboard.
  document.addEventListener(
    "copy",
    function (event) {
      var field = document.activeElement;
      if (!field || field.tagName !== "TEXTAREA" || field.parentNode !== document.body) return;
      if (!BUBBLE.test(field.value) || !event.clipboardData) return;
      event.clipboardData.setData("text/plain", plainOf(field.value));
      event.preventDefault();
    },
    true
  );
})();
