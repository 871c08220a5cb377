"""Validation: the SHACL shapes and the duplicate check over the stated graph.

* :mod:`.reference`: pyshacl, the validator of record (``validate``) and the report's renderings;
* :mod:`.in_store`: the shapes compiled to SPARQL and run in a store (``validate_in_store``),
  proven to give pyshacl's report (tests/test_fast_paths.py, tests/test_incremental_validation.py);
* :mod:`.incremental`: revalidating only the nodes a change touches (``validate_changes``).

Each name is imported when first used, so importing the package loads neither rdflib nor pyshacl.
"""

from ..lazy import lazy_exports

__getattr__ = lazy_exports(__name__, {
    "reference": ("ValidationReport", "Violation", "render_json", "render_text", "render_turtle", "validate"),
    "in_store": ("UnsupportedShapes", "validate_in_store"),
    "incremental": ("validate_changes",),
})


__all__ = [
    "UnsupportedShapes",
    "ValidationReport",
    "Violation",
    "render_json",
    "render_text",
    "render_turtle",
    "validate",
    "validate_changes",
    "validate_in_store",
]
