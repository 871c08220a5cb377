// The start page: the SPARQL editor (YASQE, vendored), the stored queries with their
// parameters, the results in YASR (sort, filter, paging, raw response) whose IRIs link to the
// server's own pages, downloads, and a share link kept in the address bar.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("relgraph-config").textContent);
  const $ = (id) => document.getElementById(id);
  const status = $("status");
  let stored = {};        // name -> {title, description, parameters, query}
  let current = null;     // the stored query as loaded in the editor, if unchanged

  const yasqe = new Yasgui.Yasqe($("editor"), {
    value: "SELECT ?s ?label WHERE {\n  ?s a rg:State ;\n     rdfs:label ?label .\n  FILTER (LANG(?label) = \"en\")\n}\nORDER BY ?label\n",
    showQueryButton: false,
    persistenceId: null,
    autocompleters: [],
    syntaxErrorCheck: false,  // stored queries use the server's prefixes without declaring them
    resizeable: true,
    editorHeight: "260px",
    createShareableLink: null,
    consumeShareLink: null,
  });

  function localHref(iri) {
    for (const [path, ns] of Object.entries(config.namespaces)) {
      if (iri.startsWith(ns) && iri.length > ns.length) {
        const rest = iri.slice(ns.length);
        return path + rest.split("/").map(encodeURIComponent).join("/");
      }
    }
    if (iri === config.namespaces["/ontology/"].replace(/#$/, "")) return "/ontology";
    return null;
  }

  function shortName(iri) {
    let best = null;
    for (const [prefix, ns] of Object.entries(config.prefixes)) {
      if (iri.startsWith(ns) && /^[\w.-]+$/.test(iri.slice(ns.length)) && (!best || ns.length > best[1].length)) {
        best = [prefix, ns];
      }
    }
    return best ? best[0] + ":" + iri.slice(best[1].length) : "<" + iri + ">";
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  // YASR's table (sort, filter, paging: only the rows of one page are drawn), with IRIs that
  // link to this server's own pages; only a page of this server or an http(s) IRI becomes a
  // link: never javascript:, data: …
  const Yasr = Yasgui.Yasr;
  class LocalTable extends Yasr.plugins.table {
    getUriLinkFromBinding(binding) {
      const iri = binding.value;
      const href = localHref(iri) || (/^https?:\/\//i.test(iri) ? iri : null);
      const text = escapeHtml(shortName(iri));
      if (!href) return `<span class="iri-text" title="${escapeHtml(iri)}">${text}</span>`;
      return `<a class="iri" href="${escapeHtml(href)}" title="${escapeHtml(iri)}">${text}</a>`;
    }
  }
  Yasr.registerPlugin("table", LocalTable);
  // only plugins that work offline: the table, the raw response, the yes/no of ASK, errors
  for (const name of Object.keys(Yasr.plugins)) {
    if (!["table", "response", "boolean", "error"].includes(name)) delete Yasr.plugins[name];
  }
  const yasr = new Yasr($("results"), {
    persistenceId: null,
    prefixes: config.prefixes,
    pluginOrder: ["table", "response"],
    defaultPlugin: "table",
    plugins: { table: { enabled: true, openIriInNewWindow: false }, response: { enabled: true } },
  });

  function showResults(text, contentType, status, started) {
    yasr.setResponse({ data: text, contentType: contentType, status: status, executionTime: Date.now() - started });
  }

  function rowCount(text, contentType) {
    if (!contentType.startsWith("application/sparql-results+json")) return null;
    const json = JSON.parse(text);
    return json.boolean !== undefined ? null : json.results.bindings.length;
  }

  function renderDownloads(base, kind, name) {
    const box = $("downloads");
    box.replaceChildren();
    const label = document.createElement("span");
    label.textContent = "Download: ";
    box.appendChild(label);
    const formats = kind === "graph" ? config.formats.graph : config.formats.results;
    formats.forEach(([format, media, suffix], i) => {
      const a = document.createElement("a");
      a.href = base + (base.includes("?") ? "&" : "?") + "format=" + encodeURIComponent(format);
      a.download = (name || "results") + suffix;
      a.type = media;
      a.textContent = format;
      if (i) box.appendChild(document.createTextNode(" · "));
      box.appendChild(a);
    });
  }

  function paramValues() {
    const params = new URLSearchParams();
    for (const input of $("param-fields").querySelectorAll("input")) {
      if (input.value.trim() !== "") params.set(input.name, input.value.trim());
    }
    return params;
  }

  // The share link: the address of the page opened on what ran (?query=TEXT, or
  // ?stored=NAME&PARAM=VALUE…); opening it again runs the same thing.
  function shareAddress(name, text) {
    const params = new URLSearchParams();
    if (name) {
      params.set("stored", name);
      for (const [key, value] of paramValues()) params.set(key, value);
    } else {
      params.set("query", text);
    }
    return "/?" + params.toString();
  }

  async function run() {
    const text = yasqe.getValue();
    let url, init, base, name = null;
    const accept = "application/sparql-results+json, text/turtle;q=0.9";
    if (current && text === stored[current].query) {
      name = current;
      const qs = paramValues().toString();
      url = "/queries/" + encodeURIComponent(current) + (qs ? "?" + qs : "");
      base = url;
      init = { headers: { Accept: accept } };
    } else {
      url = "/sparql";
      base = "/sparql?query=" + encodeURIComponent(text);
      init = { method: "POST", headers: { Accept: accept, "Content-Type": "application/sparql-query" }, body: text };
    }
    const address = shareAddress(name, text);
    if (location.pathname + location.search !== address) history.pushState({ share: address }, "", address);
    $("share").href = address;
    $("share").hidden = false;
    status.textContent = "Running…";
    $("run").disabled = true;
    const started = Date.now();
    try {
      const response = await fetch(url, init);
      const type = response.headers.get("Content-Type") || "";
      const body = await response.text();
      if (!response.ok) {
        $("downloads").replaceChildren();
        showResults(body, type, response.status, started);
        status.textContent = "Error " + response.status + ": " + body;
        return;
      }
      showResults(body, type, response.status, started);
      const rows = rowCount(body, type);
      status.textContent = rows === null ? "Done." : "Done: " + rows + " row" + (rows === 1 ? "" : "s") + ".";
      renderDownloads(base, type.startsWith("application/sparql-results") ? "results" : "graph", name);
    } catch (error) {
      status.textContent = "Could not reach the server: " + error;
    } finally {
      $("run").disabled = false;
      document.body.dataset.ran = String(Number(document.body.dataset.ran || 0) + 1);
    }
  }

  // What the address asks for: a stored query with its parameters, or a query text; run it.
  function openAddress() {
    const params = new URLSearchParams(location.search);
    const name = params.get("stored");
    if (name && stored[name]) {
      $("stored").value = name;
      choose(name);
      for (const input of $("param-fields").querySelectorAll("input")) {
        if (params.has(input.name)) input.value = params.get(input.name);
      }
      run();
    } else if (params.has("query")) {
      $("stored").value = "";
      choose("");
      yasqe.setValue(params.get("query"));
      run();
    }
  }

  function choose(name) {
    const fields = $("param-fields");
    fields.replaceChildren();
    current = name || null;
    if (!name) {
      $("params").hidden = true;
      $("stored-description").textContent = "";
      return;
    }
    const q = stored[name];
    $("stored-description").textContent = q.description;
    yasqe.setValue(q.query);
    $("params").hidden = q.parameters.length === 0;
    for (const p of q.parameters) {
      const id = "param-" + p.name;
      const wrap = document.createElement("div");
      wrap.className = "param";
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = p.name + " (" + p.type + ")" + (p.description ? " — " + p.description : "");
      const input = document.createElement("input");
      input.id = id;
      input.name = p.name;
      input.value = p.default || "";
      input.placeholder = p.default || "";
      wrap.append(label, input);
      fields.appendChild(wrap);
    }
  }

  fetch("/queries", { headers: { Accept: "application/json" } })
    .then((r) => r.json())
    .then((list) => {
      for (const q of list.queries) stored[q.name] = q;
      $("stored").disabled = false;
      document.body.dataset.ready = "true";
      openAddress();
    });
  window.addEventListener("popstate", openAddress);
  $("stored").disabled = true;
  $("stored").addEventListener("change", (e) => choose(e.target.value));
  $("run").addEventListener("click", run);
  yasqe.on("keydown", (_, event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      run();
    }
  });
})();
