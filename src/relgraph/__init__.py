"""relgraph: what documents say about relations between states, as an RDF knowledge graph.

The public API is re-exported here; the ``relgraph`` command is a thin shell over it.
"""

from importlib.metadata import PackageNotFoundError, version

from .build import BuildSummary, build, export_project, inferred_for, query_dataset, reason_project, write_release
from .coverage import CoverageReport, DocumentCoverage, UnitCoverage, coverage, select_documents
from .errors import (
    InputError,
    ParameterError,
    ProjectError,
    QueryNotFound,
    QuerySyntaxError,
    RelgraphError,
)
from .export import serialize_dataset, serialize_graph, write_atomic
from .formats import RDF_FORMATS, RESULT_FORMATS, RdfFormat, ResultFormat, rdf_format, result_format
from .project import LoadedProject, Project, parse_turtle
from .queries import Catalogue, Param, StoredQuery, load_query, parse_iri
from .reason import ReasoningResult, reason
from .results import QueryResult, run_query, serialize_result
from .validate import ValidationReport, Violation, validate
from .link import export_quickstatements, export_wikidata, link_project

try:
    __version__ = version("relgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "BuildSummary",
    "Catalogue",
    "CoverageReport",
    "DocumentCoverage",
    "InputError",
    "LoadedProject",
    "Param",
    "ParameterError",
    "Project",
    "ProjectError",
    "QueryNotFound",
    "QueryResult",
    "QuerySyntaxError",
    "RdfFormat",
    "ReasoningResult",
    "RelgraphError",
    "ResultFormat",
    "StoredQuery",
    "UnitCoverage",
    "ValidationReport",
    "Violation",
    "__version__",
    "build",
    "inferred_for",
    "link_project",
    "coverage",
    "export_project",
    "export_quickstatements",
    "export_wikidata",
    "load_query",
    "parse_iri",
    "parse_turtle",
    "query_dataset",
    "rdf_format",
    "reason",
    "reason_project",
    "result_format",
    "run_query",
    "select_documents",
    "serialize_dataset",
    "serialize_graph",
    "serialize_result",
    "validate",
    "write_atomic",
    "write_release",
]
