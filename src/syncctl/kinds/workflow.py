"""The workflow kind: Truto's ``/workflow`` object (reference §1.6), one line per top-level field.

A workflow runs sync jobs when a trigger fires (design §9). The order of the lines is the
canonical order of a workflow file's keys (read-only lines skipped) and the order in which the
API shows a workflow (local lines skipped). ``schemas/workflow.schema.json`` has one property per
line that is not read-only, of the same types. Its steps name jobs by key (``sync_job``), resolved
per environment to the remote ``sync_job_id`` at plan time.
"""

from __future__ import annotations

from syncctl.kinds.table import Access, Field, Kind

SENT, READ_ONLY, LOCAL = Access.SENT, Access.READ_ONLY, Access.LOCAL

WORKFLOW = Kind(
    name="workflow",
    api_path="/workflow",
    folder_key="workflows_dir",
    folder_default="workflows",
    key_prefix="workflow:",
    schema_file="workflow.schema.json",
    identity=(
        "the state file (workflows have no label): a workflow file without state adopts the one "
        "unmanaged live workflow with exactly the same trigger_name and resolved config"
    ),
    fields=(
        Field("id", READ_ONLY, ("string",)),
        Field("environment_id", READ_ONLY, ("string",)),
        Field("description", LOCAL, ("string",)),
        Field("environments", LOCAL, ("array",)),
        Field("trigger_name", SENT, ("string",), required=True),
        Field("config", SENT, ("object",), required=True),
        Field("created_at", READ_ONLY, ("string",)),
        Field("updated_at", READ_ONLY, ("string",)),
    ),
    references=("sync_job",),
    adopt_by=(),
    list_filter="trigger_name",
)
"""Workflows: ``workflows/<name>.yaml``, key ``workflow:<name>``; steps name ``sync_job`` keys."""
