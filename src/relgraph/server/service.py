"""The SPARQL 1.1 Service Description answered by a bare ``GET /sparql``.

See https://www.w3.org/TR/sparql11-service-description/.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from ..formats import RDF_FORMATS, RESULT_FORMATS
from ..vocab import DCTERMS, GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY, bind_prefixes
from .negotiation import GRAPH_OFFERS, RESULT_OFFERS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
"""The entailment regimes of SPARQL 1.1 Entailment Regimes (section 1.3 names their IRIs)."""
OWL_PROFILE = Namespace("http://www.w3.org/ns/owl-profile/")
"""The OWL 2 profiles, named as SPARQL 1.1 Service Description's sd:EntailmentProfile instances."""
ENTAILMENT_NOTE = (
    "The default graph (the union of the named graphs) is closed under the OWL 2 RL/RDF rules: "
    "the inferred graph holds their conclusions, materialized when the graph is built, so basic "
    "graph patterns over it are answered under the OWL 2 RDF-Based Semantics restricted to the "
    "OWL 2 RL profile's rules. Each named graph alone is matched by simple entailment."
)


def service_description(endpoint: str, total: int, sizes: Mapping[URIRef, int]) -> Graph:
    """What the endpoint at ``endpoint`` offers: query language, result formats, its dataset of
    ``total`` triples (the union) in the named graphs of ``sizes`` (name -> triples)."""
    out = Graph()
    bind_prefixes(out)
    out.bind("sd", SD)
    out.bind("void", VOID)
    service = URIRef(endpoint)
    out.add((service, RDF.type, SD.Service))
    out.add((service, SD.endpoint, service))
    out.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    out.add((service, SD.feature, SD.UnionDefaultGraph))
    out.add((service, DCTERMS.title, Literal("relgraph SPARQL endpoint (read-only)", lang="en")))
    out.add((service, DCTERMS.description, Literal(ENTAILMENT_NOTE, lang="en")))
    out.add((service, SD.defaultEntailmentRegime, ENTAILMENT["OWL-RDF-Based"]))
    out.add((service, SD.defaultSupportedEntailmentProfile, OWL_PROFILE.RL))
    out.add((service, SD.supportedEntailmentProfile, OWL_PROFILE.RL))
    out.add((ENTAILMENT["OWL-RDF-Based"], RDF.type, SD.EntailmentRegime))
    out.add((ENTAILMENT.Simple, RDF.type, SD.EntailmentRegime))
    out.add((OWL_PROFILE.RL, RDF.type, SD.EntailmentProfile))
    served = {o.name for o in RESULT_OFFERS} | {o.name for o in GRAPH_OFFERS}
    for entry in (*RESULT_FORMATS, *RDF_FORMATS):
        if entry.w3c and entry.name in served:
            out.add((service, SD.resultFormat, URIRef(entry.w3c)))
    dataset = BNode("dataset")
    out.add((service, SD.defaultDataset, dataset))
    out.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    out.add((dataset, SD.defaultGraph, default))
    out.add((default, RDF.type, SD.Graph))
    out.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))
    for name in (GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED):
        named = BNode(f"graph-{str(name).rsplit('/', 1)[-1]}")
        description = BNode(f"graph-{str(name).rsplit('/', 1)[-1]}-description")
        out.add((dataset, SD.namedGraph, named))
        out.add((named, RDF.type, SD.NamedGraph))
        out.add((named, SD.name, name))
        out.add((named, SD.entailmentRegime, ENTAILMENT.Simple))
        out.add((named, SD.graph, description))
        out.add((description, RDF.type, SD.Graph))
        out.add((description, VOID.triples, Literal(sizes[name], datatype=XSD.integer)))
    return out


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title><link rel="icon" href="/favicon.ico">
{% for alt in alternates %}<link rel="alternate" type="{{ alt.media_type }}" href="{{ alt.href }}">
{% endfor %}</head>
<body><main>
<h1>{{ title }}</h1>
<p>SPARQL 1.1 Query at <code>{{ endpoint }}</code> (GET, POST form, POST <code>application/sparql-query</code>);
this page is its <a href="https://www.w3.org/TR/sparql11-service-description/">service description</a>.</p>
<p>{{ note }}</p>
<dl>
<dt>Default entailment regime</dt><dd><a href="{{ regime }}">{{ regime }}</a> (profile <a href="{{ profile }}">{{ profile }}</a>)</dd>
<dt>Default graph</dt><dd>the union of the named graphs: {{ total }} triples</dd>
</dl>
<h2>Named graphs</h2>
<table><thead><tr><th>Name</th><th>Triples</th></tr></thead><tbody>
{% for name, size in graphs %}<tr><td><code>{{ name }}</code></td><td>{{ size }}</td></tr>
{% endfor %}</tbody></table>
<h2>Result formats</h2>
<ul>{% for fmt in formats %}<li><a href="{{ fmt }}">{{ fmt.rsplit('/', 1)[-1] }}</a></li>{% endfor %}</ul>
<h2>This description as RDF</h2>
<ul>{% for alt in alternates %}<li><a href="{{ alt.href }}">{{ alt.media_type }}</a></li>{% endfor %}</ul>
</main></body></html>
"""


def render_html(endpoint: str, total: int, sizes: Mapping[URIRef, int], alternates) -> bytes:
    """The service description as a page for people (what a browser's ``Accept`` gets);
    ``alternates`` are (media type, href) of the RDF forms."""
    from jinja2 import Environment

    description = service_description(endpoint, total, sizes)
    service = URIRef(endpoint)
    template = Environment(autoescape=True).from_string(_HTML)
    return template.render(
        title=str(description.value(service, DCTERMS.title)), endpoint=endpoint, note=ENTAILMENT_NOTE,
        regime=str(description.value(service, SD.defaultEntailmentRegime)),
        profile=str(description.value(service, SD.defaultSupportedEntailmentProfile)), total=total,
        graphs=[(str(name), sizes[name]) for name in (GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED)],
        formats=sorted(str(f) for f in description.objects(service, SD.resultFormat)),
        alternates=[{"media_type": media, "href": href} for media, href in alternates],
    ).encode("utf-8")
