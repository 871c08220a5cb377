"""Curation: from a document's text to reviewed facts (new, draft, review, accept)."""
