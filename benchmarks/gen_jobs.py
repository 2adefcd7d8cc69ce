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


def generate(out_dir: Path, count: int, seed: int = 0) -> list[Path]:
    """Write ``count`` job files and ``syncctl.toml`` under ``out_dir``; return the job paths."""
    rng = random.Random(seed)
    jobs_dir = out_dir / "jobs"
    written: list[Path] = []
    made: set[Path] = set()
    for index in range(count):
        integration, stem, text = render_job(rng, index)
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
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    existing = args.out_dir / "jobs"
    if existing.exists() and any(existing.iterdir()):
        parser.error(f"{existing} is not empty; pick a new OUT_DIR")
    paths = generate(args.out_dir, args.n, args.seed)
    print(f"wrote {len(paths)} job files under {existing}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
