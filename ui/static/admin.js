// The admin page: a thin client of /api/admin. Every string from the server goes in with textContent.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="docchat-csrf"]').getAttribute("content");
  var POLL_MS = 500;
  var STATES = { indexed: "indexed", changed: "changed", not_indexed: "not indexed", removed: "removed" };
  var PHASES = {
    reading: "Reading files", embedding: "Embedding", "cleaning up": "Cleaning up",
    reloading: "Reloading the keyword index", done: "Done"
  };

  function $(id) { return document.getElementById(id); }

  function say(id, text, failed) {
    var node = $(id);
    node.textContent = text;
    node.classList.toggle("failed", Boolean(failed));
  }

  // One call to the admin API; resolves to {status, body}. A lost session sends the admin to sign in.
  function api(method, path, body, json) {
    var headers = { "X-DocChat-CSRF": csrf, "Accept": "application/json" };
    if (json) { headers["Content-Type"] = "application/json"; }
    return fetch(path, { method: method, headers: headers, body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.status === 401) { window.location.reload(); }
          return { status: response.status, body: data };
        });
      });
  }

  function size(bytes) {
    if (bytes === null || bytes === undefined) { return "—"; }
    if (bytes >= 1e6) { return (bytes / 1e6).toFixed(1) + " MB"; }
    if (bytes >= 1e3) { return (bytes / 1e3).toFixed(1) + " KB"; }
    return bytes + " B";
  }

  function when(seconds) {
    return seconds ? new Date(seconds * 1000).toLocaleString() : "—";
  }

  function cell(row, text, label, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (label) { td.setAttribute("data-label", label); }
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  function loadDocuments() {
    return api("GET", "api/admin/documents").then(function (r) {
      if (r.status !== 200) { say("documents-status", r.body.error || "Could not list the documents.", true); return; }
      var tbody = $("documents").querySelector("tbody");
      tbody.textContent = "";
      r.body.documents.forEach(function (doc) {
        var row = document.createElement("tr");
        row.setAttribute("data-source", doc.source);
        cell(row, doc.source, null, "name");
        cell(row, String(doc.chunks), "Chunks", "number");
        cell(row, size(doc.size_bytes), "Size", "number");
        cell(row, when(doc.indexed_at), "Last indexed");
        var state = document.createElement("span");
        state.className = "state state-" + doc.state;
        state.textContent = STATES[doc.state] || doc.state;
        cell(row, "", "State").appendChild(state);
        var actions = cell(row, "");
        if (doc.size_bytes !== null) {
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "remove";
          remove.textContent = "Remove";
          remove.setAttribute("aria-label", "Remove " + doc.source);
          remove.addEventListener("click", function () { removeDocument(doc.source); });
          actions.appendChild(remove);
        }
        tbody.appendChild(row);
      });
      $("document-count").textContent = "(" + r.body.documents.length + ")";
      $("pending-note").hidden = !r.body.reindex_needed;
      say("documents-status", r.body.documents.length ? "" : "No documents yet: add one above.");
    });
  }

  function removeDocument(source) {
    if (!window.confirm("Remove " + source + " from the corpus folder? It leaves the index at the next re-index.")) {
      return;
    }
    var path = "api/admin/documents/" + source.split("/").map(encodeURIComponent).join("/");
    api("DELETE", path).then(function (r) {
      say("documents-status", r.status === 200 ? "Removed " + source + "." : (r.body.error || "Could not remove it."),
          r.status !== 200);
      loadDocuments();
    });
  }

  function upload(file, replace) {
    var form = new FormData();
    form.append("file", file);
    if (replace) { form.append("replace", "true"); }
    say("upload-status", "Uploading " + file.name + "…");
    return api("POST", "api/admin/documents", form).then(function (r) {
      if (r.status === 409 && !replace && window.confirm(r.body.error + "\n\nReplace it?")) {
        return upload(file, true);
      }
      if (r.status === 201) {
        say("upload-status", (r.body.replaced ? "Replaced " : "Added ") + r.body.source +
            ". Re-index to make it searchable.");
        $("upload-form").reset();
      } else {
        say("upload-status", r.body.error || "The upload failed (HTTP " + r.status + ").", true);
      }
      return loadDocuments();
    });
  }

  function showRun(run) {
    var bar = $("reindex-progress");
    var p = run.progress;
    if (run.state === "idle") { return; }
    bar.hidden = false;
    bar.setAttribute("data-state", run.state);
    if (p && p.files_total > 0) {
      bar.max = p.files_total;
      bar.value = p.files_done;
    } else if (run.state === "running") {
      bar.removeAttribute("value");  // indeterminate until the files are counted
    }
    if (run.state === "running") {
      var text = (p ? PHASES[p.phase] || p.phase : "Starting") + "…";
      if (p && p.files_total) { text += " " + p.files_done + " of " + p.files_total + " files"; }
      say("reindex-status", text);
    } else if (run.state === "done") {
      bar.max = 1;
      bar.value = 1;
      var rep = run.report || {};
      var count = function (key) { return (rep[key] || []).length; };
      var skipped = (rep.skipped || []).map(function (s) { return s.source + " (" + s.reason + ")"; });
      var chunks = rep.chunks_embedded || 0;
      say("reindex-status", "Done: " + count("added") + " added, " + count("updated") + " updated, " +
          count("removed") + " removed, " + count("unchanged") + " unchanged; " + chunks +
          (chunks === 1 ? " chunk" : " chunks") + " embedded in " + (rep.seconds || 0) + " s." +
          (skipped.length ? " Skipped: " + skipped.join(", ") : ""));
      say("upload-status", "");  // "re-index to make it searchable" is done now
    } else if (run.state === "failed") {
      say("reindex-status", "The re-index failed: " + (run.error || "no reason given"), true);
    }
  }

  function follow(target) {
    return api("GET", "api/admin/reindex").then(function (r) {
      if (r.status !== 200) { say("reindex-status", r.body.error || "Could not read the re-index status.", true); }
      else {
        showRun(r.body);
        var pending = r.body.run < target || r.body.state === "running";
        if (pending) { return new Promise(function (ok) { setTimeout(ok, POLL_MS); }).then(function () { return follow(target); }); }
      }
      $("reindex-button").disabled = false;
      return loadDocuments();
    });
  }

  $("reindex-button").addEventListener("click", function () {
    $("reindex-button").disabled = true;
    say("reindex-status", "Starting…");
    api("POST", "api/admin/reindex", "{}", true).then(function (r) {
      if (r.status !== 202) {
        say("reindex-status", r.body.error || "Could not start a re-index.", true);
        $("reindex-button").disabled = false;
        return;
      }
      follow(r.body.wait_for_run || r.body.run);
    });
  });

  $("upload-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var file = $("upload-file").files[0];
    if (file) { upload(file, $("upload-replace").checked); }
  });

  loadDocuments();
  // A run started elsewhere (another tab, `docchat ingest`) is shown as it goes.
  api("GET", "api/admin/reindex").then(function (r) {
    if (r.status === 200 && r.body.state === "running") { $("reindex-button").disabled = true; follow(r.body.run); }
    else if (r.status === 200) { showRun(r.body); }
  });
})();
