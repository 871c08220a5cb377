"""Reasoning: the OWL 2 RL closure of the stated graph and the ``derive-*`` rules.

* :mod:`.reference`: owlrl over rdflib graphs, the reference reasoner (``reason``);
* :mod:`.rules`: the ``reasonable`` closure and the rules it lacks, proven equal to the
  reference (tests/test_reasonable.py);
* :mod:`.in_store`: the same closure over a store's graphs, written into its inferred graph
  (``reason_in_store``).

Each name is imported when first used, so importing the package loads neither rdflib nor owlrl.
"""

from ..lazy import lazy_exports

__getattr__ = lazy_exports(__name__, {
    "reference": ("ENGINES", "ReasoningResult", "is_trivial", "reason"),
    "in_store": ("reason_in_store",),
})


__all__ = [
    "ENGINES",
    "ReasoningResult",
    "is_trivial",
    "reason",
    "reason_in_store",
]
