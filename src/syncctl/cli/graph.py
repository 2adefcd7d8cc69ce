"""``syncctl graph``: draw one job's dependency graph (text, mermaid or dot)."""

from __future__ import annotations

from dataclasses import dataclass

import click

from syncctl.cli.main import Globals, format_option
from syncctl.config import load_config
from syncctl.errors import EXIT_FAILURE
from syncctl.graph import load_job_graph
from syncctl.render.findings import FINDINGS
from syncctl.render.graph import GRAPH


@dataclass(frozen=True, slots=True)
class GraphOptions:
    key: str
    fmt: str


@click.command()
@click.argument("job_key")
@format_option(
    GRAPH,
    help="Output format: an indented list, a mermaid flowchart, or a Graphviz digraph.",
)
@click.pass_obj
def graph(globals_: Globals, job_key: str, fmt: str) -> None:
    """Draw the dependency graph of the job JOB_KEY (e.g. zendesk/tickets-with-comments).

    Runtime 4 nodes are labelled with name and type, runtime 1-3 entries with method and
    resource; edges come from depends_on, and a destination gets one from each node it
    persists. The file is validated first: an invalid one prints its findings and exits 1.
    Exit 0 drawn, 1 an invalid file, 2 usage (no such job).

    \b
    Examples:
      syncctl graph hubspot/companies-incremental
      syncctl graph notion/page-tree --format mermaid >> pr-description.md
      syncctl graph zendesk/tickets --format dot | dot -Tsvg > tickets.svg
    """
    options = GraphOptions(job_key, fmt)
    config = load_config(globals_.config)
    result = load_job_graph(config, options.key)
    if result.graph is None:
        click.echo(FINDINGS.render("text", result.report, color=globals_.color), nl=False)
        click.get_current_context().exit(EXIT_FAILURE)
    click.echo(GRAPH.render(options.fmt, result.graph, color=globals_.color), nl=False)
