// The start page: the SPARQL editor (YASQE, vendored), the stored queries with their
// parameters, a results table whose IRIs link to the server's own pages, and downloads.
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

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      // only a page of this server or an http(s) IRI becomes a link: never javascript:, data: …
      const href = localHref(term.value) || (/^https?:\/\//i.test(term.value) ? term.value : null);
      const a = document.createElement(href ? "a" : "span");
      if (href) a.href = href;
      a.textContent = shortName(term.value);
      a.title = term.value;
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      const span = document.createElement("span");
      span.textContent = term.value;
      if (term["xml:lang"]) span.lang = term["xml:lang"];
      td.appendChild(span);
    }
    return td;
  }

  function renderTable(json) {
    const results = $("results");
    results.replaceChildren();
    if (json.boolean !== undefined) {
      const p = document.createElement("p");
      p.className = "boolean";
      p.textContent = json.boolean ? "yes (true)" : "no (false)";
      results.appendChild(p);
      return 1;
    }
    const vars = json.head.vars;
    const table = document.createElement("table");
    table.className = "results";
    const caption = document.createElement("caption");
    caption.textContent = json.results.bindings.length + " row" + (json.results.bindings.length === 1 ? "" : "s");
    table.appendChild(caption);
    const head = table.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = v;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of json.results.bindings) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(row[v]));
    }
    results.appendChild(table);
    return json.results.bindings.length;
  }

  function renderGraph(text) {
    const pre = document.createElement("pre");
    pre.className = "graph";
    pre.textContent = text;
    $("results").replaceChildren(pre);
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
    status.textContent = "Running…";
    $("run").disabled = true;
    try {
      const response = await fetch(url, init);
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        $("results").replaceChildren();
        $("downloads").replaceChildren();
        status.textContent = "Error " + response.status + ": " + (await response.text());
        return;
      }
      if (type.startsWith("application/sparql-results+json")) {
        const rows = renderTable(await response.json());
        status.textContent = "Done: " + rows + " row" + (rows === 1 ? "" : "s") + ".";
        renderDownloads(base, "results", name);
      } else {
        renderGraph(await response.text());
        status.textContent = "Done.";
        renderDownloads(base, "graph", name);
      }
    } catch (error) {
      status.textContent = "Could not reach the server: " + error;
    } finally {
      $("run").disabled = false;
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
    });
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
