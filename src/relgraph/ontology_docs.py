"""The ontology documented for people: an HTML page made by pyLODE (its OntPub profile) from
``ontology/*.ttl``, with each class's SHACL shapes (from ``ontology/shapes.ttl``) listed in its
entry, and the diagram of ``ontology/README.md``.

pyLODE runs offline (its background ontologies ship with it; nothing is fetched). It takes
seconds, so the page is kept in ``.relgraph-cache/ontology-<digest>.html``, named by a digest of
the ontology, the shapes, the README, this module and the versions of relgraph and pyLODE: a changed input
gives a new file, and the page is made once per change, not per request.

>>> from relgraph.ontology_docs import markdown_text
>>> markdown_text("at most 1 <b>date</b> *here*")
'at most 1 &lt;b&gt;date&lt;/b&gt; \\\\*here\\\\*'
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR, _version, input_digest, keep_only

README = "README.md"
_MERMAID = re.compile(r"^```mermaid\n(.*?)^```", re.S | re.M)
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~-])")


@dataclass(frozen=True)
class OntologyPage:
    """The documentation page and where it is kept."""

    html: bytes
    path: Path
    made: bool
    """True if it was generated now, False if read from the cache."""


def markdown_text(text: str) -> str:
    """``text`` as literal text inside Markdown that pyLODE turns into HTML: HTML escaped, and
    Markdown's special characters backslash-escaped (a message from the data never becomes markup)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def ontology_inputs(root: Path) -> list[Path]:
    """The files the page is made from: every ``ontology/*.ttl`` (shapes included) and the
    ontology's README (for its diagram)."""
    folder = Path(root) / "ontology"
    files = sorted(folder.glob("*.ttl"))
    if (folder / README).is_file():
        files.append(folder / README)
    return files


def diagram_source(root: Path) -> str | None:
    """The Mermaid source of the first diagram in ``ontology/README.md``, or None."""
    readme = Path(root) / "ontology" / README
    if not readme.is_file():
        return None
    match = _MERMAID.search(readme.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def cache_path(root: Path) -> Path:
    """Where the page of the project at ``root`` is kept: named by the digest of its inputs,
    pyLODE's version and this module's own code (which shapes the page)."""
    root = Path(root)
    digest = hashlib.sha256(f"{input_digest(ontology_inputs(root))}\npylode {_version('pylode')}\n".encode()
                            + Path(__file__).read_bytes()).hexdigest()
    return root / CACHE_DIR / f"{_PAGE}{digest[:32]}.html"


_PAGE = "ontology-"


def cached_page(root: Path) -> OntologyPage | None:
    """The page if it was made before from the same inputs, else None (nothing is made)."""
    path = cache_path(root)
    try:
        return OntologyPage(path.read_bytes(), path, False)
    except OSError:
        return None


def ontology_page(root: Path) -> OntologyPage:
    """The page for the project at ``root``: from the cache if made before from the same inputs,
    else made now (and kept; a cache that cannot be written is no error)."""
    cached = cached_page(root)
    if cached is not None:
        return cached
    path = cache_path(root)
    body = make_html(Path(root))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".ontology-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temporary, path)
    except OSError:
        pass
    else:
        keep_only(path, _PAGE)
    return OntologyPage(body, path, True)


def make_html(root: Path) -> bytes:
    """Run pyLODE over the project's ontology, with its shapes, anchors and diagram added."""
    from dominate.tags import a, code, div, h2, p, pre, script, span
    from pylode import OntPub
    from rdflib import Graph

    from .project import Project

    project = Project.discover(root)
    ontology = Graph()
    for path in project.ontology_files:
        ontology.parse(path, format="turtle")
    shapes = Graph()
    if project.shapes_file is not None:
        shapes.parse(project.shapes_file, format="turtle")
    documented = documentation_graph(ontology, shapes)
    doc = OntPub(ontology=documented, sort_subjects=True)
    doc.make_html()

    namespace = _namespace(ontology)
    anchors = {fid: iri[len(namespace):] for iri, fid in doc.fids.items()
               if namespace and str(iri).startswith(namespace)}
    for element in _walk(doc.doc):
        if element.attributes.get("id") == "schema.org":  # its JSON-LD, in a stable order
            element.children[:] = [_sorted_json_ld(str(child)) for child in element.children]
            continue
        name = element.attributes.get("id")
        local = anchors.get(name)
        if local is not None and local != name:
            element.children.insert(0, span(id=local, _class="term-anchor"))
        href = element.attributes.get("href", "")
        if namespace and href.startswith(namespace) and len(href) > len(namespace):
            element.attributes["href"] = "#" + href[len(namespace):]

    source = diagram_source(root)
    if source is not None:
        figure = div(h2("Diagram: the main classes and how they connect"),
                     p("From ", code("ontology/README.md"), ", drawn by the vendored Mermaid."),
                     pre(source, _class="mermaid", id="diagram-source"),
                     id="diagram", _class="section")
        doc.content.children.insert(1, figure)
        doc.doc.body.add(script(src="/static/vendor/mermaid/mermaid.min.js"))
        doc.doc.body.add(script(src="/static/ontology.js"))
    doc.doc.body.children.insert(0, div(a("relgraph", href="/"), " · ", a("Query", href="/#query"), " · ",
                                        a("Timeline", href="/#timeline"), " · ", a("Search", href="/search"),
                                        " · ontology as ", a("Turtle", href="/ontology.ttl"),
                                        _class="relgraph-nav"))
    return doc.doc.render().encode("utf-8")


def _sorted_json_ld(text: str) -> str:
    """pyLODE's schema.org JSON-LD with its nodes sorted by ``@id`` (rdflib writes them in set order)."""
    import json

    data = json.loads(text)
    if isinstance(data, list):
        data = sorted(data, key=lambda node: json.dumps(node, sort_keys=True))
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def _walk(element):
    yield element
    for child in getattr(element, "children", ()):
        if hasattr(child, "attributes"):
            yield from _walk(child)


def _namespace(ontology) -> str:
    from rdflib.namespace import OWL, RDF

    for iri in ontology.subjects(RDF.type, OWL.Ontology):
        return str(iri) + "#"
    return ""


def documentation_graph(ontology, shapes):
    """A copy of ``ontology`` shaped for pyLODE: labels and definitions in English (pyLODE would
    run every language together), no ``skos:ConceptScheme`` type (pyLODE would document a scheme
    as the ontology itself), the other languages' labels and the SHACL shapes of each class
    (``sh:targetClass``) and property (``sh:targetSubjectsOf``) as an ``skos:note`` it renders."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, RDFS, SH, SKOS

    out = Graph()
    for prefix, namespace in ontology.namespaces():
        out.bind(prefix, namespace)
    for prefix, namespace in shapes.namespaces():
        out.bind(prefix, namespace, override=False)
    others: dict = {}
    for s, p, o in ontology:
        if p == RDF.type and o == SKOS.ConceptScheme:
            continue  # pyLODE would take a concept scheme inside the ontology for the ontology (its title, its metadata)
        if isinstance(o, Literal) and o.language not in (None, "en"):
            if p in (RDFS.label, SKOS.prefLabel):
                others.setdefault(s, []).append(o)
            continue
        out.add((s, p, o))

    def short(node) -> str:
        try:
            return out.namespace_manager.normalizeUri(node)
        except ValueError:
            return f"<{node}>"

    notes: dict = {}
    for target_kind in (SH.targetClass, SH.targetSubjectsOf):
        for shape, term in shapes.subject_objects(target_kind):
            comment = shapes.value(shape, RDFS.comment)
            lines = [f"- `{short(shape)}`" + (f": {markdown_text(str(comment))}" if comment is not None else "")]
            for prop in sorted(shapes.objects(shape, SH.property)):
                path = shapes.value(prop, SH.path)
                where = f"`{short(path)}`" if isinstance(path, URIRef) else "(a property path)"
                message = min((str(m) for m in shapes.objects(prop, SH.message)), default=None)
                lines.append(f"    - {where}" + (f": {markdown_text(message)}" if message else ""))
            for constraint in sorted(shapes.objects(shape, SH.sparql)):
                message = min((str(m) for m in shapes.objects(constraint, SH.message)), default=None)
                where = f"SPARQL `{short(constraint)}`" if isinstance(constraint, URIRef) else "a SPARQL constraint"
                lines.append(f"    - {where}" + (f": {markdown_text(message)}" if message else ""))
            notes.setdefault(term, []).append("\n".join(lines))
    for term, entries in notes.items():
        if (term, None, None) not in out:
            continue
        out.add((term, SKOS.note, Literal(
            "**SHACL shapes** (`ontology/shapes.ttl`) that check it:\n\n" + "\n".join(sorted(entries)) + "\n")))
    for term, labels in others.items():
        if (term, None, None) in out:
            shown = " · ".join(f"{markdown_text(str(label))} ({label.language})"
                               for label in sorted(labels, key=lambda l: (l.language, str(l))))
            out.add((term, SKOS.note, Literal(f"**Also called:** {shown}")))
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m relgraph.ontology_docs ROOT``: make (or read) the page of the project at ROOT
    and write it to stdout. The server runs this in a child process, so that pyLODE's seconds
    of work never hold the server's own interpreter."""
    import sys

    from .errors import RelgraphError

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m relgraph.ontology_docs PROJECT_ROOT", file=sys.stderr)
        return 2
    try:
        page = ontology_page(Path(args[0]))
    except RelgraphError as error:
        print(f"relgraph: error: {error}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(page.html)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
