"""SELECT and ASK answers in the SPARQL result formats and as a table, without rdflib.

One writer per format for every store: ``results.serialize_result`` hands it the rows of an
rdflib answer, the Oxigraph query path (``stores/answers.py``) the rows it reads from the
engine, so the bytes are the same whichever store answered. Each writer gives the bytes rdflib's
serializer of the format gave (``tests/test_query_path.py`` compares them).

A term is a :class:`Term`: kind (``uri``, ``bnode`` or ``literal``), value, datatype (None for a
plain or language-tagged literal) and language; an unbound value is None.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import NamedTuple

from .prefixes import XSD_IRI, short_iri

XSD_DECIMAL = XSD_IRI + "decimal"


class Term(NamedTuple):
    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None


Row = Sequence["Term | None"]


def canonical_decimal_text(text: str) -> str:
    """An xsd:decimal's lexical form in XSD 1.0's canonical form (``7320000000.0``); an
    ill-formed or non-finite one as it is.

    >>> canonical_decimal_text("7320000000"), canonical_decimal_text("-001.500")
    ('7320000000.0', '-1.5')
    """
    from decimal import Decimal, InvalidOperation  # here: the query path's start does without it

    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    whole, _, fraction = format(value, "f").partition(".")
    fraction = fraction.rstrip("0") or "0"
    whole = whole.lstrip("-").lstrip("0") or "0"
    return f"{'-' if value < 0 else ''}{whole}.{fraction}"


def n3(term: Term | None) -> str:
    """rdflib's ``n3()`` of the term (no namespace manager): the key rows are sorted by."""
    if term is None:
        return ""
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    text = term.value
    if "\n" in text:
        encoded = text.replace("\\", "\\\\")
        if '"""' in text:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + "\\" + '"'
        quoted = '"""%s"""' % encoded.replace("\r", "\\r")
    else:
        quoted = '"%s"' % text.replace("\n", "\\n").replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype is not None:
        return f"{quoted}^^<{term.datatype}>"
    return quoted


def sorted_rows(rows: Sequence[Row]) -> list[Row]:
    """``rows`` in relgraph's order for an answer without ORDER BY."""
    return sorted(rows, key=lambda row: tuple(n3(t) for t in row))


def _short(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "literal":
        return term.value
    if term.kind == "bnode":
        return f"_:{term.value}"
    return short_iri(term.value)


def table(kind: str, variables: Sequence[str], rows: Sequence[Row], boolean: bool | None) -> bytes:
    """A plain-text table: IRIs as prefixed names, literals as their lexical form."""
    if kind == "ASK":
        return (("yes" if boolean else "no") + "\n").encode("utf-8")
    header = list(variables)
    body = [[_short(v).replace("\n", " ") for v in row] for row in rows]
    widths = [max(len(c) for c in column) for column in zip(header, *body)] if header else []
    lines = []
    for cells in [header, ["-" * w for w in widths], *body]:
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    count = len(rows)
    lines.append(f"({count} row{'s' * (count != 1)})")
    return ("\n".join(lines) + "\n").encode("utf-8")


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "literal":
        quoted = '"' + term.value.translate(_TSV_ESCAPES) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        return f"{quoted}^^<{term.datatype}>" if term.datatype else quoted
    return n3(term)


def tsv(kind: str, variables: Sequence[str], rows: Sequence[Row], boolean: bool | None) -> bytes:
    """SPARQL 1.1 TSV: a ``?var`` header, then terms in N-Triples form; ASK as ``?boolean``."""
    if kind == "ASK":
        return f"?boolean\n{'true' if boolean else 'false'}\n".encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join(_tsv_term(t) for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def csv_(kind: str, variables: Sequence[str], rows: Sequence[Row], boolean: bool | None) -> bytes:
    """SPARQL 1.1 CSV (IRIs and lexical forms, blank nodes as ``_:id``); ASK as ``boolean``."""
    if kind == "ASK":
        return f"boolean\r\n{'true' if boolean else 'false'}\r\n".encode("utf-8")
    import csv  # here: the query path's start does without it

    stream = io.StringIO(newline="")
    out = csv.writer(stream, delimiter=",")
    out.writerow(variables)
    for row in rows:
        out.writerow(["" if t is None else (f"_:{t.value}" if t.kind == "bnode" else t.value) for t in row])
    return stream.getvalue().encode("utf-8")


def _json_term(term: Term) -> dict[str, str]:
    out = {"type": term.kind, "value": term.value}
    if term.kind == "literal":
        if term.datatype is not None:
            out["datatype"] = term.datatype
        if term.language is not None:
            out["xml:lang"] = term.language
    return out


def json_(kind: str, variables: Sequence[str], rows: Sequence[Row], boolean: bool | None) -> bytes:
    """SPARQL 1.1 JSON results, written as rdflib writes them (orjson's compact form if installed)."""
    if kind == "ASK":
        document: dict = {"head": {}, "boolean": bool(boolean)}
    else:
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        document = {"results": {"bindings": bindings}, "head": {"vars": list(variables)}}
    try:
        import orjson
    except ImportError:
        import json

        return json.dumps(document, allow_nan=False, ensure_ascii=False).encode("utf-8")
    return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS)


_SPARQL_NS = "http://www.w3.org/2005/sparql-results#"
_XML_NS = "http://www.w3.org/XML/1998/namespace"


def xml(kind: str, variables: Sequence[str], rows: Sequence[Row], boolean: bool | None) -> bytes:
    """SPARQL 1.1 XML results, element for element as rdflib's writer gives them."""
    from xml.sax.saxutils import XMLGenerator
    from xml.sax.xmlreader import AttributesNSImpl

    stream = io.BytesIO()
    writer = XMLGenerator(stream, "utf-8")
    none = AttributesNSImpl({}, {})

    def element(name: str, attributes=none, text: str | None = None, *, end: bool = True) -> None:
        writer.startElementNS((_SPARQL_NS, name), name, attributes)
        if text is not None:
            writer.characters(text)
        if end:
            writer.endElementNS((_SPARQL_NS, name), name)

    def named(value: str):
        return AttributesNSImpl({(None, "name"): value}, {(None, "name"): "name"})

    writer.startDocument()
    writer.startPrefixMapping("", _SPARQL_NS)
    writer.startPrefixMapping("xml", _XML_NS)
    element("sparql", end=False)
    element("head", end=False)
    for variable in () if kind == "ASK" else variables:
        element("variable", named(variable))
    writer.endElementNS((_SPARQL_NS, "head"), "head")
    if kind == "ASK":
        element("boolean", text=str(bool(boolean)).lower())
    else:
        element("results", end=False)
        for row in rows:
            element("result", end=False)
            for variable, term in zip(variables, row):
                if term is None:
                    continue
                element("binding", named(variable), end=False)
                if term.kind == "literal":
                    values, qnames = {}, {}
                    if term.language:
                        values[(_XML_NS, "lang")], qnames[(_XML_NS, "lang")] = term.language, "xml:lang"
                    elif term.datatype:
                        values[(None, "datatype")], qnames[(None, "datatype")] = term.datatype, "datatype"
                    element("literal", AttributesNSImpl(values, qnames), term.value)
                else:
                    element(term.kind, text=term.value)
                writer.endElementNS((_SPARQL_NS, "binding"), "binding")
            writer.endElementNS((_SPARQL_NS, "result"), "result")
        writer.endElementNS((_SPARQL_NS, "results"), "results")
    writer.endElementNS((_SPARQL_NS, "sparql"), "sparql")
    writer.endDocument()
    return stream.getvalue()


WRITERS: dict[str, Callable[[str, Sequence[str], Sequence[Row], bool | None], bytes]] = {
    "table": table,
    "json": json_,
    "xml": xml,
    "csv": csv_,
    "tsv": tsv,
}
"""Writer per result format name (``formats.RESULT_FORMATS``)."""
