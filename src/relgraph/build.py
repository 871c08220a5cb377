"""The release pipeline: load, reason, validate, and write the release only if all is well."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import OWL, Dataset, Graph, URIRef

from .cache import CACHE_DIR, cached_graph, input_digest
from .curation.sentences import generated_sentences
from .cache import project_inputs as _inputs
from .errors import InputError, ParameterError
from .export import canonical_graph, context_document, serialize_dataset, serialize_graph, write_atomic
from .release import staged
from .formats import rdf_format
from .progress import SILENT, Progress
from .project import LoadedProject, Project, parse_turtle
from .queries import Catalogue
from .reasoning.reference import ReasoningResult, reason
from .reasoning.in_store import reason_in_store, store_violations
from .validation.in_store import UnsupportedShapes, label_violations, validate_in_store
from .stores import StoreError, open_store
from .stores.base import GRAPHS, Store
from .terms import short
from .validation.reference import ValidationReport, validate
from .vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY, RG, bind_prefixes

RELEASE_FILES = ("relgraph.ttl", "relgraph.nt", "relgraph.jsonld", "context.jsonld", "inferred.ttl", "relgraph.trig")
"""What a release holds: ontology + asserted facts (Turtle, N-Triples, JSON-LD and its
context), the inferred triples alone (Turtle), and all three named graphs (TriG)."""


def reason_project(loaded: LoadedProject, catalogue: Catalogue, *, engine: str = "owlrl") -> ReasoningResult:
    """Reason over the project's ontology and asserted data with its ``derive-*`` rules."""
    return reason(ontology=loaded.ontology, asserted=loaded.asserted, rules=catalogue.rules(), engine=engine)


def project_inputs(project: Project, catalogue: Catalogue) -> list[Path]:
    """The files the graph of ``project`` is made from: ontology, data and derive- rules."""
    return _inputs(project, [rule.path for rule in catalogue.rules()])


def inferred_for(project: Project, loaded: LoadedProject, catalogue: Catalogue) -> Graph:
    """The inferred graph of ``project``, from the cache when its inputs have not changed."""
    return cached_graph(project.root, project_inputs(project, catalogue), lambda: reason_project(loaded, catalogue).inferred)


def query_dataset(loaded: LoadedProject, inferred: Graph) -> Dataset:
    """A Dataset with the ontology, asserted and inferred named graphs, queried as their union."""
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    for name, graph in ((GRAPH_ONTOLOGY, loaded.ontology), (GRAPH_ASSERTED, loaded.asserted), (GRAPH_INFERRED, inferred)):
        target = dataset.graph(name)
        for triple in graph:
            target.add(triple)
    return dataset


@dataclass(frozen=True)
class BuildSummary:
    """What ``build`` found and wrote."""

    out_dir: Path
    written: tuple[Path, ...]
    """Files written (empty when the build failed its checks)."""
    asserted_triples: int
    reasoning: ReasoningResult
    """Its ``inferred`` is None: the triples are in the store."""
    validation: ValidationReport
    class_counts: tuple[tuple[str, int], ...]
    """Asserted members of each rg: class, as (prefixed name, count), sorted by name."""
    timings: tuple[tuple[str, float], ...]
    """Seconds per step: load, reason, validate, write (where the store was loaded, reason and
    validate run side by side; ``reason+validate`` is the time both took together). On the
    project's cached store, loaded and reasoned by an earlier command (or, if it was made now,
    within ``load``), ``checks`` takes the place of ``reason``: the inconsistency checks alone."""

    @property
    def inferred_triples(self) -> int:
        return self.reasoning.inferred_count

    @property
    def ok(self) -> bool:
        """True if the data conforms and is consistent (and so the release was written)."""
        return self.validation.conforms and self.reasoning.consistent


RELEASES = ("full", "ntriples")
"""What a build writes: ``full``, :data:`RELEASE_FILES` (rdflib's canonical Turtle, JSON-LD and
TriG beside N-Triples, for graphs that fit in memory); ``ntriples``, :data:`STORE_RELEASE_FILES`
(the store's own sorted dump, for graphs of any size)."""


VALIDATORS = ("store", "pyshacl")
"""``store``: the in-store SHACL validator (:mod:`relgraph.validation.in_store`); ``pyshacl``,
the validator of record."""


def build(
    project: Project,
    store: Store | None = None,
    *,
    out_dir: Path,
    engine: str = "reasonable",
    validator: str = "store",
    release: str = "full",
    progress: Progress = SILENT,
) -> BuildSummary:
    """Load ``project`` into ``store``, reason there (``engine``: reasonable, or owlrl, the
    reference), validate there (``validator``: ``store``, the in-store SHACL validator, or
    ``pyshacl``, the validator of record; pyshacl too where the shapes are beyond the in-store
    validator) and, if consistent and conforming, write the ``release`` (see :data:`RELEASES`)
    into ``out_dir``. Both pairs give the same answers (tests/test_reasonable.py,
    tests/test_incremental_validation.py, tests/test_fast_paths.py).

    Without ``store``: the project's own Oxigraph store in its cache folder, the one
    ``relgraph query`` answers from, loaded and reasoned only when an input has changed
    (:func:`relgraph.project_store.cached_store`); with the owlrl engine, or where the cache
    folder cannot hold a store, a new Oxigraph store in a temporary folder. The data files go
    to the store's loader (on Oxigraph, its bulk loader for a large file, one transaction for a
    small one), and reasoning writes the inferred
    graph while the shapes are checked beside it, in a second thread (validation reads the
    ontology and asserted graphs, which reasoning does not write). The store records the
    digest of the inputs once the inferred graph is in, so
    :func:`relgraph.project_store.open_project_store` reuses it.

    Otherwise nothing is written and a previous release in ``out_dir`` stays as it was.
    The release replaces ``out_dir`` whole (see :mod:`relgraph.release`).
    """
    for name, value, allowed in (("release", release, RELEASES), ("validator", validator, VALIDATORS)):
        if value not in allowed:
            raise ParameterError(name, f"unknown value {value!r}; expected one of: {', '.join(allowed)}")
    project.require_data()
    catalogue = Catalogue.load(project.queries_dir, cache_dir=project.root / CACHE_DIR)
    shapes = project.load_shapes()
    with ExitStack() as stack:
        started = time.perf_counter()
        opened_here = store is None  # the project's own store (or a temporary one), not the caller's
        cached: Store | None = None  # the project's cached store, already loaded and reasoned
        if opened_here and engine == "reasonable":
            cached = _cached_project_store(project, stack, progress)
        if cached is not None:
            store = cached
        elif opened_here:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="relgraph-build-"))
            store = stack.enter_context(open_store(f"oxigraph:{folder}"))
        if cached is None:
            load_into_store(project, store, progress=progress)
        timings = [("load", time.perf_counter() - started)]
        if cached is not None:
            reasoning, report, seconds = _check_reasoned(store, shapes=shapes, validator=validator)
        else:
            digest = input_digest(project_inputs(project, catalogue))
            reasoning, report, seconds = _reason_and_validate(
                store, rules=catalogue.rules(), shapes=shapes, engine=engine, validator=validator,
                digest=digest, progress=progress,
            )
        if not reasoning.consistent and engine != "owlrl" and (opened_here or not store.bulk_loads):
            # what is wrong is said as the reference says it (the engines word their findings
            # apart); not for a bulk-loading store the caller gave, whose data may be any size.
            # Should the reference find nothing, the fast engine's findings stand.
            reference = reason(
                ontology=store.graph(GRAPH_ONTOLOGY), asserted=store.graph(GRAPH_ASSERTED),
                rules=catalogue.rules(), engine="owlrl",
            )
            reasoning = replace(reasoning, problems=reference.problems or reasoning.problems)
        if report is None:  # pyshacl, on the files as parsed
            started = time.perf_counter()
            loaded = project.load()
            report = validate(data=loaded.asserted, ontology=loaded.ontology, shapes=shapes, stated_in_file=loaded.stated_in_file)
            seconds["validate"] += time.perf_counter() - started
        elif report.violations and opened_here:  # placed in their files: the project is parsed only then
            report = validate_in_store(store, shapes=shapes, stated_in_file=project.load().stated_in_file, check_complete=False)
        elif report.violations:
            report = label_violations(store, report)
        timings += list(seconds.items())
        written: tuple[Path, ...] = ()
        if report.conforms and reasoning.consistent:
            started = time.perf_counter()
            out_dir = Path(out_dir)
            with progress.task(f"write {out_dir}"), staged(out_dir, allowed=ALL_RELEASE_FILES) as staging:
                if release == "full":
                    names = write_release({name: store.graph(name) for name in GRAPHS}, out_dir=staging)
                else:
                    names = _write_dumps(store, out_dir=staging)
            written = tuple(out_dir / path.name for path in names)
            timings.append(("write", time.perf_counter() - started))
        return BuildSummary(
            out_dir=Path(out_dir),
            written=written,
            asserted_triples=store.count(GRAPH_ASSERTED),
            reasoning=reasoning,
            validation=report,
            class_counts=_class_counts(store),
            timings=tuple(timings),
        )


def _cached_project_store(project: Project, stack: ExitStack, progress: Progress) -> Store | None:
    """The project's cached store (loaded and reasoned with reasonable), opened for reading;
    None where the cache folder cannot hold one. A store that cannot be read (damaged: a disk
    full, a copy cut short) is made again, once, as ``relgraph query`` does."""
    import shutil

    from .project_store import cached_store

    for _attempt in (1, 2):
        path = cached_store(project, progress=progress)
        if path is None:
            return None
        store = None
        try:
            store = open_store(f"oxigraph:{path}", read_only=True)
            store.count(GRAPH_ASSERTED)  # a damaged store fails here, before the build relies on it
        except (StoreError, OSError, RuntimeError):  # pyoxigraph says "Corruption: …" as a RuntimeError
            if store is not None:
                store.close()
            shutil.rmtree(path, ignore_errors=True)
            continue
        return stack.enter_context(store)
    return None


def _check_reasoned(store: Store, *, shapes: Graph, validator: str):
    """The reasoning result of a store an earlier command loaded and reasoned (its
    inconsistencies are looked for again: the store does not keep them), and its validation."""
    started = time.perf_counter()
    store.check_complete()
    stated = b"".join(store.dump_ntriples(name) for name in (GRAPH_ONTOLOGY, GRAPH_ASSERTED)).decode("utf-8")
    stated = stated.splitlines(keepends=True)
    inferred = store.dump_ntriples(GRAPH_INFERRED).decode("utf-8").splitlines(keepends=True)
    same_as = {line for line in stated if f" <{OWL.sameAs}> " in line}
    problems = store_violations(store, lines=stated + inferred, asserted_same_as=same_as)
    reasoning = ReasoningResult(
        inferred=None, asserted_count=len(set(stated)), problems=tuple(sorted(problems)), rounds=0,
        seconds=time.perf_counter() - started, stored_count=store.count(GRAPH_INFERRED),
    )
    seconds, report = _timed(lambda: _validate(store, shapes=shapes, validator=validator, check_complete=True))
    # "checks": the store was reasoned when it was made (its time is in "load"); only the
    # inconsistency checks ran again here
    return reasoning, report, {"checks": reasoning.seconds, "validate": seconds}


def _reason_and_validate(store: Store, *, rules, shapes: Graph, engine: str, validator: str, digest: str, progress: Progress):
    """Reason in ``store`` and validate it, side by side where the store reads beside writes."""
    started = time.perf_counter()
    validation = lambda: _validate(store, shapes=shapes, validator=validator, check_complete=False)  # noqa: E731
    if store.reads_beside_writes:  # validation reads a snapshot (Store.select_snapshot)
        store.check_complete()  # here, not in the thread: reasoning marks the store loading soon
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="relgraph-validate") as pool:
            validating = pool.submit(_timed, validation)
            reasoning = reason_in_store(store, rules=rules, engine=engine, progress=progress, digest=digest)
            validate_seconds, report = validating.result()
    else:
        reasoning = reason_in_store(store, rules=rules, engine=engine, progress=progress, digest=digest)
        store.check_complete()
        validate_seconds, report = _timed(validation)
    both = time.perf_counter() - started
    return reasoning, report, {"reason": reasoning.seconds, "validate": validate_seconds, "reason+validate": both}


def _validate(store: Store, *, shapes: Graph, validator: str, check_complete: bool) -> ValidationReport | None:
    """The in-store validator's report (focus labels left out); None for pyshacl's turn."""
    if validator != "store" or not store.validates_shapes:
        return None
    try:
        return validate_in_store(store, shapes=shapes, with_labels=False, check_complete=check_complete)
    except UnsupportedShapes:
        return None


def write_release(graphs: Mapping[URIRef, Graph], *, out_dir: Path) -> tuple[Path, ...]:
    """Write :data:`RELEASE_FILES` of the ontology, asserted and inferred ``graphs`` (keyed by
    their names in :data:`relgraph.vocab`) into ``out_dir`` (created if needed); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ontology, asserted, inferred = (graphs[name] for name in GRAPHS)
    stated = canonical_graph(ontology + asserted)  # once for its three formats
    contents = {
        "relgraph.ttl": serialize_graph(stated, format="turtle", canonical=True),
        "relgraph.nt": serialize_graph(stated, format="nt", canonical=True),
        "relgraph.jsonld": serialize_graph(stated, format="jsonld", canonical=True),
        "context.jsonld": context_document(),
        "inferred.ttl": serialize_graph(inferred, format="turtle"),
        "relgraph.trig": serialize_dataset(dict(zip(GRAPHS, (ontology, asserted, inferred))), format="trig"),
    }
    # Everything is serialized before the first write, so a serializer failure writes nothing.
    paths = []
    for name in RELEASE_FILES:
        write_atomic(out_dir / name, contents[name])
        paths.append(out_dir / name)
    return tuple(paths)


def export_project(loaded: LoadedProject, *, format: str, inferred: Graph | None = None) -> bytes:
    """The ontology and asserted data (and ``inferred``, if given) in ``format``, deterministic.

    Dataset formats (trig, nquads) keep the named graphs apart; the others merge them.
    """
    fmt = rdf_format(format)
    graphs = {GRAPH_ONTOLOGY: loaded.ontology, GRAPH_ASSERTED: loaded.asserted}
    if inferred is not None:
        graphs[GRAPH_INFERRED] = inferred
    if fmt.datasets:
        return serialize_dataset(graphs, format=fmt)
    merged = Graph()
    for graph in graphs.values():
        merged += graph
    return serialize_graph(merged, format=fmt)


STORE_RELEASE_FILES = ("relgraph.nt", "inferred.nt")
"""What a build in a store writes: ontology + asserted facts, and the inferred triples, as
sorted N-Triples (the store's own fast dump; the canonical Turtle, JSON-LD and TriG of
:data:`RELEASE_FILES` are rdflib's, for graphs that fit in memory)."""
ALL_RELEASE_FILES = frozenset(RELEASE_FILES) | frozenset(STORE_RELEASE_FILES)
"""What a release folder may hold (either build replaces it whole: never a mix)."""


def _write_dumps(store: Store, *, out_dir: Path) -> tuple[Path, ...]:
    """:data:`STORE_RELEASE_FILES` from ``store``'s own dump."""
    graphs = {"relgraph.nt": (GRAPH_ONTOLOGY, GRAPH_ASSERTED), "inferred.nt": (GRAPH_INFERRED,)}
    for name in STORE_RELEASE_FILES:
        _write_dump(store, out_dir / name, graphs[name])
    return tuple(out_dir / name for name in STORE_RELEASE_FILES)


def _write_dump(store: Store, path: Path, graphs: tuple[URIRef, ...]) -> None:
    """``graphs`` as sorted N-Triples, the same bytes for the same triples: the graphs with blank
    nodes (the ontology's restrictions and lists) are written canonically, blank nodes named
    from what they hold, together; the others come from the store's own fast dump."""
    blank = tuple(g for g in graphs if store.sparql("ASK { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }", graphs=(g,)).boolean)
    if not blank:  # the store's dump is sorted and has no blank node to name
        store.dump(path, format="nt", graphs=graphs)
        return
    lines = store.export(format="nt", graphs=blank).decode("utf-8").splitlines(keepends=True) if blank else []
    for name in graphs:
        if name not in blank:
            part = path.with_name(f".{path.name}.part")
            try:
                store.dump(part, format="nt", graphs=(name,))
                lines.extend(part.read_text(encoding="utf-8").splitlines(keepends=True))
            finally:
                part.unlink(missing_ok=True)
    write_atomic(path, "".join(sorted(set(lines))).encode("utf-8"))



def _class_counts(store: Store) -> tuple[tuple[str, int], ...]:
    """As :attr:`BuildSummary.class_counts`, counted in the store."""
    answer = store.sparql(
        "SELECT ?class (COUNT(DISTINCT ?member) AS ?n) WHERE { ?member a ?class "
        f"FILTER (STRSTARTS(STR(?class), \"{RG}\")) }} GROUP BY ?class",
        graphs=(GRAPH_ASSERTED,),
    )
    return tuple(sorted((short(cls), int(n)) for cls, n in answer.rows))


def load_into_store(project: Project, store: Store, *, progress: Progress = SILENT) -> None:
    """The ontology and data of ``project`` into ``store``, its inferred graph emptied, no
    digest recorded; on Oxigraph the data files go to its loader as they are (the bulk loader
    for a large file, one transaction for a small one: stores/oxigraph.py), one after
    the other, and the store is compacted."""
    ontology = Graph()
    for path in project.ontology_files:
        ontology += parse_turtle(path)

    files = project.data_files
    if store.bulk_loads and files:
        path = files[0]
        try:
            store.replace({GRAPH_ONTOLOGY: ontology, GRAPH_ASSERTED: path, GRAPH_INFERRED: Graph()}, progress=progress)
            for path in files[1:]:
                store.append(GRAPH_ASSERTED, path)
        except SyntaxError as error:  # the store stays marked loading: never half-valid
            parse_turtle(path)  # rdflib's InputError names the line and column as every command does
            raise InputError(f"bad Turtle: {error}", path=path) from None
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror or error}", path=path) from None
        _append_sentences(project, store)
        # the bulk loader leaves many small files (compact() does nothing if it was not used):
        # compacted, validation's queries take about half the time (measured at 300k triples)
        store.compact()
        return
    loaded = project.load()
    store.replace({GRAPH_ONTOLOGY: ontology, GRAPH_ASSERTED: loaded.asserted, GRAPH_INFERRED: Graph()}, progress=progress)


def _append_sentences(project: Project, store) -> None:
    """The sentences generated from the documents' texts (see :mod:`relgraph.curation.sentences`),
    appended to the store's asserted graph by its loader."""
    sentences = Graph()
    for graph in generated_sentences(project.document_texts()).values():
        sentences += graph
    if not len(sentences):
        return
    with tempfile.TemporaryDirectory(prefix="relgraph-sentences-") as folder:
        path = Path(folder) / "sentences.nt"
        path.write_bytes(serialize_graph(sentences, format="nt"))
        store.append(GRAPH_ASSERTED, path)


def _timed(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value
