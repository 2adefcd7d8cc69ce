"""A typed registry of output formats: one ``Registry[T]`` per kind of result.

Each command takes its ``--format`` choices from its registry (``Registry.formats()``, the first
is the default) and renders with ``Registry.render(fmt, value, color=...)``; mypy checks that
every renderer registered for a kind accepts that kind's result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, Protocol, TypeVar

from syncctl.errors import UsageError

T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)


class Renderer(Protocol[T_contra]):
    """Turns one result into the text of one format (``color``: ANSI styles for a terminal)."""

    def __call__(self, value: T_contra, /, *, color: bool = False) -> str: ...


class Registry(Generic[T]):
    """The formats of one kind of result, in the order ``--help`` lists them."""

    def __init__(self, kind: str, renderers: Mapping[str, Renderer[T]]) -> None:
        if not renderers:
            raise ValueError(f"the {kind} registry has no format")
        self.kind = kind
        self._renderers = dict(renderers)

    def formats(self) -> tuple[str, ...]:
        return tuple(self._renderers)

    @property
    def default(self) -> str:
        return next(iter(self._renderers))

    def renderer(self, fmt: str) -> Renderer[T]:
        try:
            return self._renderers[fmt]
        except KeyError:
            raise UsageError(
                f"unknown format {fmt!r} for {self.kind} (choose from {', '.join(self.formats())})"
            ) from None

    def render(self, fmt: str, value: T, *, color: bool = False) -> str:
        return self.renderer(fmt)(value, color=color)
