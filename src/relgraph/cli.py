"""The ``relgraph`` command: thin commands over the library.

Each command parses its arguments, calls the library, writes data to stdout and
diagnostics to stderr, and picks the exit code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import EXIT_CHECK_FAILED, EXIT_INTERNAL, EXIT_OK, ParameterError, RelgraphError
from .formats import rdf_format_names, result_format_names
from .progress import Progress
from .project import Project

# Each command imports what it uses when it runs: `relgraph query` answers from the project's
# Oxigraph store without loading rdflib, owlrl or pyshacl (tests/test_query_path.py).

ENGINES = ("owlrl", "reasonable")
"""``reason.ENGINES`` (a test keeps them equal)."""
RELEASE_KINDS = ("full", "ntriples")
"""``relgraph.build.RELEASES`` (a test keeps them equal)."""
VALIDATORS = ("store", "pyshacl")
"""``relgraph.build.VALIDATORS`` (a test keeps them equal)."""


def _version() -> str:
    from . import __version__

    return __version__

EXIT_CODES = """\b
Exit codes:
  0  success; every check passed
  1  a check failed: data does not conform, is inconsistent, or coverage is incomplete
  2  bad input or usage: unreadable or malformed file, unknown query, bad parameter
  3  internal error (set RELGRAPH_DEBUG=1 for the traceback)
"""


class _Group(click.Group):
    """Turns every relgraph error into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # the reader of stdout went away (`relgraph export | head`): not an error of ours;
            # point stdout at devnull so the interpreter's final flush does not fail again
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_OK)
        except RelgraphError as error:
            click.echo(f"relgraph: error: {error}", err=True)
            ctx.exit(error.exit_code)
        except Exception as error:  # the one boundary where anything else is caught
            if os.environ.get("RELGRAPH_DEBUG"):
                import traceback

                traceback.print_exc()
            click.echo(f"relgraph: internal error: {type(error).__name__}: {error}", err=True)
            ctx.exit(EXIT_INTERNAL)


def _write(data: bytes | str) -> None:
    click.echo(data, nl=False)


@click.group(cls=_Group, epilog=EXIT_CODES)
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project directory (with ontology/ and data/).",
)
@click.version_option(package_name="relgraph", prog_name="relgraph")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path) -> None:
    """Turn what documents say about relations between states into an RDF knowledge graph."""
    if ctx.invoked_subcommand != "query":  # query quiets it on the paths that load rdflib
        _quiet_rdflib()
    ctx.obj = project_dir


def _quiet_rdflib() -> None:
    """An ill-formed literal ("1991-13-45"^^xsd:date) is reported by validation, naming the file
    and the node; rdflib's own warning for it, a traceback on stderr, would only repeat it.
    Called when a command starts, not at import: ``relgraph query`` answered from the cached
    store loads neither rdflib nor ``logging`` (tests/test_query_path.py)."""
    import logging

    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


_STORE = click.option(
    "--store",
    "store_spec",
    default="memory",
    show_default=True,
    metavar="SPEC",
    help="Where the graphs live: memory, oxigraph:PATH (embedded, kept on disk) or sparql:URL "
    "(a SPARQL 1.1 store). A store is loaded only when the project's inputs have changed.",
)


def _progress() -> Progress:
    return Progress()


def _project(ctx: click.Context) -> Project:
    return Project.discover(ctx.obj)


@cli.command("build", epilog=EXIT_CODES)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Release directory [default: PROJECT/build].")
@click.option(
    "--store",
    "store_spec",
    metavar="SPEC",
    help="Where the graphs are loaded, reasoned over and validated: memory, oxigraph:PATH (embedded, "
    "kept on disk) or sparql:URL (a SPARQL 1.1 store) [default: the project's own Oxigraph store in "
    ".relgraph-cache/, the one `relgraph query` answers from, loaded only when an input has changed].",
)
@click.option(
    "--reasoner",
    type=click.Choice(ENGINES),
    help="OWL 2 RL engine: owlrl (the reference) or reasonable (fast; the same inferences, tested) "
    "[default: reasonable].",
)
@click.option(
    "--validator",
    type=click.Choice(VALIDATORS),
    default="store",
    show_default=True,
    help="SHACL validator: store (SPARQL in the store; pyshacl's report, tested) or pyshacl (the validator of record).",
)
@click.option(
    "--release",
    type=click.Choice(RELEASE_KINDS),
    help="What is written: full (Turtle, N-Triples, JSON-LD and its context, inferred Turtle, TriG) or "
    "ntriples (relgraph.nt and inferred.nt, the store's own dump: for graphs too large for memory) "
    "[default: full; ntriples with a store other than memory].",
)
@click.pass_context
def build_command(
    ctx: click.Context, out_dir: Path | None, store_spec: str | None, reasoner: str | None, validator: str, release: str | None
) -> None:
    """Load, reason, validate, and write the release if consistent and conforming.

    One pipeline over every store: the data files are loaded into the store, reasoned over
    and validated there, and the release is written from the store.
    """
    from .build import build
    from .stores import open_store
    from .validation.reference import render_text

    project = _project(ctx)
    out_dir = out_dir or project.root / "build"
    options = dict(out_dir=out_dir, engine=reasoner or "reasonable", validator=validator)
    if store_spec is None:  # quiet, as a project's build is short
        summary = build(project, release=release or "full", **options)
    else:
        with open_store(store_spec) as store:
            summary = build(
                project, store, release=release or ("full" if store_spec == "memory" else "ntriples"),
                progress=_progress(), **options,
            )
    lines = [
        f"asserted triples: {summary.asserted_triples}",
        f"inferred triples: {summary.inferred_triples}",
        f"consistent: {'yes' if summary.reasoning.consistent else 'no'}",
        f"conforms: {'yes' if summary.validation.conforms else 'no'}",
        "classes:",
        *(f"  {name}: {count}" for name, count in summary.class_counts),
    ]
    _write("\n".join(lines) + "\n")
    for problem in summary.reasoning.problems:
        click.echo(f"inconsistent: {problem}", err=True)
    if summary.validation.violations:
        click.echo(render_text(summary.validation), err=True, nl=False)
    click.echo("timings: " + ", ".join(f"{step} {seconds:.2f}s" for step, seconds in summary.timings), err=True)
    if not summary.ok:
        click.echo(f"relgraph: build failed; nothing written to {summary.out_dir}", err=True)
        ctx.exit(EXIT_CHECK_FAILED)
    click.echo(f"wrote {len(summary.written)} files to {summary.out_dir}", err=True)
    if store_spec is not None:
        click.echo(f"loaded into store {store_spec}", err=True)


@cli.command("validate", epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True)
@click.option(
    "--store",
    "store_spec",
    default=None,
    metavar="SPEC",
    help="Where the graphs live: memory (pyshacl, the validator of record), oxigraph:PATH or sparql:URL "
    "[default: the project's own Oxigraph store in .relgraph-cache/, validated there; PATHS with pyshacl].",
)
@click.pass_context
def validate_command(ctx: click.Context, paths: tuple[Path, ...], fmt: str, store_spec: str | None) -> None:
    """Check the data (or the Turtle files PATHS) against the project's SHACL shapes.

    With a store other than memory, the project's data is validated inside the store (the
    SHACL subset relgraph's shapes use, translated to SPARQL, giving pyshacl's report);
    PATHS then cannot be given.
    """
    from .project_store import open_project_store, validate_project
    from .validation.in_store import validate_in_store
    from .validation.reference import render_json, render_text, render_turtle, validate

    project = _project(ctx)
    report = None
    if store_spec is None and not paths:
        report = validate_project(project, shapes=project.load_shapes())
    if report is None and store_spec not in (None, "memory"):
        if paths:
            raise ParameterError("--store", "validate PATHS with the memory store; a store holds the project's data")
        loaded = project.load()
        with open_project_store(project, store_spec, progress=_progress()) as store:
            report = validate_in_store(store, shapes=project.load_shapes(), stated_in_file=loaded.stated_in_file)
    elif report is None:  # PATHS, --store memory, or no store in the cache folder: pyshacl
        loaded = project.load(data_files=paths or None)
        report = validate(
            data=loaded.asserted, ontology=loaded.ontology, shapes=project.load_shapes(), stated_in_file=loaded.stated_in_file
        )
    render = {"text": render_text, "json": render_json, "turtle": render_turtle}[fmt]
    _write(render(report))
    ctx.exit(EXIT_OK if report.conforms else EXIT_CHECK_FAILED)


def _graphs_with_inferences(project: Project, store_spec: str):
    """The ontology, and the asserted and inferred triples in one graph, from ``store_spec``.

    Linking and the Wikidata profiles look at every entity, so a store's graphs are read into
    memory (a copy; the store is not changed).
    """
    from .build import inferred_for
    from .project_store import open_project_store
    from .queries import Catalogue
    from .vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

    if store_spec == "memory":
        loaded = project.load()
        return loaded.ontology, loaded.asserted + inferred_for(project, loaded, Catalogue.load(project.queries_dir))
    with open_project_store(project, store_spec, progress=_progress()) as store:
        return store.graph(GRAPH_ONTOLOGY), store.graph(GRAPH_ASSERTED) + store.graph(GRAPH_INFERRED)


@cli.command("query", epilog=EXIT_CODES)
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(set(result_format_names()) | set(rdf_format_names(datasets=False)))),
    help="table|csv|tsv|json|xml for SELECT/ASK [table]; turtle|nt|jsonld|xml for CONSTRUCT/DESCRIBE [turtle].",
)
@click.option("--list", "list_", is_flag=True, help="List the stored queries and their parameters.")
@click.option(
    "--store",
    "store_spec",
    default=None,
    metavar="SPEC",
    help="Where the graphs live: memory, oxigraph:PATH or sparql:URL [default: the project's own "
    "Oxigraph store, kept in .relgraph-cache/ and made again only when an input changes].",
)
@click.pass_context
def query_command(
    ctx: click.Context, name: str | None, params: tuple[str, ...], fmt: str | None, list_: bool, store_spec: str | None
) -> None:
    """Run the stored query NAME (or the .rq file NAME) over ontology, data and inferences."""
    from .queries import Catalogue, load_query, parse_assignments

    project = _project(ctx)
    if list_:
        catalogue = Catalogue.load(project.queries_dir)
        rows = [
            (q.name, q.title, ", ".join(f"{p.name}: {p.type}" + (f" = {p.default}" if p.default else "") for p in q.params))
            for q in catalogue.list()
        ]
        width = max((len(r[0]) for r in rows), default=0)
        _write("".join(f"{n.ljust(width)}  {t}" + (f"  ({p})" if p else "") + "\n" for n, t, p in rows))
        return
    if name is None:
        raise click.UsageError("give a query NAME or FILE, or --list")
    parsed = parse_assignments(params)
    if store_spec is None:
        data = _answer_from_project(project, name, parsed, fmt)
        if data is not None:
            _write(data)
            return
        store_spec = "memory"  # the cache folder cannot hold a store: answered in memory
    _quiet_rdflib()
    from .results import run_query, serialize_result

    query = _stored_query(project, name, check=True)
    if store_spec == "memory":
        from .build import inferred_for, query_dataset

        loaded = project.load()
        catalogue = Catalogue.load(project.queries_dir)
        result = run_query(query, query_dataset(loaded, inferred_for(project, loaded, catalogue)), params=parsed)
    else:
        from .project_store import open_project_store

        with open_project_store(project, store_spec, progress=_progress()) as store:
            result = store.query(query, params=parsed)
    default = "turtle" if result.graph is not None else "table"
    _write(serialize_result(result, format=fmt or default))


def _stored_query(project: Project, name: str, *, check: bool):
    """The query NAME names: a ``.rq`` file, or a stored query of the project. With ``check``
    it is parsed (QuerySyntaxError); QueryNotFound lists the stored ones."""
    from .queries import Catalogue, load_query, query_file, read_query

    path = query_file(project.queries_dir, name)
    if not path.is_file() and not name.endswith(".rq"):
        Catalogue.load(project.queries_dir).get(name)  # QueryNotFound with the names
    return load_query(path) if check else read_query(path)


def _answer_from_project(project: Project, name: str, params: dict[str, str], fmt: str | None) -> bytes | None:
    """The answer from the project's cached Oxigraph store, or None if it cannot be kept: by
    the fast path when the store is there and takes the query, else with rdflib quieted."""
    from .project_store import answer_from_cache, quick_answer

    query = _stored_query(project, name, check=False)
    data = quick_answer(project, query, params, format=fmt)
    if data is None:
        _quiet_rdflib()
        data = answer_from_cache(project, query, params, format=fmt)
    return data


@cli.command("export", epilog=EXIT_CODES)
@click.option(
    "--profile",
    type=click.Choice(["relgraph", "wikidata", "quickstatements"]),
    default="relgraph",
    show_default=True,
    help="relgraph: the graph as it is; wikidata: Wikidata's RDF model (wd:, wdt:, p:/ps:/pq:, references); "
    "quickstatements: QuickStatements V1 commands proposing the sourced facts, for a person to review.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "jsonld", "nt", "trig"]),
    help="[default: turtle] The wikidata profile takes turtle or nt; quickstatements has its own format.",
)
@click.option("--with-inferred", is_flag=True, help="Include the inferred triples (in their own graph for trig); the wikidata and quickstatements profiles always use them.")
@click.option(
    "--with-implied",
    is_flag=True,
    help="quickstatements: also propose the statements that rest on context (rg:basis other than rg:Stated), each after a # implied line; left out by default.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default=Path("-"), help="File to write [default: stdout].")
@_STORE
@click.pass_context
def export_command(
    ctx: click.Context,
    profile: str,
    fmt: str | None,
    with_inferred: bool,
    with_implied: bool,
    output: Path,
    store_spec: str,
) -> None:
    """Serialize the ontology and asserted data (and optionally the inferences), or a profile of them."""
    from .build import export_project, inferred_for
    from .export import write_atomic
    from .project_store import open_project_store
    from .queries import Catalogue
    from .vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

    project = _project(ctx)
    if with_implied and profile == "relgraph":
        raise ParameterError("with-implied", "only the quickstatements profile leaves implied statements out; the relgraph profile keeps every rg:basis")
    if profile == "relgraph" and store_spec != "memory":
        graphs = (GRAPH_ONTOLOGY, GRAPH_ASSERTED, *((GRAPH_INFERRED,) if with_inferred else ()))
        with open_project_store(project, store_spec, progress=_progress()) as store:
            data = store.export(format=fmt or "turtle", graphs=graphs)
    elif profile == "relgraph":
        loaded = project.load()
        inferred = inferred_for(project, loaded, Catalogue.load(project.queries_dir)) if with_inferred else None
        data = export_project(loaded, format=fmt or "turtle", inferred=inferred)
    else:
        from .link import quickstatements, serialize_wikidata, wikidata_view

        if profile == "quickstatements" and fmt is not None:
            raise ParameterError("format", "the quickstatements profile has its own format; omit --format")
        if with_implied and profile != "quickstatements":
            raise ParameterError("with-implied", "only the quickstatements profile leaves implied statements out; the wikidata profile marks them (rg:basis)")
        ontology, graph = _graphs_with_inferences(project, store_spec)
        view = wikidata_view(ontology=ontology, data=graph)
        if profile == "wikidata":
            data = serialize_wikidata(view, format=fmt or "turtle")
        else:
            data = quickstatements(view, with_implied=with_implied).render(version=_version()).encode("utf-8")
    if str(output) == "-":
        _write(data)
    else:
        write_atomic(output, data)


@cli.command("new", epilog=EXIT_CODES)
@click.argument("slug")
@click.option("--text", "text_file", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The document's text (UTF-8), copied byte for byte to source.txt.")
@click.option("--title", required=True, help="The document's title (English).")
@click.option("--url", required=True, help="Where the text comes from (an absolute IRI).")
@click.option("--license", "license_", metavar="IRI", help="The IRI of the text's license.")
@click.option("--retrieved", type=click.DateTime(formats=["%Y-%m-%d"]), help="The date the text was retrieved (YYYY-MM-DD), for ATTRIBUTION.md.")
@click.pass_context
def new_command(ctx: click.Context, slug: str, text_file: Path, title: str, url: str, license_: str | None, retrieved) -> None:
    """Create data/SLUG/ with source.txt, ATTRIBUTION.md and document.ttl (its sentences are generated)."""
    from .curation.scaffold import new_document

    made = new_document(
        _project(ctx).root / "data", slug, text_file=text_file, title=title, url=url, license=license_,
        retrieved=retrieved.date() if retrieved else None,
    )
    click.echo(f"created {made.folder}: {', '.join(made.files)}; {made.sentences} sentences", err=True)


@cli.command("review", epilog=EXIT_CODES)
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def review_command(ctx: click.Context, slug: str, fmt: str) -> None:
    """Show data/SLUG sentence by sentence: what is curated, and the draft's candidates."""
    from .curation import review

    result = review.review(_project(ctx).load(), slug)
    _write((review.render_text if fmt == "text" else review.render_json)(result))


def _curation_ids(ids: tuple[str, ...], all_: bool):
    return {"ids": ids, "all_": all_}


@cli.command("accept", epilog=EXIT_CODES)
@click.argument("slug")
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "all_", is_flag=True, help="Every candidate of the draft.")
@click.pass_context
def accept_command(ctx: click.Context, slug: str, ids: tuple[str, ...], all_: bool) -> None:
    """Move candidates of data/SLUG/draft.ttl into entities.ttl / facts.ttl, without their draft marks."""
    from .curation.accept import accept

    change = accept(_project(ctx), slug, **_curation_ids(ids, all_))
    for cid, target in change.targets:
        click.echo(f"accepted {cid} -> {target}", err=True)
    click.echo(f"{len(change.candidates)} accepted, {change.remaining} left in the draft", err=True)


@cli.command("reject", epilog=EXIT_CODES)
@click.argument("slug")
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "all_", is_flag=True, help="Every candidate of the draft.")
@click.pass_context
def reject_command(ctx: click.Context, slug: str, ids: tuple[str, ...], all_: bool) -> None:
    """Drop candidates from data/SLUG/draft.ttl."""
    from .curation.accept import reject

    change = reject(_project(ctx), slug, **_curation_ids(ids, all_))
    for candidate in change.candidates:
        click.echo(f"rejected {candidate.id}", err=True)
    click.echo(f"{len(change.candidates)} rejected, {change.remaining} left in the draft", err=True)


@cli.command("coverage", epilog=EXIT_CODES)
@click.argument("source", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def coverage_command(ctx: click.Context, source: str | None, fmt: str) -> None:
    """Show each sentence of the sources (or of SOURCE) with the facts derived from it."""
    from .coverage import coverage, select_documents
    from .coverage import render_json as coverage_json
    from .coverage import render_text as coverage_text

    loaded = _project(ctx).load()
    documents = None if source is None else select_documents(loaded.local_copies, source)
    report = coverage(loaded.asserted, loaded.local_copies, documents=documents)
    _write((coverage_text if fmt == "text" else coverage_json)(report))
    ctx.exit(EXIT_OK if report.complete else EXIT_CHECK_FAILED)


@cli.command("draft", epilog=EXIT_CODES)
@click.argument("slug")
@click.pass_context
def draft_command(ctx: click.Context, slug: str) -> None:
    """Propose the entities and facts of data/SLUG/source.txt as data/SLUG/draft.ttl, to review."""
    from .curation.draft import draft  # spaCy loads only for this command

    _write(draft(_project(ctx), slug).render())


def _base_iri(value: str | None):
    """``--base-iri``, checked (click's usage error, exit 2, otherwise)."""
    if value is None:
        return None
    from .server.linked_data import BaseIri

    try:
        return BaseIri.parse(value)
    except ParameterError as error:
        raise click.BadParameter(str(error).split(": ", 1)[-1]) from None


@cli.command("serve", epilog=EXIT_CODES)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback unless told otherwise).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds a query may run; then it is stopped (503).")
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="Query worker processes kept ready [default: the CPU cores + 1, at most 8].")
@click.option("--max-workers", default=8, show_default=True, type=click.IntRange(1, 256), help="Most query worker processes at once (more are forked when every busy one runs a long query).")
@click.option("--per-client", default=5, show_default=True, type=click.IntRange(1), help="Requests one client address may have in flight (429 beyond).")
@click.option("--header-timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds a client has to send a request's headers; then the connection is closed.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1), help="Most rows or triples in one answer (422 beyond).")
@click.option("--max-body", default=1_000_000, show_default=True, type=click.IntRange(1), help="Largest request body in bytes (413 beyond).")
@click.option("--cache-mb", default=64, show_default=True, type=click.IntRange(0), help="Megabytes of answers kept for repeated requests (0: none).")
@click.option("--base-iri", default=None, metavar="IRI", callback=lambda ctx, param, value: _base_iri(value),
              help="The public URL the server is reached at (e.g. https://example.org/relgraph/): answers spell the "
                   "graph's https://w3id.org/relgraph/ IRIs under it, requests' IRIs under it are read as the graph's, "
                   "and paths below it are served (see README, 'The SPARQL endpoint').")
@click.option(
    "--store",
    "store_spec",
    default=None,
    metavar="SPEC",
    help="Where the graphs live: memory (rdflib, in the server), oxigraph:PATH or sparql:URL [default: the "
    "project's own Oxigraph store, kept in .relgraph-cache/ as relgraph query keeps it, and made again only "
    "when an input changes; memory if the cache folder cannot hold it].",
)
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, timeout: float, workers: int | None, max_workers: int,
                  per_client: int, header_timeout: float, max_rows: int, max_body: int, cache_mb: int,
                  store_spec: str | None, base_iri=None) -> None:
    """Serve the graph: SPARQL endpoint, stored queries, Linked Data pages and a web page.

    By default from the project's own Oxigraph store (as relgraph query answers); with a store
    other than memory, queries run in the store and pages read only what they show.
    """
    import uvicorn

    from .server import ServerConfig, create_app
    from .server.listen import header_timeout_protocol, listening_socket
    from .server.runtime import default_workers

    workers = default_workers() if workers is None else workers
    config = ServerConfig(
        project=ctx.obj, timeout=timeout, workers=workers, max_workers=max(workers, max_workers),
        per_client=per_client, max_rows=max_rows, max_body=max_body, cache_bytes=cache_mb * 1024 * 1024,
        store=store_spec,
    )
    sock = listening_socket(host, port)  # before the graph loads: a port in use is said at once
    app = create_app(config, base_iri=base_iri)
    served = app.state.relgraph.backend.spec
    where = " in memory" if served == "memory" else f" from store {served}"
    click.echo(f"relgraph: serving {config.project.resolve()}{where} at http://{host}:{sock.getsockname()[1]}/", err=True)
    if base_iri is not None:
        click.echo(f"relgraph: IRIs answered under {base_iri.public}", err=True)
    uvicorn.Server(uvicorn.Config(app, http=header_timeout_protocol(header_timeout), log_level="warning", access_log=False,
                                  timeout_graceful_shutdown=5)).run(sockets=[sock])


@cli.command("link", epilog=EXIT_CODES.replace("coverage is incomplete", "coverage is incomplete, a link is contradicted"))
@click.option("--against", "source", required=True, metavar="SOURCE", help="A Wikidata-style dataset: a .nt, .ttl or .json (Wikidata JSON dump, one entity per line) file, optionally .gz/.bz2, or a SPARQL endpoint URL.")
@click.option("--threshold", default=90, show_default=True, type=click.IntRange(0, 100), help="Lowest score (0-100) of an automatic match.")
@click.option("--margin", default=10, show_default=True, type=click.IntRange(0, 100), help="Lead an automatic match needs over the runner-up.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default=Path("-"), help="Links file (Turtle) to write [default: stdout].")
@click.option("--review", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), help="CSV file for the entities to review, with their candidates and scores.")
@click.option("--date", "run_date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date recorded in the links' provenance [default: today].")
@click.option("--claims", is_flag=True, help="Instead of linking entities: sort every Wikidata-shaped claim of the graph into present, missing or conflicting (other value or date) in the dataset; -o gets the CSV, the summary goes to stderr (exit 1 if a claim conflicts).")
@click.option("--quickstatements", "qs_output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), help="With --claims: also write the QuickStatements proposal to this file.")
@click.option("--only-missing", is_flag=True, help="With --quickstatements: propose only the claims the dataset lacks.")
@_STORE
@click.pass_context
def link_command(ctx: click.Context, source: str, threshold: int, margin: int, output: Path, review: Path | None, run_date,
                 claims: bool, qs_output: Path | None, only_missing: bool, store_spec: str) -> None:
    """Find each entity's item in a Wikidata-style dataset (OpenRefine-style reconciliation).

    Matches above --threshold with a clear lead go to the links file; the rest, and the links of
    the data that the dataset contradicts, go to the --review file. data/ is never changed.
    With --claims, report what the dataset lacks of the graph's claims instead.
    """
    import datetime

    from .export import write_atomic
    from .link import link_graph, render_links_turtle, render_review_csv, render_summary

    if not claims and (qs_output is not None or only_missing):
        raise ParameterError("quickstatements" if qs_output is not None else "only-missing", "needs --claims")
    if only_missing and qs_output is None:
        raise ParameterError("only-missing", "limits the --quickstatements proposal; give --quickstatements FILE")
    if claims and review is not None:
        raise ParameterError("review", "--claims writes its report to -o; --review is for linking entities")
    ontology, data = _graphs_with_inferences(_project(ctx), store_spec)
    if claims:
        ctx.exit(_claims_report(ontology, data, source, output, qs_output, only_missing))
    report = link_graph(
        ontology, data, against=source, threshold=threshold, margin=margin,
        today=(run_date.date() if run_date else datetime.date.today()), method=f"relgraph link {_version()}",
    )
    links, rows = render_links_turtle(report), render_review_csv(report)
    if review is not None and str(review) != "-":
        write_atomic(review, rows)
    if str(output) == "-":
        _write(links)
    else:
        write_atomic(output, links)
    if review is not None and str(review) == "-":
        _write(rows)
    click.echo(render_summary(report), err=True, nl=False)
    ctx.exit(EXIT_OK if report.ok else EXIT_CHECK_FAILED)


def _claims_report(ontology, data, source: str, output: Path, qs_output: Path | None, only_missing: bool) -> int:
    """``relgraph link --claims``: the CSV to ``output``, the proposal to ``qs_output``, the summary to stderr."""
    from .export import write_atomic
    from .link import MISSING, claims_against, quickstatements, render_claims_csv, render_claims_summary

    view, report = claims_against(ontology, data, against=source)
    rows = render_claims_csv(report)
    proposal = None
    if qs_output is not None:
        missing = {c.claim for c in report.checks if c.status == MISSING}
        proposal = quickstatements(view, only=(lambda c: c in missing) if only_missing else None).render(version=_version()).encode("utf-8")
    for target, data_ in ((output, rows), (qs_output, proposal)):
        if target is not None and str(target) != "-":
            write_atomic(target, data_)
    for target, data_ in ((output, rows), (qs_output, proposal)):
        if target is not None and str(target) == "-":
            _write(data_)
    click.echo(render_claims_summary(report), err=True, nl=False)
    return EXIT_OK if report.ok else EXIT_CHECK_FAILED


@cli.command("synth", epilog=EXIT_CODES)
@click.option("--states", required=True, type=click.IntRange(4), help="Number of states (at least 4); the world has states x (states - 1) / 2 bilateral relations.")
@click.option("--seed", default=0, show_default=True, type=int, help="The same seed gives the same bytes.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("world.nt"), show_default=True, help="N-Triples file to write; the synthetic source texts go to sources/ beside it.")
@click.pass_context
def synth_command(ctx: click.Context, states: int, seed: int, output: Path) -> None:
    """Write a synthetic world of bilateral relations in relgraph's ontology (for scale tests).

    The template is the data of --project when it is a project (every document in it), else
    the data of relgraph's own checkout.
    """
    from .synth import Template, write_world

    root = Path(ctx.obj)
    template = Template.from_project(root) if (root / "ontology").is_dir() and (root / "data").is_dir() else None
    written = write_world(output, states=states, seed=seed, template=template, progress=_progress())
    click.echo(f"wrote {written.triples} triples ({written.pairs} pairs of states, {written.sources} source texts) to {written.path}", err=True)


main = cli
"""The console-script entry point (``relgraph``)."""

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
