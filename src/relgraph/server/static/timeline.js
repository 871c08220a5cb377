// The timeline: the Vega-Lite specification the server builds from the graph, drawn by the
// vendored vega-embed. Expressions run in vega-interpreter, so no eval is needed (the page's
// Content-Security-Policy forbids it); the actions menu offers "Save as SVG" and "Save as PNG" only.
"use strict";
(function () {
  const box = document.getElementById("timeline-chart");
  const button = document.getElementById("timeline-svg");
  if (!box) return;
  fetch(box.dataset.spec, { headers: { Accept: "application/json" } })
    .then((response) => {
      if (!response.ok) throw new Error("the timeline's data: HTTP " + response.status);
      return response.json();
    })
    .then((spec) => {
      // narrow screens: row labels take at most half the width, so the axis keeps room
      const limit = Math.max(120, Math.min(360, Math.floor(box.clientWidth * 0.45)));
      spec.encoding.y.axis.labelLimit = limit;
      if (box.clientWidth < 560) spec.encoding.color.legend.columns = 1;  // fits under the narrow plot
      return vegaEmbed(box, spec, {
        renderer: "svg",
        ast: true,
        expr: vegaInterpreter.expressionInterpreter,
        actions: { export: true, source: false, compiled: false, editor: false },
        downloadFileName: "relgraph-timeline",
      });
    })
    .then((result) => {
      button.disabled = false;
      button.addEventListener("click", async () => {
        const url = await result.view.toImageURL("svg");
        const a = document.createElement("a");
        a.href = url;
        a.download = "relgraph-timeline.svg";
        document.body.appendChild(a);
        a.click();
        a.remove();
      });
      box.dataset.ready = "true";
    })
    .catch((error) => {
      box.textContent = "The timeline could not be drawn: " + error.message;
      box.dataset.ready = "error";
    });
})();
