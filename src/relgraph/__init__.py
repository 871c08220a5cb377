"""relgraph: what documents say about relations between states, as an RDF knowledge graph.

The public API is re-exported here; the ``relgraph`` command is a thin shell over it.
"""

import sys
import types
from importlib import import_module

_EXPORTS = {
    "build": ("BuildSummary", "build", "export_project", "inferred_for", "query_dataset", "reason_project", "write_release"),
    "coverage": ("CoverageReport", "DocumentCoverage", "UnitCoverage", "coverage", "select_documents"),
    "errors": ("InputError", "ParameterError", "ProjectError", "QueryNotFound", "QuerySyntaxError", "RelgraphError"),
    "export": ("serialize_dataset", "serialize_graph", "write_atomic"),
    "formats": ("RDF_FORMATS", "RESULT_FORMATS", "RdfFormat", "ResultFormat", "rdf_format", "result_format"),
    "project": ("LoadedProject", "Project", "parse_turtle"),
    "queries": ("Catalogue", "Param", "StoredQuery", "load_query", "parse_iri"),
    "reasoning.reference": ("ReasoningResult", "reason"),
    "results": ("QueryResult", "run_query", "serialize_result"),
    "validation.reference": ("ValidationReport", "Violation", "validate"),
    "link": ("export_quickstatements", "export_wikidata", "link_project"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str):
    # Each part is imported when first used, so that `relgraph query` loads only what it needs
    # (no rdflib, pyshacl or owlrl to answer from an Oxigraph store).
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("relgraph")
        except PackageNotFoundError:  # running from a source tree that is not installed
            value = "0.0.0"
    elif name in _MODULE_OF:
        value = getattr(import_module(f".{_MODULE_OF[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """Keeps ``relgraph.build`` (and the other functions named as their modules) the function
    the package exports, as it was when the package imported them all, once their module loads."""

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, types.ModuleType) and name in _MODULE_OF and _MODULE_OF[name] == name:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
