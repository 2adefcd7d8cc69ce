"""The formats of a job's dependency graph: an indented list, mermaid, Graphviz dot."""

from __future__ import annotations

from syncctl.graph import JobGraph, render_dot, render_mermaid, render_text
from syncctl.render.registry import Registry


def _text(graph: JobGraph, *, color: bool = False) -> str:
    return render_text(graph)


def _mermaid(graph: JobGraph, *, color: bool = False) -> str:
    return render_mermaid(graph)


def _dot(graph: JobGraph, *, color: bool = False) -> str:
    return render_dot(graph)


GRAPH: Registry[JobGraph] = Registry("graph", {"text": _text, "mermaid": _mermaid, "dot": _dot})
