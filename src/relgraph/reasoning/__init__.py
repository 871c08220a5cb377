"""Reasoning: the OWL 2 RL closure of the stated graph and the ``derive-*`` rules.

* :mod:`.reference`: owlrl over rdflib graphs, the reference reasoner (``reason``);
* :mod:`.rules`: the ``reasonable`` closure and the rules it lacks, proven equal to the
  reference (tests/test_reasonable.py);
* :mod:`.in_store`: the same closure over a store's graphs, written into its inferred graph
  (``reason_in_store``).

Each name is imported when first used, so importing the package loads neither rdflib nor owlrl.
"""

from importlib import import_module

_EXPORTS = {
    "reference": ("ENGINES", "ReasoningResult", "is_trivial", "reason"),
    "in_store": ("reason_in_store",),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_MODULE_OF[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = sorted(_MODULE_OF)
