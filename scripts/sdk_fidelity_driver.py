"""Drive the official ``truto-python-sdk`` against an emulator; run inside ``.venv-sdk``.

Usage: python sdk_fidelity_driver.py BASE_URL  (the token is read from SDK_FIDELITY_TOKEN)

Prints one JSON object per step: {"step", "ok", "detail"}; exits 1 if any step failed.
This file imports nothing from syncctl: it runs in the SDK's own virtual environment.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import traceback
from typing import Any

from truto_python_sdk import TrutoApi

results: list[bool] = []


def report(step: str, ok: bool, detail: Any) -> None:
    results.append(ok)
    print(json.dumps({"step": step, "ok": ok, "detail": detail}, default=str), flush=True)


async def run(api: TrutoApi) -> None:
    created = []
    for i in range(5):
        job = await api.sync_jobs.create(
            {
                "integration_name": "zendesk",
                "label": f"SDK job {i}",
                "default_runtime_version": 1,
                "resources": [{"resource": "ticketing/tickets", "method": "list"}],
            }
        )
        created.append(job)
    ok = all(
        isinstance(j, dict) and j.get("id") and j.get("label") == f"SDK job {i}"
        for i, j in enumerate(created)
    )
    report("create x5", ok, [j.get("id") if isinstance(j, dict) else j for j in created])

    listing = api.sync_jobs.list(integration_name="zendesk", limit=2)
    items = await listing.to_array()
    ids = [item["id"] for item in items]
    report("list limit=2 (all pages)", ids == [j["id"] for j in created], ids)

    first = api.sync_jobs.list(limit=2)
    page = await first.next_page()
    report(
        "list next_page()",
        len(page) == 2 and first.next_cursor is not None,
        {"items": len(page), "next_cursor": first.next_cursor},
    )

    got = await api.sync_jobs.get(created[2]["id"])
    report("get", got == created[2], got)

    updated = await api.sync_jobs.update(created[2]["id"], {"label": "Renamed by SDK"})
    ok = (
        isinstance(updated, dict)
        and updated["label"] == "Renamed by SDK"
        and updated["updated_at"] > created[2]["updated_at"]
        and updated["created_at"] == created[2]["created_at"]
    )
    report("update", ok, updated)

    deleted = await api.sync_jobs.delete(created[2]["id"])
    report("delete", deleted == {"id": created[2]["id"]}, deleted)

    try:
        await api.sync_jobs.get(created[2]["id"])
        report("get after delete -> 404", False, "no error raised")
    except Exception as exc:  # aiohttp.ClientResponseError
        status = getattr(exc, "status", None)
        report("get after delete -> 404", status == 404, f"{type(exc).__name__} status={status}")

    remaining = await api.sync_jobs.list(limit=2).to_array()
    report("list after delete", len(remaining) == 4, [r["id"] for r in remaining])

    bad = TrutoApi(token="not-a-valid-token", base_url=api.base_url)
    try:
        await bad.sync_jobs.list().to_array()
        report("bad token -> 401", False, "no error raised")
    except Exception as exc:
        status = getattr(exc, "status", None)
        report("bad token -> 401", status == 401, f"{type(exc).__name__} status={status}")


def main() -> int:
    base_url = sys.argv[1]
    api = TrutoApi(token=os.environ["SDK_FIDELITY_TOKEN"], base_url=base_url)
    try:
        asyncio.run(run(api))
    except Exception:
        report("driver", False, traceback.format_exc())
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
