"""``relgraph serve``: a read-only SPARQL 1.1 endpoint, Linked Data pages and a web page.

The library builds the app (:func:`create_app`); the CLI only runs it under uvicorn.
"""

from .app import ROUTE_MAP, create_app
from .runtime import ServerConfig

__all__ = ["ROUTE_MAP", "ServerConfig", "create_app"]
