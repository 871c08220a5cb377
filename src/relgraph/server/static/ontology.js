// The /ontology page (made by pyLODE): draws the diagram of ontology/README.md with the
// vendored Mermaid, in its strict security level (labels are text, never markup or scripts).
"use strict";
(function () {
  const source = document.getElementById("diagram-source");
  if (!source || typeof mermaid === "undefined") return;
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral", flowchart: { htmlLabels: false } });
  mermaid.run({ nodes: [source] })
    .then(() => { document.body.dataset.diagram = "drawn"; })
    .catch((error) => { document.body.dataset.diagram = "error: " + error.message; });
})();
