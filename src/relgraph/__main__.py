"""``python -m relgraph``: the console script (:mod:`relgraph.console`)."""

from .console import main

if __name__ == "__main__":
    main()
