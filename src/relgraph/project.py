"""Where a project's files are, and loading them into one rdflib Dataset.

A project is a directory with ``ontology/*.ttl`` (the OWL ontology; ``shapes.ttl``
there holds the SHACL shapes), ``data/**/*.ttl`` (the asserted facts, one folder
per source document; a ``draft.ttl`` there is a proposal, never loaded) and
``queries/*.rq`` (the stored queries). The sentences of a document stated in a
``document.ttl`` are generated from its text when it is loaded
(:mod:`relgraph.curation.sentences`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from .errors import InputError, ProjectError

if TYPE_CHECKING:  # rdflib is imported where it is used: the query path runs without it
    from .curation.sentences import DocumentText
    from rdflib import Dataset, Graph, URIRef
    from rdflib.plugins.parsers.notation3 import BadSyntax
    from rdflib.term import Node

SHAPES_FILE = "shapes.ttl"
DOCUMENT_FILE = "document.ttl"
"""A document folder's file holding its rg:SourceDocument node (``curation.sentences``)."""


def is_document_file(path: Path) -> bool:
    """True for the files whose documents get generated sentences."""
    return Path(path).name == DOCUMENT_FILE
DRAFT_FILE = "draft.ttl"
"""A document's draft (candidates for review, written by ``relgraph draft``): never loaded."""


def parse_turtle(path: Path) -> Graph:
    """Parse the Turtle file at ``path`` into a new Graph.

    Raises InputError with the path, and the line and column of the first syntax
    error, if the file is missing, not UTF-8 or not Turtle.
    """
    from rdflib import Graph
    from rdflib.plugins.parsers.notation3 import BadSyntax

    from .vocab import RGD, bind_prefixes

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError("not UTF-8 text", path=path, line=line, column=column) from None
    graph = Graph()
    bind_prefixes(graph)
    try:
        # A fixed base keeps relative IRIs (if any) independent of where the checkout is.
        graph.parse(data=text, format="turtle", publicID=str(RGD))
    except BadSyntax as error:
        line, column = _bad_syntax_position(error)
        raise InputError(f"bad Turtle: {error._why}", path=path, line=line, column=column) from None
    except RecursionError:
        raise InputError("bad Turtle: brackets nested too deeply for the parser to follow",
                         path=path, line=_deepest_line(text)) from None
    _check_iris(graph, text, path)
    return graph


_NOT_IN_IRI = re.compile(r'[\x00-\x20\x7f<>"{}|^`\\]')
"""Characters no IRI holds (RFC 3987); rdflib's parser lets an escaped one through."""


def _check_iris(graph: Graph, text: str, path: Path) -> None:
    """InputError naming the first IRI of ``graph`` that is not one (a space in it, say), with
    the line it is written on when it can be found."""
    from rdflib import URIRef

    from .vocab import RGD

    bad_terms = [t for t in graph.all_nodes() if isinstance(t, URIRef) and _NOT_IN_IRI.search(t)]
    bad_terms += [p for p in set(graph.predicates()) if _NOT_IN_IRI.search(p)]
    for term in sorted(bad_terms)[:1]:
        bad = _NOT_IN_IRI.search(term)
        at = text.find(str(term).replace(str(RGD), "", 1)) if str(term).startswith(str(RGD)) else text.find(str(term))
        line = text.count("\n", 0, at) + 1 if at >= 0 else None
        raise InputError(f"<{term}> is not an IRI: it holds {bad[0]!r} (U+{ord(bad[0]):04X})", path=path, line=line)


def _deepest_line(text: str) -> int:
    """The line on which ``[`` and ``(`` brackets (outside strings, IRIs and comments) reach
    their deepest nesting: where a too-deep file needs looking at."""
    depth, deepest, line, at_line = 0, 0, 1, 1
    for match in re.finditer(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|<[^>\n]*>|#[^\n]*|[\[\]()\n]', text):
        token = match[0]
        if token == "\n":
            line += 1
        elif token in "[(":
            depth += 1
            if depth > deepest:
                deepest, at_line = depth, line
        elif token in "])":
            depth -= 1
        else:
            line += token.count("\n")
    return at_line


def _bad_syntax_position(error: BadSyntax) -> tuple[int, int]:
    """1-based line and column of a BadSyntax (rdflib keeps the text and an offset)."""
    text: bytes = error._str if isinstance(error._str, bytes) else str(error._str).encode()
    offset = min(error._i, len(text))
    line_start = text.rfind(b"\n", 0, offset) + 1
    column = len(text[line_start:offset].decode("utf-8", "replace")) + 1
    return text.count(b"\n", 0, offset) + 1, column


def _is_data_file(data_dir: Path, path: Path) -> bool:
    """A Turtle file of the data: not a draft, and not under a hidden folder (``relgraph new``
    builds a document in ``data/.SLUG-…`` before renaming it into place)."""
    return path.name != DRAFT_FILE and not any(part.startswith(".") for part in path.relative_to(data_dir).parts)


@dataclass(frozen=True)
class Project:
    """The files of a project, found by :meth:`discover`; paths keep the root as given."""

    root: Path
    ontology_files: tuple[Path, ...]
    shapes_file: Path | None
    data_files: tuple[Path, ...]
    queries_dir: Path

    @classmethod
    def discover(cls, root: Path | str) -> Project:
        """Find the project files under ``root``; ProjectError if it lacks ontology/ or data/."""
        root = Path(root)
        for needed in ("ontology", "data"):
            if not (root / needed).is_dir():
                raise ProjectError(f"not a relgraph project: no {needed}/ directory", path=root)
        shapes = root / "ontology" / SHAPES_FILE
        return cls(
            root=root,
            ontology_files=tuple(
                sorted(p for p in (root / "ontology").glob("*.ttl") if p.name != SHAPES_FILE)
            ),
            shapes_file=shapes if shapes.is_file() else None,
            data_files=tuple(sorted(p for p in (root / "data").rglob("*.ttl") if _is_data_file(root / "data", p))),
            queries_dir=root / "queries",
        )

    def require_data(self) -> None:
        """InputError if ``data/`` holds no Turtle file: a build of the ontology alone would
        replace a release of real data with an empty one."""
        if not self.data_files:
            raise InputError("no Turtle files: nothing to build (a previous release is left as it is); "
                             "add a document with `relgraph new`", path=self.root / "data")

    def load(self, *, data_files: Sequence[Path] | None = None) -> LoadedProject:
        """Parse the ontology and the data (``data_files`` instead of the project's, if given).

        Every ``rg:localCopy`` is resolved against the folder of the Turtle file that
        states it; a missing local copy is an InputError naming that Turtle file. The
        documents of a ``document.ttl`` get their sentence nodes, generated from the local
        copy (stated, for :attr:`LoadedProject.stated_in_file`, in the local copy).
        """
        from rdflib import Dataset

        from .vocab import GRAPH_ASSERTED, GRAPH_ONTOLOGY, RG, bind_prefixes

        dataset = Dataset()
        bind_prefixes(dataset)
        ontology = dataset.graph(GRAPH_ONTOLOGY)
        for path in self.ontology_files:
            ontology += parse_turtle(path)
        asserted = dataset.graph(GRAPH_ASSERTED)
        stated: dict[Node, list[Path]] = {}
        copies: dict[URIRef, Path] = {}
        for path in self.data_files if data_files is None else tuple(data_files):
            graph = parse_turtle(path)
            asserted += graph
            for subject in set(graph.subjects()):
                stated.setdefault(subject, []).append(Path(path))
            for document, copy in graph.subject_objects(RG.localCopy):
                local = (Path(path).parent / str(copy)).resolve()
                if not local.is_file():
                    raise InputError(f"rg:localCopy {str(copy)!r} of <{document}> not found", path=Path(path))
                copies[document] = local
                if is_document_file(path):
                    from .curation.sentences import read_text, sentence_graph

                    generated = sentence_graph(document, read_text(local))
                    asserted += generated
                    for subject in set(generated.subjects()):
                        stated.setdefault(subject, []).append(local)
        return LoadedProject(
            project=self,
            dataset=dataset,
            stated_in_file=MappingProxyType({k: tuple(v) for k, v in stated.items()}),
            local_copies=MappingProxyType(copies),
        )

    def document_texts(self) -> tuple[DocumentText, ...]:
        """The documents of the data's ``document.ttl`` files, with their local copies: the
        texts their sentences are generated from."""
        from .curation.sentences import document_texts

        return tuple(
            text for path in self.data_files if is_document_file(path) for text in document_texts(path, parse_turtle(path))
        )

    def load_shapes(self) -> Graph:
        """The SHACL shapes graph (empty if the project has no ``ontology/shapes.ttl``);
        InputError if it is not valid SHACL (see :mod:`relgraph.shapes_check`)."""
        if self.shapes_file is None:
            from rdflib import Graph

            from .vocab import bind_prefixes

            graph = Graph()
            bind_prefixes(graph)
            return graph
        from .cache import CACHE_DIR
        from .shapes_check import check_shapes

        shapes = parse_turtle(self.shapes_file)
        check_shapes(shapes, path=self.shapes_file, cache_dir=self.root / CACHE_DIR)
        return shapes


@dataclass(frozen=True)
class LoadedProject:
    """A parsed project: the Dataset with the ontology and asserted named graphs."""

    project: Project
    dataset: Dataset
    stated_in_file: Mapping[Node, tuple[Path, ...]] = field(repr=False)
    """For each subject of the asserted data, the data files with triples about it."""
    local_copies: Mapping[URIRef, Path] = field(repr=False)
    """For each source document, the absolute path of its local copy."""

    @property
    def ontology(self) -> Graph:
        """The named graph holding the ontology."""
        from .vocab import GRAPH_ONTOLOGY

        return self.dataset.graph(GRAPH_ONTOLOGY)

    @property
    def asserted(self) -> Graph:
        """The named graph holding the asserted facts."""
        from .vocab import GRAPH_ASSERTED

        return self.dataset.graph(GRAPH_ASSERTED)
