"""``python -m relgraph``: the console script (:mod:`relgraph.console`)."""

from .console import main

main()
