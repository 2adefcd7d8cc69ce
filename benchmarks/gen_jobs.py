"""Generate a corpus of realistic, valid sync-job files for benchmarks.

    python benchmarks/gen_jobs.py OUT_DIR N [--seed S]

writes ``OUT_DIR/jobs/<integration>/<job>.yaml`` (N files) and ``OUT_DIR/syncctl.toml``
declaring the environments the jobs name. The output is deterministic for a seed and every
file is meant to pass ``syncctl validate --strict``: each job is built from a per-integration
tree of resources (a child ``depends_on`` its parent and reads the parent record through
``{{resources.<model>.<resource>.id}}``), and its arguments are declared and used together
(casts only on whole-string placeholders, fallbacks, defaults, ``loop_on`` over arrays,
incremental ``updated_at: {gt: "{{previous_run_date}}"}`` filters).

Files are written as text, not through a YAML emitter, so 10,000 files take about a second.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

ENVIRONMENTS = ("local", "staging", "production")

CONFIG_TOML = """\
# Configuration of a generated benchmark corpus (benchmarks/gen_jobs.py).
jobs_dir = "jobs"
state_dir = "state"
default_environment = "local"

[environments.local]
url = "embedded:.syncctl/local.sqlite3"
token_env = "SYNCCTL_LOCAL_TOKEN"

[environments.staging]
url = "https://api.truto.one"
token_env = "TRUTO_STAGING_TOKEN"

[environments.production]
url = "https://api.truto.one"
token_env = "TRUTO_PRODUCTION_TOKEN"
"""

# Unified models: resource -> parent resource (None for a root), in a parents-first order.
MODELS: dict[str, dict[str, str | None]] = {
    "ticketing": {
        "users": None,
        "contacts": None,
        "teams": None,
        "tags": None,
        "tickets": None,
        "comments": "tickets",
        "attachments": "comments",
        "ticket_fields": None,
    },
    "crm": {
        "companies": None,
        "contacts": "companies",
        "accounts": None,
        "opportunities": "accounts",
        "engagements": "opportunities",
        "notes": "contacts",
        "users": None,
        "pipelines": None,
        "stages": "pipelines",
    },
    "hris": {
        "employees": None,
        "employments": "employees",
        "locations": None,
        "timeoff_requests": "employees",
        "departments": None,
        "compensations": "employments",
    },
    "ats": {
        "jobs": None,
        "candidates": None,
        "applications": "candidates",
        "interviews": "applications",
        "offers": "applications",
        "job_openings": "jobs",
    },
    "accounting": {
        "accounts": None,
        "invoices": None,
        "payments": "invoices",
        "contacts": None,
        "expenses": None,
        "journal_entries": None,
        "items": None,
        "tax_rates": None,
    },
    "knowledge-base": {"spaces": None, "pages": "spaces", "page_content": "pages"},
}

# integration -> unified models it is used with (or "proxy" with its own resource tree).
INTEGRATIONS: dict[str, tuple[str, ...]] = {
    "zendesk": ("ticketing",),
    "freshdesk": ("ticketing",),
    "jira": ("ticketing",),
    "intercom": ("ticketing",),
    "linear": ("ticketing",),
    "github": ("ticketing", "proxy"),
    "hubspot": ("crm",),
    "salesforce": ("crm", "proxy"),
    "pipedrive": ("crm",),
    "zoho-crm": ("crm",),
    "bamboohr": ("hris",),
    "workday": ("hris",),
    "gusto": ("hris",),
    "personio": ("hris",),
    "greenhouse": ("ats",),
    "lever": ("ats",),
    "ashby": ("ats",),
    "quickbooks": ("accounting",),
    "xero": ("accounting",),
    "netsuite": ("accounting",),
    "confluence": ("knowledge-base",),
    "notion": ("knowledge-base",),
    "circleci": ("proxy",),
}

PROXY: dict[str, dict[str, str | None]] = {
    "github": {"repos": None, "pulls": "repos", "reviews": "pulls", "issues": "repos"},
    "salesforce": {
        "Account": None,
        "Contact": "Account",
        "Opportunity": "Account",
        "OpportunityLineItem": "Opportunity",
        "Lead": None,
    },
    "circleci": {
        "pipelines": None,
        "workflows": "pipelines",
        "jobs": "workflows",
        "projects": None,
    },
}

# Arguments that scope a run (one run per value), by unified model.
SCOPE_ARGS: dict[str, tuple[str, ...]] = {
    "ticketing": ("brand_id", "team_id", "project_key", "workspace_id"),
    "crm": ("owner_team_id", "region", "business_unit"),
    "hris": ("company_id", "legal_entity_id", "country"),
    "ats": ("department_id", "office_id", "recruiter_id"),
    "accounting": ("company_id", "subsidiary_id", "currency"),
    "knowledge-base": ("space_key", "workspace_id"),
    "proxy": ("project_slug", "organization", "instance_id"),
}
FILTERS = ("status", "owner_id", "category", "assignee_id", "source", "language")


@dataclass
class Job:
    """A job being assembled: declared arguments and rendered resource entries."""

    args: list[str] = field(default_factory=list)  # rendered property blocks
    names: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)

    def declare(
        self, name: str, kind: str, description: str, *, required: bool = False, extra: str = ""
    ) -> None:
        lines = [f"    {name}:", f"      type: {kind}", f"      description: {description}"]
        if extra:
            lines.append(extra)
        if required:
            lines.append("      required: true")
        self.args.append("\n".join(lines))
        self.names.append(name)


def _singular(resource: str) -> str:
    base = resource.lower()
    if base.endswith("ies"):
        return base[:-3] + "y"
    if base.endswith("ses"):
        return base[:-2]
    return base[:-1] if base.endswith("s") else base


def _title(slug: str) -> str:
    return " ".join(part.capitalize() for part in slug.replace("_", "-").split("-"))


def _pick_resources(rng: random.Random, tree: dict[str, str | None]) -> list[str]:
    """A parents-first subset of ``tree``, closed under ``parent``, 1 to 5 entries."""
    wanted = set(rng.sample(sorted(tree), k=min(len(tree), rng.randint(1, 3))))
    closed: set[str] = set()
    for name in wanted:
        node: str | None = name
        while node is not None and node not in closed:
            closed.add(node)
            node = tree[node]
    ordered = [name for name in tree if name in closed]
    while len(ordered) > 5:  # drop leaves until small enough
        parents = {tree[name] for name in ordered}
        leaf = next(name for name in reversed(ordered) if name not in parents)
        ordered.remove(leaf)
    return ordered


def _entry(
    job: Job,
    rng: random.Random,
    path: str,
    parent: tuple[str, str] | None,
    persist: bool | None,
    incremental: bool,
    scope: str | None,
    page: bool,
    filters: list[str],
) -> None:
    lines = [f"  - resource: {path}", "    method: list"]
    query: list[str] = []
    if parent is not None:
        parent_path, parent_ref = parent
        lines.append(f"    depends_on: {parent_path}")
        query.append(
            f"      {_singular(parent_ref.rsplit('.', 1)[-1])}_id: "
            f'"{{{{resources.{parent_ref}.id}}}}"'
        )
    if persist is not None:
        lines.append(f"    persist: {'true' if persist else 'false'}")
    if scope is not None and parent is None:
        query.append(f'      {scope}: "{{{{args.{scope}}}}}"')
    if page:
        query.append('      per_page: "{{args.page_size?:100:int}}"')
    elif rng.random() < 0.3:
        query.append(f"      per_page: {rng.choice((25, 50, 100, 200))}")
    for name in filters:
        if name == "owner_id":
            query.append('      owner_id: "{{args.owner_id|args.default_owner_id:undefined}}"')
        elif name == "status":
            query.append('      status: "{{args.status?:open}}"')
        else:
            query.append(f'      {name}: "{{{{args.{name}:ignore-empty-str:undefined}}}}"')
    if incremental:
        op = rng.choice(("gt", "gte"))
        query.append(f'      updated_at:\n        {op}: "{{{{previous_run_date}}}}"')
    if query:
        lines.append("    query:")
        lines.extend(query)
    job.resources.append("\n".join(lines))


def _loop_entry(job: Job, model: str, resource: str, arg: str) -> None:
    job.declare(
        arg,
        "array",
        f"Ids of the {resource.replace('_', ' ')} to fetch, one call each.",
        required=True,
        extra="      items:\n        type: string",
    )
    job.resources.append(
        "\n".join(
            [
                f"  - resource: {model}/{resource}"
                if model != "proxy"
                else f"  - resource: {resource}",
                "    method: get",
                f"    loop_on: args.{arg}",
                f'    id: "{{{{args.{arg}}}}}"',
            ]
        )
    )


def render_job(rng: random.Random, index: int) -> tuple[str, str, str]:
    """One job: (integration, file stem, YAML text)."""
    integration = rng.choice(sorted(INTEGRATIONS))
    model = rng.choice(INTEGRATIONS[integration])
    tree = PROXY[integration] if model == "proxy" else MODELS[model]
    picked = _pick_resources(rng, tree)
    job = Job()

    scope = rng.choice(SCOPE_ARGS[model]) if rng.random() < 0.5 else None
    if scope is not None:
        job.declare(scope, "string", f"The {scope.replace('_', ' ')} to sync.", required=True)
    page = rng.random() < 0.4
    if page:
        job.declare("page_size", "number", "Records per page (default 100).")
    filters = rng.sample(FILTERS, k=rng.choice((0, 0, 1, 2)))
    for name in filters:
        job.declare(name, "string", f"Only records with this {name.replace('_', ' ')}.")
        if name == "owner_id":
            job.declare("default_owner_id", "string", "Owner used when owner_id is not given.")
    incremental = rng.random() < 0.6
    since = incremental and rng.random() < 0.3
    if since:
        job.declare(
            "since", "string", "Start date of the first run (ISO 8601).", extra="      format: date"
        )

    roots_with_children = {tree[name] for name in picked if tree[name] is not None}
    for name in picked:
        path = name if model == "proxy" else f"{model}/{name}"
        parent_name = tree[name]
        parent = None
        if parent_name is not None:
            parent_path = parent_name if model == "proxy" else f"{model}/{parent_name}"
            parent = (parent_path, parent_path.replace("/", "."))
        persist: bool | None = None
        if name in roots_with_children and rng.random() < 0.4:
            persist = False
        elif rng.random() < 0.15:
            persist = True
        _entry(
            job,
            rng,
            path,
            parent,
            persist,
            incremental and parent is None,
            scope,
            page and parent is None,
            filters if parent is None else [],
        )
    if since:  # the first root reads the argument and falls back to the run marker
        job.resources[0] = job.resources[0].replace(
            '"{{previous_run_date}}"', '"{{args.since|previous_run_date}}"', 1
        )
    leftover = [n for n in tree if n not in picked]
    if leftover and rng.random() < 0.25:
        loop_resource = rng.choice(leftover)
        _loop_entry(job, model, loop_resource, f"{_singular(loop_resource)}_ids")

    stem = f"{'-'.join(p.replace('_', '-').lower() for p in picked[:2])}-{index:05d}"
    label = (
        f"{_title(integration)} {' and '.join(p.replace('_', ' ') for p in picked[:3])} #{index}"
    )
    out = [
        "# yaml-language-server: $schema=../../schemas/sync-job.schema.json",
        f"integration_name: {integration}",
        f'label: "{label}"',
        "description: >-",
        f"  Generated job {index}: {len(job.resources)} request(s) against {integration}"
        f"{' (incremental)' if incremental else ''}.",
        f"default_runtime_version: {rng.choice((3, 3, 3, 2))}",
    ]
    roll = rng.random()
    if roll < 0.3:
        out.append("environments: [staging, production]")
    elif roll < 0.4:
        out.append("environments: [production]")
    elif roll < 0.5:
        out.append("environments: [local, staging]")
    if rng.random() < 0.1:
        out.append("protected: true")
    if job.args:
        out.append("args_schema:\n  type: object\n  properties:")
        out.extend(job.args)
        if scope is not None and rng.random() < 0.3:
            out.append(
                f"args_validation: >-\n  $length(args.{scope}) = 0 ?"
                f' {{ "message": "{scope} must not be empty" }}'
            )
    else:
        out.append("args_schema: null")
    key = f"{integration}-{index}"
    if scope is not None:
        out.append(f'mutex_key: "{key}-{{{{args.{scope}}}}}"')
        out.append(f'state_key: "{key}-{{{{args.{scope}}}}}"' if incremental else "state_key: null")
    elif rng.random() < 0.5:
        out.append(f"mutex_key: {key}")
    out.append("resources:")
    out.extend(job.resources)
    return integration, stem, "\n".join(out) + "\n"


# ---- runtime 4: named nodes -----------------------------------------------------------------

VERBS = ("list", "fetch", "pull", "read", "sync", "load")
FIELDS = (
    "id", "name", "title", "status", "email", "created_at", "updated_at", "owner_id",
    "amount", "currency", "priority", "type", "url", "tags", "description", "parent_id",
)  # fmt: skip
CURSORS = ("last_synced_at", "cursor", "since", "high_water_mark", "last_run_at")
DESTINATIONS = (("webhook", "webhook_id"), ("datastore", "datastore_id"))
STATE_VALUES = (
    "sync_job_run.status = 'completed' ? sync_job_run.started_at",
    "sync_job_run.status = 'completed' ? $now()",
    "sync_job_run.status = 'completed' and $exists(sync_job_run.started_at)"
    " ? sync_job_run.started_at : undefined",
)


def _jsonata_path(path: str) -> str:
    """``knowledge-base/page_content`` -> ``resources.`knowledge-base`.page_content``."""
    parts = [f"`{p}`" if not p.isidentifier() else p for p in path.split("/")]
    return ".".join(["resources", *parts])


def _yaml_str(text: str) -> str:
    """A single-quoted YAML scalar (JSONata has double quotes and braces)."""
    return "'" + text.replace("'", "''") + "'"


def _node(name: str, kind: str, *fields: str, depends_on: str | None = None) -> str:
    lines = [f"  - name: {name}", f"    type: {kind}"]
    if depends_on is not None:
        lines.append(f"    depends_on: {depends_on}")
    lines.extend(f"    {line}" for line in fields)
    return "\n".join(lines)


def _transform_expression(rng: random.Random, source: str, tag: str) -> str:
    """A JSONata reshaping of ``source`` records; ``tag`` makes it unique to its job."""
    picked = rng.sample(FIELDS[1:], k=rng.randint(2, 5))
    pairs = ", ".join(f'"{f}": $r.{f}' for f in picked)
    style = rng.randrange(3)
    if style == 0:
        return f'$map({source}, function($r) {{ {{"id": $r.id, {pairs}, "source": "{tag}"}} }})'
    if style == 1:
        keep = rng.choice(picked)
        return (
            f"$filter({source}, function($r) {{ $exists($r.{keep}) }})"
            f'.{{"id": id, "{keep}": {keep}, "source": "{tag}"}}'
        )
    limit = rng.randint(1, 500)
    return (
        f'{source}[$count(tags) < {limit}].{{"id": id, "{picked[0]}": {picked[0]}, "job": "{tag}"}}'
    )


def render_v4_job(rng: random.Random, index: int) -> tuple[str, str, str]:
    """One runtime 4 job: (folder, file stem, YAML text). Requests in a parent/child tree
    (``loop_on`` the parent's records), optional state (get_state -> add_context -> ... ->
    event complete -> update_state), transforms and spools with JSONata, one or two
    destinations gated by ``run_if``."""
    integration = rng.choice(sorted(INTEGRATIONS))
    model = rng.choice(INTEGRATIONS[integration])
    tree = PROXY[integration] if model == "proxy" else MODELS[model]
    picked = _pick_resources(rng, tree)
    multi = model != "proxy" and rng.random() < 0.08
    tag = f"{integration}-{index:05d}"
    verb = rng.choice(VERBS)
    args: dict[str, str] = {
        "integrated_account_id": "{type: string, format: integrated_account_id, required: true}"
    }
    nodes: list[str] = []

    incremental = rng.random() < 0.5
    upstream: str | None = None
    cursor = rng.choice(CURSORS)
    if incremental:
        args["start_date"] = "{type: string, format: date, required: true}"
        read = f"read-{cursor.replace('_', '-')}"
        expose = f"expose-{cursor.replace('_', '-')}"
        nodes.append(
            _node(
                read, "get_state", f'config: {{key: {cursor}, default: "{{{{args.start_date}}}}"}}'
            )
        )
        expression = f'{{"{cursor}": resources.`{read}`.value, "job": "{tag}"}}'
        nodes.append(
            _node(
                expose,
                "add_context",
                f"config: {{expression: {_yaml_str(expression)}}}",
                depends_on=read,
            )
        )
        upstream = expose

    scope = rng.choice(SCOPE_ARGS[model]) if rng.random() < 0.4 else None
    if scope is not None:
        args[scope] = f"{{type: string, description: Only this {scope.replace('_', ' ')}.}}"
    request_names: dict[str, str] = {}
    for name in picked:
        path = name if model == "proxy" else f"{model}/{name}"
        node_name = f"{verb}-{name.replace('_', '-').lower()}"
        parent = tree[name]
        fields = [
            f"resource: {path}",
            "method: list",
            'integrated_account_id: "{{args.integrated_account_id}}"',
        ]
        query: list[str] = []
        depends = upstream
        if parent is not None:
            parent_path = parent if model == "proxy" else f"{model}/{parent}"
            dotted = "resources." + parent_path.replace("/", ".")
            depends = request_names[parent]
            fields.append(f"loop_on: {dotted}")
            query.append(f'  {_singular(parent)}_id: "{{{{{dotted}.id}}}}"')
            if rng.random() < 0.3:
                limit = rng.randint(1, 900)
                fields.insert(
                    0, f"run_if: {_yaml_str(f'$count({_jsonata_path(parent_path)}) < {limit}')}"
                )
        else:
            if incremental:
                op = rng.choice(("gt", "gte"))
                query.append(f'  updated_at: {{{op}: "{{{{{cursor}}}}}"}}')
            if scope is not None:
                query.append(f'  {scope}: "{{{{args.{scope}:undefined}}}}"')
            if model != "proxy" and rng.random() < 0.2:
                fields.append("delete_tracking: soft")
        if rng.random() < 0.3:
            query.append(f"  per_page: {rng.choice((50, 100, 200))}")
        if query:
            fields.append("query:")
            fields.extend(query)
        nodes.append(_node(node_name, "request", *fields, depends_on=depends))
        request_names[name] = node_name

    persisted = list(request_names.values())
    last = picked[-1]
    last_path = last if model == "proxy" else f"{model}/{last}"
    if rng.random() < 0.7:
        shape = f"shape-{last.replace('_', '-').lower()}"
        expression = _transform_expression(rng, _jsonata_path(last_path), tag)
        nodes.append(
            _node(
                shape,
                "transform",
                f"config: {{expression: {_yaml_str(expression)}}}",
                depends_on=request_names[last],
            )
        )
        persisted = [*persisted[:-1], shape]  # the last request's records, reshaped
        if rng.random() < 0.3:
            collect = f"collect-{last.replace('_', '-').lower()}"
            total = f"total-{last.replace('_', '-').lower()}"
            nodes.append(_node(collect, "spool", depends_on=shape))
            summary = f'{{"count": $count({_jsonata_path(last_path)}), "job": "{tag}"}}'
            nodes.append(
                _node(
                    total,
                    "transform",
                    f"config: {{expression: {_yaml_str(summary)}}}",
                    depends_on=collect,
                )
            )
            persisted.append(total)

    kinds = rng.sample(DESTINATIONS, k=rng.choice((1, 1, 2)))
    for kind, arg in kinds:
        required = len(kinds) == 1 and rng.random() < 0.5
        args[arg] = f"{{type: string, format: {arg}{', required: true' if required else ''}}}"
        fields = [f"destination_type: {kind}"]
        if not required:
            condition = f"$exists(args.{arg})"
            if scope is not None and rng.random() < 0.5:
                condition += f' and $string(args.{scope}) != "{tag}"'
            fields.insert(0, f"run_if: {_yaml_str(condition)}")
        fields.append(f"resources_to_persist: [{', '.join(persisted)}]")
        fields.append(f'config: {{id: "{{{{args.{arg}}}}}"}}')
        nodes.append(_node(f"to-{kind}", "destination", *fields))

    if incremental:
        nodes.append(_node("on-complete", "event", "config: {name: complete}"))
        value = rng.choice(STATE_VALUES)
        nodes.append(
            _node(
                f"save-{cursor.replace('_', '-')}",
                "update_state",
                "config:",
                f"  key: {cursor}",
                f"  value_expression: {_yaml_str(value)}",
                depends_on="on-complete",
            )
        )

    folder = "_multi" if multi else integration
    stem = f"{verb}-{'-'.join(p.replace('_', '-').lower() for p in picked[:2])}-{index:05d}"
    label = (
        f"{'Any ' + model if multi else _title(integration)} {', '.join(picked[:3])} v4 #{index}"
    )
    out = [
        "# yaml-language-server: $schema=../../schemas/sync-job.schema.json",
        'integration_name: ""' if multi else f"integration_name: {integration}",
        f'label: "{label}"',
        f"description: Generated runtime 4 job {index} ({len(nodes)} nodes).",
        "default_runtime_version: 4",
    ]
    if rng.random() < 0.3:
        out.append("environments: [staging, production]")
    out.append("args_schema:")
    out.extend(f"  {name}: {spec}" for name, spec in args.items())
    if scope is not None and rng.random() < 0.4:
        check = (
            f"$exists(args.{scope}) and $length(args.{scope}) = 0"
            f' ? {{"message": "{scope} is empty ({tag})"}}'
        )
        out.append(f"args_validation: {_yaml_str(check)}")
    out.append(f'mutex_key: "{tag}-{{{{args.integrated_account_id}}}}"')
    if incremental:
        out.append(f'state_key: "{tag}-{{{{args.integrated_account_id}}}}"')
    out.append("resources:")
    out.extend(nodes)
    return folder, stem, "\n".join(out) + "\n"


def generate(out_dir: Path, count: int, seed: int = 0, runtime: int = 3) -> list[Path]:
    """Write ``count`` job files and ``syncctl.toml`` under ``out_dir``; return the job paths.

    ``runtime`` 3 writes the legacy corpus (runtime 2 and 3 jobs), 4 the runtime 4 corpus."""
    rng = random.Random(seed)
    render = render_v4_job if runtime == 4 else render_job
    jobs_dir = out_dir / "jobs"
    written: list[Path] = []
    made: set[Path] = set()
    for index in range(count):
        integration, stem, text = render(rng, index)
        folder = jobs_dir / integration
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        path = folder / f"{stem}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (out_dir / "syncctl.toml").write_text(CONFIG_TOML, encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path, help="folder to write jobs/ and syncctl.toml into")
    parser.add_argument("n", type=int, help="number of job files")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--runtime",
        type=int,
        choices=(3, 4),
        default=3,
        help="3: the legacy corpus (runtime 2 and 3 jobs); 4: runtime 4 node graphs (default 3)",
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    existing = args.out_dir / "jobs"
    if existing.exists() and any(existing.iterdir()):
        parser.error(f"{existing} is not empty; pick a new OUT_DIR")
    paths = generate(args.out_dir, args.n, args.seed, args.runtime)
    print(f"wrote {len(paths)} job files under {existing}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
