"""Share one analysis of a document between the rules that read it.

``validate`` runs every file rule on one file before it moves to the next, so a one-entry cache
keyed on the identity of the ``Document`` lets a dozen rules share one walk of the data without
keeping more than one document alive.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from syncctl.loader import Document

T = TypeVar("T")


def per_document(compute: Callable[[Document], T]) -> Callable[[Document], T]:
    """Cache ``compute(doc)`` for the most recent document (compared by identity)."""
    last: list[tuple[Document, T]] = []

    @functools.wraps(compute)
    def cached(doc: Document) -> T:
        if last and last[0][0] is doc:
            return last[0][1]
        result = compute(doc)
        last[:] = [(doc, result)]
        return result

    return cached
