"""The w3id.org redirect (w3id/.htaccess): its rules, applied to the graph's own IRIs with the
Accept headers clients send, lead to paths ``relgraph serve`` answers in the format asked for.

The rules are read from the file and applied as Apache's mod_rewrite applies them (RewriteCond on
the Accept header, [OR] and [NC], the first RewriteRule that matches wins), so the test fails when a
rule names a path or suffix the server does not serve.
"""

from __future__ import annotations

import re
import shlex

import httpx
import pytest
from server_fixtures import ROOT

PLACEHOLDER = "https://relgraph.example.org"
NAMESPACE = "https://w3id.org/relgraph/"


def rules():
    """(conditions, pattern, target, flags) per RewriteRule; a condition is (regex, flags)."""
    out, pending = [], []
    for line in (ROOT / "w3id" / ".htaccess").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = shlex.split(line, posix=False)
        if words[0] == "RewriteCond":
            assert words[1] == "%{HTTP_ACCEPT}", line
            pending.append((words[2], words[3].strip("[]").split(",") if len(words) > 3 else []))
        elif words[0] == "RewriteRule":
            out.append((pending, words[1], words[2], words[3].strip("[]").split(",")))
            pending = []
    return out


def _conditions_hold(conditions, accept: str) -> bool:
    result, joined_by_or = True, False
    for index, (pattern, flags) in enumerate(conditions):
        hit = re.search(pattern, accept, re.IGNORECASE if "NC" in flags else 0) is not None
        result = (result or hit) if joined_by_or else (hit if index == 0 else result and hit)
        joined_by_or = "OR" in flags
    return result


def redirect(iri: str, accept: str) -> tuple[str, str]:
    """The status flag and target the rules give for a GET of ``iri`` with ``accept``."""
    path = iri[len(NAMESPACE):].split("#", 1)[0]
    for conditions, pattern, target, flags in rules():
        match = re.match(pattern, path)
        if match and _conditions_hold(conditions, accept):
            location = re.sub(r"\$(\d)", lambda m: match.group(int(m[1])) or "", target)
            return next(f for f in flags if f.startswith("R=")), location
    pytest.fail(f"no rule for {iri}")


CASES = [
    ("id/latvia", "text/turtle", "text/turtle"),
    ("id/latvia", "application/ld+json", "application/ld+json"),
    ("id/latvia", "application/n-triples", "application/n-triples"),
    ("id/latvia", "application/rdf+xml", "application/rdf+xml"),
    ("id/latvia", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("ontology#Visit", "text/turtle", "text/turtle"),
    ("ontology", "text/html", "text/html"),
    ("graph/asserted", "application/n-quads", "application/n-quads"),
    ("graph/inferred", "application/trig", "application/trig"),
    ("graph/ontology", "text/turtle", "text/turtle"),
    ("id/latvia.ttl", "*/*", "text/turtle"),
]


@pytest.mark.parametrize("path, accept, expected", CASES, ids=[f"{p} {a[:20]}" for p, a, _ in CASES])
def test_each_redirect_reaches_a_served_document(server, path, accept, expected):
    status, location = redirect(NAMESPACE + path, accept)
    assert status == "R=303" and location.startswith(PLACEHOLDER + "/")
    response = httpx.get(server.url + location[len(PLACEHOLDER):], headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200, (location, response.text[:200])
    assert response.headers["content-type"].split(";")[0] == expected


def test_the_endpoint_and_the_page():
    assert redirect(NAMESPACE + "sparql", "*/*") == ("R=307", PLACEHOLDER + "/sparql")
    assert redirect(NAMESPACE, "text/html") == ("R=302", PLACEHOLDER + "/")
