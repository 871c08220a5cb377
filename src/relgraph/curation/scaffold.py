"""``relgraph new``: a new document folder, made whole or not at all.

``data/SLUG/`` gets the text verbatim (``source.txt``, byte for byte), its ``ATTRIBUTION.md``
and its ``document.ttl`` (the rg:SourceDocument node ``rgd:SLUG``). The folder is built in a
hidden temporary sibling (``data/.SLUG-…``, which project discovery skips) and renamed into
place, so a failure leaves nothing behind. The sentences are not written: they are generated
from ``source.txt`` whenever the project is loaded (:mod:`relgraph.curation.sentences`).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef

from ..errors import InputError, OutputError, ParameterError
from ..sources import split_text
from ..vocab import RGD
from .sentences import DOCUMENT_FILE, read_text

SOURCE_FILE = "source.txt"
ATTRIBUTION_FILE = "ATTRIBUTION.md"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


@dataclass(frozen=True)
class NewDocument:
    """What :func:`new_document` made."""

    folder: Path
    document: URIRef
    sentences: int
    """Units the splitter cuts from the text (the sentences the project will have)."""
    files: tuple[str, ...]


def check_slug(slug: str) -> str:
    """``slug`` if it is lower-case letters and digits in hyphen-separated words; else ParameterError."""
    if not _SLUG.fullmatch(slug):
        raise ParameterError("SLUG", f"{slug!r} is not a slug: use lower-case letters, digits and single hyphens (e.g. 'estonia-portugal-relations')")
    return slug


def _check_iri(name: str, value: str) -> URIRef:
    if not _IRI.fullmatch(value):
        raise ParameterError(name, f"{value!r} is not an absolute IRI (e.g. https://example.org/page)")
    return URIRef(value)


def document_turtle(document: URIRef, *, title: str, url: URIRef, license: URIRef | None) -> str:
    """The ``document.ttl`` of a new document."""
    lines = [
        "# The source document. Its sentences are not written here: relgraph generates them from",
        f"# {SOURCE_FILE} when the project is loaded (relgraph.curation.sentences).",
        "",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix rg: <https://w3id.org/relgraph/ontology#> .",
        "@prefix rgd: <https://w3id.org/relgraph/id/> .",
        "",
        f"rgd:{document[len(str(RGD)):]}",
        "    a rg:SourceDocument ;",
        f"    dcterms:title {Literal(title, lang='en').n3()} ;",
        f"    dcterms:source {url.n3()} ;",
        *([f"    dcterms:license {license.n3()} ;"] if license is not None else []),
        f"    rdfs:label {Literal(title, lang='en').n3()} ;",
        f"    rg:localCopy {Literal(SOURCE_FILE).n3()} .",
        "",
    ]
    return "\n".join(lines)


def attribution_markdown(*, title: str, url: str, license: str | None, retrieved: datetime.date | None) -> str:
    """The ``ATTRIBUTION.md`` of a new document."""
    lines = [
        f"# {title}: the source",
        "",
        f"`{SOURCE_FILE}` is the text of \"{title}\" (<{url}>), kept byte for byte as it was retrieved.",
        "",
        f"- Address: <{url}>",
        f"- License: <{license}>" if license else "- License: not recorded (add it with the source's terms before publishing)",
    ]
    if retrieved is not None:
        lines.append(f"- Retrieved: {retrieved.isoformat()}")
    lines += [
        "",
        f"- `{DOCUMENT_FILE}`: the document; its sentences are generated from `{SOURCE_FILE}`.",
        "- `entities.ttl`, `facts.ttl`: what the curator accepted (`relgraph review`, `relgraph accept`).",
        "",
    ]
    return "\n".join(lines)


def new_document(
    data_dir: Path,
    slug: str,
    *,
    text_file: Path,
    title: str,
    url: str,
    license: str | None = None,
    retrieved: datetime.date | None = None,
) -> NewDocument:
    """Create ``data_dir/slug`` with the text of ``text_file``, its attribution and document node.

    ParameterError for a bad slug, title, URL or license; InputError if the folder exists or the
    text cannot be read or is not UTF-8 (naming the file and byte offset); OutputError if the
    folder cannot be written. Nothing is left behind on failure.
    """
    check_slug(slug)
    if not title.strip():
        raise ParameterError("--title", "must not be empty")
    source = _check_iri("--url", url)
    licence = None if license is None else _check_iri("--license", license)
    data_dir = Path(data_dir)
    target = data_dir / slug
    if target.exists():
        raise InputError(f"document {slug!r} exists already; choose another SLUG or remove the folder", path=target)
    data = Path(text_file).read_bytes() if Path(text_file).is_file() else None
    if data is None:
        raise InputError("no such file", path=Path(text_file))
    text = read_text(Path(text_file))  # InputError with the byte offset if not UTF-8
    units = split_text(text)
    if not units:
        raise InputError("the text has no sentences (only headings or blank lines)", path=Path(text_file))
    document = RGD[slug]
    files = {
        SOURCE_FILE: data,
        ATTRIBUTION_FILE: attribution_markdown(title=title, url=url, license=license, retrieved=retrieved).encode("utf-8"),
        DOCUMENT_FILE: document_turtle(document, title=title, url=source, license=licence).encode("utf-8"),
    }
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{slug}-", dir=data_dir))
    except OSError as error:
        raise OutputError(data_dir, error.strerror or str(error)) from None
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        os.chmod(staging, 0o755)
        if target.exists():  # made meanwhile: never replaced
            raise InputError(f"document {slug!r} exists already", path=target)
        os.rename(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(target, error.strerror or str(error)) from None
    except InputError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return NewDocument(target, document, len(units), tuple(sorted(files)))
