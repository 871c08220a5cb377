"""A project's graphs in a chosen store, loaded only when the project's inputs have changed.

``memory`` is relgraph's in-process rdflib Dataset; ``oxigraph:PATH`` and ``sparql:URL`` keep the
graphs where a later command (or another program) finds them again: see ``stores/README.md``.
Without ``--store``, ``relgraph query`` answers from the project's own Oxigraph store, kept in its
cache folder and named by the digest of the inputs (:func:`cached_store`): made once (loaded and
reasoned in the store), then only opened, read-only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import CACHE_DIR, input_digest, project_inputs
from .progress import SILENT, Progress
from .project import Project

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rdflib import Graph
    from rdflib.term import Node

    from .validation.reference import ValidationReport

    from .queries import StoredQuery
    from .stores import Store

STORE_PREFIX = "store-"
"""A cached store is the folder ``<project>/.relgraph-cache/store-<digest>``."""


def open_project_store(project: Project, spec: str, *, progress: Progress = SILENT) -> Store:
    """The store ``spec`` holding ``project``'s ontology, asserted and inferred graphs.

    The store records the digest of the inputs it was loaded from; when that digest is the
    current one (and the last load finished) nothing is loaded again. An Oxigraph store is
    loaded from the files by its bulk loader and reasoned in place
    (:func:`relgraph.build.load_into_store`, :func:`relgraph.reasoning.in_store.reason_in_store`);
    other stores get the graphs from rdflib, the inferred one from the cache. StoreError if
    the store cannot be opened or loaded.
    """
    from .build import inferred_for, load_into_store
    from .build import project_inputs as inputs_of
    from .queries import Catalogue
    from .reasoning.in_store import reason_in_store
    from .stores import open_store
    from .vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

    catalogue = Catalogue.load(project.queries_dir, cache_dir=Path(project.root) / CACHE_DIR)
    digest = input_digest(inputs_of(project, catalogue))
    store = open_store(spec)
    if store.complete and store.digest == digest:
        return store
    if store.bulk_loads:
        # any size: bulk-loaded and reasoned in the store (reasonable completed, owlrl's answer:
        # tests/test_store_reasoning_scale.py); the digest is recorded once all is in
        load_into_store(project, store, progress=progress)
        reason_in_store(store, rules=catalogue.rules(), engine="reasonable", digest=digest, progress=progress)
        return store
    loaded = project.load()
    inferred = inferred_for(project, loaded, catalogue)
    store.replace(
        {GRAPH_ONTOLOGY: loaded.ontology, GRAPH_ASSERTED: loaded.asserted, GRAPH_INFERRED: inferred},
        digest=digest,
        progress=progress,
    )
    return store


def cached_store(project: Project, *, progress: Progress = SILENT, make: bool = True) -> Path | None:
    """The folder of ``project``'s Oxigraph store for its current inputs, made if missing; None
    if the cache folder cannot hold it (read-only checkout: the caller answers another way), or
    if it is missing and not ``make``.

    A store is made in a temporary folder beside and renamed into place once loaded, reasoned
    and closed, so a folder of that name is always a complete store; the stores of earlier
    inputs are removed, but for one a running server reads (:func:`hold_store`), which goes
    at the first call after that server has stopped.
    StoreError / InputError if the project cannot be loaded.
    """
    cache = Path(project.root) / CACHE_DIR
    path = cache / f"{STORE_PREFIX}{input_digest(project_inputs(project))}"
    if path.is_dir():
        _remove_others(cache, path)
        return path
    if not make:
        return None
    try:
        cache.mkdir(exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=cache, prefix=f".{path.name}.", suffix=_WORK_SUFFIX))
    except OSError:
        return None
    making = hold_store(work, exclusive=True)  # a work folder nobody holds was left by a killed maker
    try:
        with open_project_store(project, f"oxigraph:{work}", progress=progress):
            pass
        os.replace(work, path)
    except OSError:
        if not path.is_dir():  # another process that made the same store first wins
            return None
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if making is not None:
            os.close(making)
    _remove_others(cache, path)
    return path


_WORK_SUFFIX = ".tmp"


def _remove_others(cache: Path, path: Path) -> None:
    """Remove the stores of earlier inputs that no server holds (:func:`hold_store`), and the
    work folders of stores whose making was cut short (a kill): those nobody holds."""
    for old in cache.glob(f"{STORE_PREFIX}*"):
        if old != path:
            _remove_unheld(old)
    for work in cache.glob(f".{STORE_PREFIX}*{_WORK_SUFFIX}"):
        _remove_unheld(work)


def hold_store(path: Path, *, exclusive: bool = False) -> int | None:
    """Keep the cached store in the folder ``path`` from being removed while it is read (a
    server reads it for as long as it runs, though the inputs change meanwhile); let go with
    ``os.close`` on the returned descriptor, or by ending the process. Any number of readers
    may hold a store at once; ``exclusive``: the one process making a store in its work folder
    (:func:`_remove_others` removes the work folders nobody holds). None where the system has
    no ``flock`` or the folder cannot be opened (the store is then not kept).
    """
    try:
        import fcntl

        descriptor = os.open(path, os.O_RDONLY)
    except (ImportError, OSError):
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def _remove_unheld(path: Path) -> None:
    """Remove the store folder ``path`` unless a reader holds it (:func:`hold_store`)."""
    try:
        import fcntl
    except ImportError:
        fcntl = None
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        if fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # a server reads it: it is removed by a later command, once free
                return
        shutil.rmtree(path, ignore_errors=True)
    finally:
        os.close(descriptor)


def quick_answer(project: Project, query: StoredQuery, params: Mapping[str, str], *, format: str | None) -> bytes | None:
    """``query``'s answer as :func:`answer_from_cache` gives it, byte for byte
    (tests/test_query_path.py), by the fast path (:mod:`relgraph.stores.answers`: neither
    rdflib nor the build is loaded); None where that path cannot answer: no store for the
    current inputs yet, a store that cannot be read, a format or a query it does not take.
    ParameterError for a bad parameter."""
    from .formats import result_format_names

    if format is not None and format not in result_format_names():
        return None
    path = cached_store(project, make=False)
    if path is None:
        return None
    from .stores.answers import answer_from

    try:
        return answer_from(path, query, params, format=format or "table")
    except OSError:  # answer_from_cache makes it again
        return None


def answer_from_cache(project: Project, query: StoredQuery, params: Mapping[str, str], *, format: str | None) -> bytes | None:
    """``query``'s answer in ``format`` (default: a table, or Turtle for a graph) from the
    project's cached store (:func:`cached_store`, made if missing); None if the cache folder
    cannot hold one. By the store's general path, which takes every query and checks it
    (QuerySyntaxError, ParameterError); :func:`quick_answer` gives the same bytes faster where
    it can, so a caller tries it first.

    A store that cannot be read (damaged: a disk full, a copy cut short) is made again.
    """
    for attempt in (1, 2):
        path = cached_store(project)
        if path is None:
            return None
        try:
            return _general_answer(path, query, params, format=format)
        except OSError:
            if attempt == 2:
                raise
            shutil.rmtree(path, ignore_errors=True)
    return None  # not reached


def _general_answer(path: Path, query: StoredQuery, params: Mapping[str, str], *, format: str | None) -> bytes:
    from .queries import load_query
    from .results import serialize_result
    from .stores import StoreError, open_store

    try:
        store = open_store(f"oxigraph:{path}", read_only=True)
    except StoreError as error:
        raise OSError(str(error)) from None
    with store:
        result = store.query(load_query(query.path), params=params)
    return serialize_result(result, format=format or ("turtle" if result.graph is not None else "table"))


def validate_project(
    project: Project, *, shapes: Graph, stated_in_file: Mapping[Node, tuple[Path, ...]] | None = None
) -> ValidationReport | None:
    """``project``'s data validated against ``shapes`` in its cached store, by the in-store
    validator (pyshacl's report, tests/test_incremental_validation.py); None if the cache
    cannot hold a store or the shapes use what the in-store validator does not translate
    (the caller then runs pyshacl). Without ``stated_in_file`` the project is parsed for it
    only if there is a violation to place in its file.
    """
    from .validation.in_store import UnsupportedShapes, validate_in_store
    from .stores import open_store

    path = cached_store(project)
    if path is None:
        return None
    with open_store(f"oxigraph:{path}", read_only=True) as store:
        try:
            report = validate_in_store(store, shapes=shapes, stated_in_file=stated_in_file)
        except UnsupportedShapes:
            return None
        if report.violations and stated_in_file is None:
            report = validate_in_store(store, shapes=shapes, stated_in_file=project.load().stated_in_file)
    return report
