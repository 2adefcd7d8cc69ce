"""Did-you-mean hints for names a rule does not know."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any


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


def misspelling_of(word: str, fields: Mapping[str, Any], known: Iterable[str]) -> str | None:
    """The key of ``fields`` that SJ010 reports as a misspelling of ``word``, if any.

    SJ010 calls an unknown key a misspelling of the closest allowed key ("did you mean …?");
    a rule about ``word`` being missing stays quiet then, so one typo gives one finding."""
    options = sorted(set(known))
    for key in fields:
        if key in options:
            continue
        close = difflib.get_close_matches(key, options, n=1, cutoff=0.6)
        if close and close[0] == word:
            return key
    return None
