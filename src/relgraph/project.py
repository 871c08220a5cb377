"""Where a project's files are, and loading them into one rdflib Dataset.

A project is a directory with ``ontology/*.ttl`` (the OWL ontology; ``shapes.ttl``
there holds the SHACL shapes), ``data/**/*.ttl`` (the asserted facts, one folder
per source document) and ``queries/*.rq`` (the stored queries).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from .errors import InputError, ProjectError

if TYPE_CHECKING:  # rdflib is imported where it is used: the query path runs without it
    from rdflib import Dataset, Graph, URIRef
    from rdflib.plugins.parsers.notation3 import BadSyntax
    from rdflib.term import Node

SHAPES_FILE = "shapes.ttl"


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
    return graph


def _bad_syntax_position(error: BadSyntax) -> tuple[int, int]:
    """1-based line and column of a BadSyntax (rdflib keeps the text and an offset)."""
    text: bytes = error._str if isinstance(error._str, bytes) else str(error._str).encode()
    offset = min(error._i, len(text))
    line_start = text.rfind(b"\n", 0, offset) + 1
    column = len(text[line_start:offset].decode("utf-8", "replace")) + 1
    return text.count(b"\n", 0, offset) + 1, column


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
            data_files=tuple(sorted((root / "data").rglob("*.ttl"))),
            queries_dir=root / "queries",
        )

    def load(self, *, data_files: Sequence[Path] | None = None) -> LoadedProject:
        """Parse the ontology and the data (``data_files`` instead of the project's, if given).

        Every ``rg:localCopy`` is resolved against the folder of the Turtle file that
        states it; a missing local copy is an InputError naming that Turtle file.
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
        return LoadedProject(
            project=self,
            dataset=dataset,
            stated_in_file=MappingProxyType({k: tuple(v) for k, v in stated.items()}),
            local_copies=MappingProxyType(copies),
        )

    def load_shapes(self) -> Graph:
        """The SHACL shapes graph (empty if the project has no ``ontology/shapes.ttl``)."""
        if self.shapes_file is None:
            from rdflib import Graph

            from .vocab import bind_prefixes

            graph = Graph()
            bind_prefixes(graph)
            return graph
        return parse_turtle(self.shapes_file)


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
