"""Validation: the SHACL shapes and the duplicate check over the stated graph.

* :mod:`.reference`: pyshacl, the validator of record (``validate``) and the report's renderings;
* :mod:`.in_store`: the shapes compiled to SPARQL and run in a store (``validate_in_store``),
  proven to give pyshacl's report (tests/test_fast_paths.py, tests/test_incremental_validation.py);
* :mod:`.incremental`: revalidating only the nodes a change touches (``validate_changes``).

Each name is imported when first used, so importing the package loads neither rdflib nor pyshacl.
"""

from importlib import import_module

_EXPORTS = {
    "reference": ("ValidationReport", "Violation", "render_json", "render_text", "render_turtle", "validate"),
    "in_store": ("UnsupportedShapes", "validate_in_store"),
    "incremental": ("validate_changes",),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_MODULE_OF[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = sorted(_MODULE_OF)
