"""Did-you-mean hints for names a rule does not know."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, known: Iterable[str]) -> str | None:
    """``"did you mean 'x'?"`` for the closest known name, or ``None``."""
    options = sorted(set(known))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        lowered = {o.lower(): o for o in options}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f"did you mean {close[0]!r}?" if close else None


def listing(names: Iterable[str], limit: int = 8) -> str:
    """``'a', 'b', 'c'`` (at most ``limit`` names, then ``…``), or ``none``."""
    shown = [repr(n) for n in names]
    if not shown:
        return "none"
    if len(shown) > limit:
        return ", ".join(shown[:limit]) + ", …"
    return ", ".join(shown)
