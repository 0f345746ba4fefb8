/*! docchat embed: adds a launcher button that opens the docchat widget in an iframe.
 *
 *   <script src="https://docchat.example/embed.js" data-title="Ask the docs" defer></script>
 *
 * Options (all optional), as data-* attributes on the script tag:
 *   data-title        header and launcher label                  default "Ask the docs"
 *   data-position     bottom-right | bottom-left | top-right | top-left   default bottom-right
 *   data-accent       colour: #rgb, #rrggbb, #rrggbbaa or a CSS colour name   default #0b5fff
 *   data-width        frame width in px (280-640)                default 380
 *   data-height       frame height in px (320-900)               default 560
 *   data-offset       distance from the window corner in px (0-200)   default 20
 *   data-z-index      stacking order of launcher and frame       default 2147483000
 *   data-open         "true": open the widget when the page loads   default closed
 *   data-placeholder  input placeholder                          default "Ask a question…"
 *   data-greeting     first message of an empty conversation
 *   data-token        bearer token for a docchat with DOCCHAT_API_TOKEN set (visible to anyone who can
 *                     read the host page: use only on access-controlled pages)
 * Script API: window.DocChatWidget.open() / .close() / .toggle().
 * No external resources: everything below is inline; the iframe is served by the same docchat.
 *
 * Before showing anything it imports docchat's embed-check.js, which says whether this page's origin is in
 * DOCCHAT_ALLOWED_ORIGINS (the server decides from the Origin header the browser sets). On a page that is
 * not allowed nothing is shown and one console warning says why; the host page's CSP must allow scripts
 * from docchat's origin (script-src), as it must for this file.
 */
(function () {
  "use strict";
  if (window.DocChatWidget) return; // included twice: one launcher is enough

  var script = document.currentScript || (function () {
    var all = document.querySelectorAll('script[src*="embed.js"]');
    return all[all.length - 1];
  })();
  if (!script || !script.src) return;
  // The widget lives next to this file, whatever host and path prefix docchat is served under.
  var base = new URL(".", script.src);
  var d = script.dataset;

  function intIn(value, lo, hi, fallback) {
    var n = parseInt(value, 10);
    return isNaN(n) ? fallback : Math.min(hi, Math.max(lo, n));
  }
  function readableOn(value) {
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})/i.exec(value);
    if (!m) return "#fff";
    var hex = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    var r = parseInt(hex.slice(0, 2), 16), g = parseInt(hex.slice(2, 4), 16), b = parseInt(hex.slice(4, 6), 16);
    return (0.299 * r + 0.587 * g + 0.114 * b) > 160 ? "#111" : "#fff";
  }
  function color(value, fallback) {
    return value && /^(#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})|[a-z]{3,20})$/i.test(value) ? value : fallback;
  }

  var opts = {
    title: (d.title || "Ask the docs").trim().slice(0, 60),
    position: /^(bottom|top)-(right|left)$/.test(d.position || "") ? d.position : "bottom-right",
    accent: color(d.accent, "#0b5fff"),
    width: intIn(d.width, 280, 640, 380),
    height: intIn(d.height, 320, 900, 560),
    offset: intIn(d.offset, 0, 200, 20),
    z: intIn(d.zIndex, 0, 2147483647, 2147483000),
    open: d.open === "true",
    placeholder: (d.placeholder || "").slice(0, 80),
    greeting: (d.greeting || "").slice(0, 300),
    token: d.token || "",
  };
  opts.ink = readableOn(opts.accent);
  var vertical = opts.position.split("-")[0];
  var horizontal = opts.position.split("-")[1];

  var host = document.createElement("div");
  host.setAttribute("data-docchat-widget", "");
  // A shadow root keeps the host page's CSS off the launcher and ours off the page.
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;

  var o = opts.offset + "px";
  var css =
    ":host{all:initial}" +
    ".launcher{position:fixed;" + vertical + ":" + o + ";" + horizontal + ":" + o + ";z-index:" + opts.z + ";" +
    "width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;background:" + opts.accent + ";color:" + opts.ink + ";" +
    "box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;padding:0}" +
    ".launcher:focus-visible{outline:3px solid " + opts.accent + ";outline-offset:3px}" +
    ".launcher svg{width:26px;height:26px}" +
    ".panel{position:fixed;" + vertical + ":calc(" + o + " + 68px);" + horizontal + ":" + o + ";z-index:" + opts.z + ";" +
    "width:" + opts.width + "px;height:" + opts.height + "px;max-width:calc(100vw - 2 * " + o + ");" +
    "max-height:calc(100vh - 2 * " + o + " - 68px);border-radius:14px;overflow:hidden;background:#fff;" +
    "box-shadow:0 10px 40px rgba(0,0,0,.28);display:none}" +
    ".panel.open{display:block}" +
    "iframe{border:0;width:100%;height:100%;display:block}";
  // A constructed stylesheet is CSSOM, which a host page's CSP (style-src) does not block; a <style>
  // element would need 'unsafe-inline' there. Older browsers get the element.
  if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === "function") {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    var style = document.createElement("style");
    style.textContent = css;
    root.appendChild(style);
  }

  var ICON_CHAT = '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4V5a2 2 0 0 1 2-2zm3 6v2h10V9H7zm0-3v2h10V6H7zm0 6v2h7v-2H7z"/></svg>';
  var ICON_CLOSE = '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" d="M6 6l12 12M18 6L6 18"/></svg>';

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "launcher";
  launcher.setAttribute("aria-label", opts.title);
  launcher.setAttribute("aria-expanded", "false");
  launcher.title = opts.title;
  launcher.innerHTML = ICON_CHAT; // a constant above, never page or user text

  var panel = document.createElement("div");
  panel.className = "panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", opts.title);
  var frame = null;

  function widgetUrl() {
    var url = new URL("widget", base);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("title", opts.title);
    url.searchParams.set("accent", opts.accent);
    if (opts.placeholder) url.searchParams.set("placeholder", opts.placeholder);
    if (opts.greeting) url.searchParams.set("greeting", opts.greeting);
    // The fragment is never sent to a server, so the token stays out of access logs and Referer. The
    // widget posts its close requests to this page's origin only, so it is told which one that is.
    var fragment = new URLSearchParams();
    fragment.set("origin", location.origin);
    if (opts.token) fragment.set("token", opts.token);
    url.hash = fragment.toString();
    return url.href;
  }

  function ensureFrame() {
    if (frame) return;
    frame = document.createElement("iframe");
    frame.title = opts.title;
    frame.src = widgetUrl(); // created on first open, so pages that never open it load nothing more
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    panel.appendChild(frame);
  }

  function setOpen(open) {
    if (open) ensureFrame();
    panel.classList.toggle("open", open);
    launcher.setAttribute("aria-expanded", String(open));
    launcher.innerHTML = open ? ICON_CLOSE : ICON_CHAT;
    if (open && frame) frame.focus();
  }

  function isOpen() {
    return panel.classList.contains("open");
  }

  function closeAndReturnFocus() {
    setOpen(false);
    launcher.focus();
  }

  launcher.addEventListener("click", function () { setOpen(!isOpen()); });
  // Escape while focus is on this page; inside the widget's frame the widget asks by message (below).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) closeAndReturnFocus();
  });
  window.addEventListener("message", function (event) {
    // Only our own frame may close the widget.
    if (!frame || event.source !== frame.contentWindow || event.origin !== base.origin) return;
    if (event.data && event.data.type === "docchat:close" && isOpen()) closeAndReturnFocus();
  });

  root.appendChild(panel);
  root.appendChild(launcher);

  var mounted = false;
  var wantOpen = opts.open; // open() called before the check answered
  function mount() {
    mounted = true;
    document.body.appendChild(host);
    if (wantOpen) setOpen(true);
  }
  function show() {
    if (document.body) mount();
    else document.addEventListener("DOMContentLoaded", mount);
  }

  // Ask docchat whether this page may frame the widget before showing anything: a page it refuses
  // (frame-ancestors) would otherwise get a launcher that opens a broken grey frame. A module import is
  // a CORS request, so the browser (not this page) tells the server our origin, and it needs only the
  // script-src that loading this file needed.
  import(new URL("embed-check.js", base).href).then(function (check) {
    if (check.allowed === true) {
      show();
    } else {
      console.warn(
        "docchat: this page's origin " + location.origin + " is not in DOCCHAT_ALLOWED_ORIGINS of the docchat " +
        "server at " + base.origin + ", so its widget is not shown. Add " + location.origin +
        " to DOCCHAT_ALLOWED_ORIGINS there to embed it here."
      );
    }
  }, function () {
    console.warn(
      "docchat: could not reach the docchat server at " + base.origin + " (or this page's Content-Security-Policy " +
      "blocks its scripts), so its widget is not shown."
    );
  });

  function act(open) {
    if (!mounted) wantOpen = open === null ? !wantOpen : open;
    else setOpen(open === null ? !isOpen() : open);
  }
  window.DocChatWidget = {
    open: function () { act(true); },
    close: function () { act(false); },
    toggle: function () { act(null); },
  };
})();
