// docchat widget: a compact chat that streams from /api/chat. Every piece of text (answers, quotes,
// titles, options from the URL) is put into the page with textContent or attributes, never innerHTML.
(function () {
  "use strict";

  var body = document.body;
  var params = new URLSearchParams(location.search);
  var maxChars = parseInt(body.getAttribute("data-max-question-chars"), 10) || 4000;
  var maxHistory = parseInt(body.getAttribute("data-max-history-messages"), 10);
  if (isNaN(maxHistory)) maxHistory = 20;
  var STORE_KEY = "docchat-widget-history";
  var MAX_TURNS = 30;

  var NETWORK_ERROR = "Can't reach docchat. Check your connection and try again.";

  // The token (if the embedding page supplied one) and the embedding page's origin arrive in the
  // fragment, which is never sent to any server; drop it from the address bar right away.
  var fragment = new URLSearchParams(location.hash.slice(1));
  var token = fragment.get("token") || "";
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  var embedded = params.get("embedded") === "1" && window.parent !== window;
  var parentOrigin = embedded ? embedderOrigin(fragment.get("origin")) : null;

  var el = {
    title: document.getElementById("dc-title"),
    log: document.getElementById("dc-log"),
    form: document.getElementById("dc-form"),
    input: document.getElementById("dc-input"),
    send: document.getElementById("dc-send"),
    reset: document.getElementById("dc-new"),
    close: document.getElementById("dc-close"),
  };

  var title = clip(params.get("title"), 60) || "Ask the docs";
  el.title.textContent = title;
  document.title = title;
  el.input.placeholder = clip(params.get("placeholder"), 80) || "Ask a question…";
  el.input.maxLength = maxChars;
  var greeting = clip(params.get("greeting"), 300) || "Ask a question about the documents. Answers cite their sources.";
  applyAccent(params.get("accent"));
  if (embedded) {
    el.close.hidden = false;
    el.close.addEventListener("click", requestClose);
    // Focus is in this frame right after the widget opens, so the host page never sees this Escape.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !event.isComposing) {
        event.preventDefault();
        requestClose();
      }
    });
  }

  // The embedding page's origin: what the browser says where it can (ancestorOrigins), else what
  // embed.js said, else the Referer. A wrong one only means the close request is not delivered.
  function embedderOrigin(claimed) {
    var known = location.ancestorOrigins && location.ancestorOrigins.length ? location.ancestorOrigins[0] : "";
    var referrer = "";
    try {
      referrer = document.referrer ? new URL(document.referrer).origin : "";
    } catch (e) { /* no usable referrer */ }
    var candidates = [known, claimed, referrer];
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i] && /^https?:\/\/[^\/]+$/.test(candidates[i])) return candidates[i];
    }
    return null;
  }

  function requestClose() {
    // Only a request to close, and only to the embedding page; embed.js checks it came from this frame.
    if (parentOrigin) window.parent.postMessage({ type: "docchat:close" }, parentOrigin);
  }

  var turns = loadTurns();
  var busy = false;
  var failed = null; // removes the last "can't reach docchat" message and its question
  renderAll();

  el.form.addEventListener("submit", function (event) {
    event.preventDefault();
    ask(el.input.value);
  });
  el.input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ask(el.input.value);
    }
  });
  el.input.addEventListener("input", autosize);
  el.reset.addEventListener("click", function () {
    turns = [];
    saveTurns();
    renderAll();
    el.input.focus();
  });

  function clip(value, n) {
    return value ? String(value).trim().slice(0, n) : "";
  }

  function applyAccent(value) {
    // Only plain colours: anything else could smuggle CSS into the page.
    if (!value || !/^(#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})|[a-z]{3,20})$/i.test(value)) return;
    var root = document.documentElement.style;
    root.setProperty("--dc-accent", value);
    root.setProperty("--dc-accent-text", readableOn(value));
  }

  function readableOn(color) {
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})/i.exec(color);
    if (!m) return "#fff";
    var hex = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    var r = parseInt(hex.slice(0, 2), 16), g = parseInt(hex.slice(2, 4), 16), b = parseInt(hex.slice(4, 6), 16);
    return (0.299 * r + 0.587 * g + 0.114 * b) > 160 ? "#111" : "#fff";
  }

  function autosize() {
    el.input.style.height = "auto";
    el.input.style.height = Math.min(el.input.scrollHeight + 2, 120) + "px";
  }

  function loadTurns() {
    try {
      var raw = JSON.parse(localStorage.getItem(STORE_KEY) || "[]");
      return Array.isArray(raw) ? raw.filter(validTurn).slice(-MAX_TURNS) : [];
    } catch (e) {
      return []; // storage blocked (third-party frame) or corrupt: start fresh
    }
  }

  function validTurn(t) {
    return t && typeof t.q === "string" && t.a && typeof t.a.answer === "string" && Array.isArray(t.a.citations);
  }

  function saveTurns() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(turns.slice(-MAX_TURNS)));
    } catch (e) { /* storage unavailable: the conversation lasts until the frame closes */ }
  }

  function historyMessages() {
    var out = [];
    turns.forEach(function (t) {
      out.push({ role: "user", content: t.q });
      out.push({ role: "assistant", content: t.a.answer });
    });
    return maxHistory > 0 ? out.slice(-maxHistory) : [];
  }

  function node(tag, className, text) {
    var n = document.createElement(tag);
    if (className) n.className = className;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }

  function sourceHref(c) {
    var path = String(c.source).split("/").map(encodeURIComponent).join("/");
    return "sources/" + path + "?start=" + Number(c.start) + "&end=" + Number(c.end) + "#hit";
  }

  function examples() {
    try {
      var list = JSON.parse(body.getAttribute("data-examples") || "[]");
      return Array.isArray(list) ? list.filter(function (q) { return typeof q === "string"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function renderGreeting() {
    var box = node("div", "dc-msg dc-bot dc-greeting");
    box.appendChild(node("p", "dc-text", greeting));
    var list = examples();
    if (list.length) {
      var chips = node("div", "dc-suggest");
      list.forEach(function (q) {
        var chip = node("button", "dc-chip dc-example", q);
        chip.type = "button";
        chip.addEventListener("click", function () { ask(q); });
        chips.appendChild(chip);
      });
      box.appendChild(chips);
    }
    return box;
  }

  function renderAll() {
    el.log.textContent = "";
    if (!turns.length) el.log.appendChild(renderGreeting());
    turns.forEach(function (t, i) {
      el.log.appendChild(node("div", "dc-msg dc-user", t.q));
      el.log.appendChild(renderAnswer(t, i === turns.length - 1));
    });
    scrollDown();
  }

  function scrollDown() {
    el.log.scrollTop = el.log.scrollHeight;
  }

  // The answer text with each [n] as a link to its source; everything else stays plain text.
  function answerText(answer, citations) {
    var p = node("p", "dc-text");
    var byN = {};
    citations.forEach(function (c) { byN[c.n] = c; });
    var re = /\[(\d+)\]/g, last = 0, m;
    while ((m = re.exec(answer)) !== null) {
      p.appendChild(document.createTextNode(answer.slice(last, m.index)));
      var c = byN[m[1]];
      if (c) {
        var a = node("a", "dc-ref", m[0]);
        a.href = sourceHref(c);
        a.target = "_blank";
        a.rel = "noopener";
        a.title = c.title || c.source;
        p.appendChild(a);
      } else {
        p.appendChild(document.createTextNode(m[0]));
      }
      last = re.lastIndex;
    }
    p.appendChild(document.createTextNode(answer.slice(last)));
    return p;
  }

  function renderSources(citations, open) {
    var details = node("details", "dc-sources");
    details.open = open;
    details.appendChild(node("summary", null, "Sources (" + citations.length + ")"));
    var list = node("ol");
    citations.forEach(function (c) {
      var li = node("li");
      li.value = c.n;
      var a = node("a", "dc-source", c.title || c.source);
      a.href = sourceHref(c);
      a.target = "_blank";
      a.rel = "noopener";
      li.appendChild(a);
      if (c.section) li.appendChild(node("span", "dc-section", " › " + c.section));
      li.appendChild(node("q", "dc-quote", c.quote));
      list.appendChild(li);
    });
    details.appendChild(list);
    return details;
  }

  function renderAnswer(turn, latest) {
    var a = turn.a;
    var box = node("div", "dc-msg dc-bot");
    if (a.refused) {
      var r = node("div", "dc-refused");
      r.appendChild(node("span", "dc-refused-label", "Not in the documents"));
      r.appendChild(node("p", "dc-text", a.answer));
      box.appendChild(r);
      if (a.suggestions && a.suggestions.length) {
        var chips = node("div", "dc-suggest");
        a.suggestions.slice(0, 4).forEach(function (s) {
          var chip = node("button", "dc-chip", s);
          chip.type = "button";
          chip.addEventListener("click", function () { ask(s); });
          chips.appendChild(chip);
        });
        box.appendChild(chips);
      }
    } else {
      box.appendChild(answerText(a.answer, a.citations));
    }
    if (a.notice) box.appendChild(node("p", "dc-notice", "Note: " + a.notice));
    if (a.citations.length) box.appendChild(renderSources(a.citations, latest));
    box.appendChild(renderVotes(turn));
    return box;
  }

  function renderVotes(turn) {
    var row = node("div", "dc-votes");
    var up = voteButton("up", "Helpful", "M2 21h4V9H2v12zm20-11c0-1.1-.9-2-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10c0 1.1.9 2 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z");
    var down = voteButton("down", "Not helpful", "M22 3h-4v12h4V3zM2 14c0 1.1.9 2 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1L17.4 16.4c.4-.4.6-.9.6-1.4V5c0-1.1-.9-2-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z");
    var note = node("span");
    [up, down].forEach(function (b) {
      if (turn.vote) {
        b.disabled = true;
        b.setAttribute("aria-pressed", String(b.dataset.vote === turn.vote));
      }
      b.addEventListener("click", function () {
        up.disabled = down.disabled = true;
        b.setAttribute("aria-pressed", "true");
        sendVote(turn, b.dataset.vote, note);
      });
    });
    row.appendChild(up);
    row.appendChild(down);
    row.appendChild(note);
    return row;
  }

  function voteButton(vote, label, path) {
    var b = node("button", "dc-vote");
    b.type = "button";
    b.dataset.vote = vote;
    b.title = label;
    b.setAttribute("aria-label", label);
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    var p = document.createElementNS("http://www.w3.org/2000/svg", "path");
    p.setAttribute("fill", "currentColor");
    p.setAttribute("d", path);
    svg.appendChild(p);
    b.appendChild(svg);
    return b;
  }

  function headers(extra) {
    var h = { "Content-Type": "application/json", "X-DocChat-Client": "widget" };
    if (token) h.Authorization = "Bearer " + token;
    for (var k in extra) h[k] = extra[k];
    return h;
  }

  function sendVote(turn, vote, note) {
    turn.vote = vote;
    saveTurns();
    fetch("api/feedback", {
      method: "POST",
      headers: headers({}),
      body: JSON.stringify({ vote: vote, question: turn.q, answer: turn.a.answer, citations: turn.a.citations }),
    }).then(function (res) {
      note.textContent = res.ok ? "Thanks!" : "Could not save feedback.";
    }, function () {
      note.textContent = "Could not save feedback.";
    });
  }

  function errorOf(res) {
    if (res.status === 401) {
      return Promise.resolve("This docchat needs an access token; the page embedding it must pass data-token.");
    }
    return res.json().then(function (data) {
      return (data && typeof data.error === "string" && data.error) || "Request failed (" + res.status + ")";
    }, function () {
      return "Request failed (" + res.status + ")";
    });
  }

  function ask(text) {
    var question = String(text || "").trim();
    if (busy || !question) return;
    if (question.length > maxChars) {
      showError("That question is too long (limit " + maxChars + " characters).");
      return;
    }
    busy = true;
    el.send.disabled = true;
    if (failed) failed(); // asked again (Retry or Enter): the old failure is no longer news
    el.input.value = "";
    autosize();
    var greetingEl = el.log.querySelector(".dc-greeting");
    if (greetingEl) greetingEl.remove();
    el.log.querySelectorAll(".dc-sources").forEach(function (d) { d.open = false; });
    var asked = node("div", "dc-msg dc-user", question);
    el.log.appendChild(asked);
    var bubble = node("div", "dc-msg dc-bot");
    var live = node("p", "dc-text dc-typing", "");
    bubble.appendChild(live);
    el.log.appendChild(bubble);
    scrollDown();

    fetch("api/chat?stream=true", {
      method: "POST",
      headers: headers({ Accept: "text/event-stream" }),
      body: JSON.stringify({ message: question, history: historyMessages() }),
    }).then(null, unreachable).then(function (res) {
      if (!res.ok) return errorOf(res).then(function (msg) { throw new Error(msg); });
      return readStream(res, function (event, data) {
        if (event === "delta") {
          live.textContent += data.text;
          scrollDown();
        } else if (event === "answer") {
          var turn = { q: question, a: { answer: data.answer, refused: data.refused, citations: data.citations || [],
                                         notice: data.notice, suggestions: data.suggestions || [] } };
          turns.push(turn);
          turns = turns.slice(-MAX_TURNS);
          saveTurns();
          bubble.replaceWith(renderAnswer(turn, true));
          // Show the answer from its question down, not its last source: reading starts at the top.
          el.log.scrollTop = Math.max(0, asked.offsetTop - el.log.offsetTop - 8);
        } else if (event === "error") {
          throw new Error(data.error || "The answer failed.");
        }
      });
    }).catch(function (err) {
      bubble.remove();
      // Nothing typed is lost: the question goes back into the box unless something new is there.
      if (!el.input.value) {
        el.input.value = question;
        autosize();
      }
      if (err && err.unreachable) {
        showUnreachable(question, asked);
      } else {
        showError(err && err.message ? err.message : NETWORK_ERROR);
      }
    }).then(function () {
      busy = false;
      el.send.disabled = false;
      el.input.focus();
    });
  }

  // fetch and stream reads reject with a bare TypeError ("Failed to fetch") when the server cannot be
  // reached or the connection drops: mark those so the user gets a plain message and a Retry.
  function unreachable() {
    throw { unreachable: true };
  }

  function showError(message) {
    el.log.appendChild(node("div", "dc-msg dc-bot dc-error", message));
    scrollDown();
  }

  function showUnreachable(question, asked) {
    var box = node("div", "dc-msg dc-bot dc-error dc-unreachable");
    failed = function () {
      box.remove();
      asked.remove();
      failed = null;
    };
    box.setAttribute("role", "alert");
    box.appendChild(node("p", "dc-text", NETWORK_ERROR));
    var retry = node("button", "dc-chip dc-retry", "Retry");
    retry.type = "button";
    retry.addEventListener("click", function () {
      if (busy) return;
      if (el.input.value.trim() === question) el.input.value = ""; // it is being asked again
      ask(question);
    });
    box.appendChild(retry);
    el.log.appendChild(box);
    scrollDown();
  }

  // Server-sent events over fetch (EventSource cannot POST): split on blank lines, then fields.
  function readStream(res, onEvent) {
    var reader = res.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function pump() {
      return reader.read().then(null, unreachable).then(function (chunk) {
        buffer += decoder.decode(chunk.value || new Uint8Array(), { stream: !chunk.done });
        var parts = buffer.split("\n\n");
        buffer = chunk.done ? "" : parts.pop();
        parts.forEach(function (block) {
          var event = "message", data = "";
          block.split("\n").forEach(function (line) {
            if (line.indexOf("event:") === 0) event = line.slice(6).trim();
            else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
          });
          if (data) onEvent(event, JSON.parse(data));
        });
        if (!chunk.done) return pump();
      });
    }
    return pump();
  }
})();
