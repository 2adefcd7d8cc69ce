"""The sync-job kind: Truto's ``/sync-job`` object (reference §2), one line per top-level field.

The order of the lines is the canonical order of a job file's keys (read-only lines skipped)
and the order in which the API shows a job (local lines skipped; fields it does not know come
before the trailing timestamps). ``schemas/sync-job.schema.json`` has one property per line that
is not read-only, of the same types.
"""

from __future__ import annotations

from syncctl.kinds.table import Access, Field, Kind

SENT, READ_ONLY, LOCAL = Access.SENT, Access.READ_ONLY, Access.LOCAL

SYNC_JOB = Kind(
    name="sync_job",
    api_path="/sync-job",
    folder_key="jobs_dir",
    folder_default="jobs",
    key_prefix="",
    schema_file="sync-job.schema.json",
    identity=(
        "integration_name + label: a job file without state adopts the one unmanaged live job "
        "with the same integration_name and label"
    ),
    adopt_by=("integration_name", "label"),
    list_filter="integration_name",
    noun="job",
    fields=(
        Field("id", READ_ONLY, ("string",)),
        Field("environment_id", READ_ONLY, ("string",)),
        Field("integration_name", SENT, ("string",), required=True),
        Field("label", SENT, ("string",), default="Untitled"),
        Field("description", LOCAL, ("string",)),
        Field(
            "default_runtime_version",
            SENT,
            ("integer",),
            minimum=1,
            maximum=4,
            default=3,
            server_defaulted=True,
        ),
        Field("environments", LOCAL, ("array",)),
        Field("protected", LOCAL, ("boolean",)),
        Field("args_schema", SENT, ("object", "null")),
        Field("args_validation", SENT, ("string", "null")),
        Field("mutex_key", SENT, ("string", "null")),
        Field("state_key", SENT, ("string", "null")),
        Field("resources", SENT, ("array",), default=[]),
        Field("created_at", READ_ONLY, ("string",)),
        Field("updated_at", READ_ONLY, ("string",)),
    ),
)
"""Sync jobs: ``jobs/<integration>/<job>.yaml``, key ``<integration>/<job>``."""
