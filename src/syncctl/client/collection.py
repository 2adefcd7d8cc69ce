"""``Collection``: CRUD on one kind's path (``/sync-job``, ``/workflow``) through a client.

The client (``syncctl.client.api``) owns the one request machinery (retries, rate limit, request
counter, redaction); a ``Collection`` adds what is per kind: the paths, the paging of a listing,
and the validation of answers by the kind's ``Endpoint`` (``syncctl.client.endpoints``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol
from urllib.parse import quote

import httpx

from syncctl.client.endpoints import Endpoint
from syncctl.client.models import LiveShapeError, T
from syncctl.errors import ApiError, OutcomeUnknownError

FilterValue = str | int | bool

logger = logging.getLogger(__name__)
"""One INFO record per page of a listing (``-v``): a long listing shows it is moving."""


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a listing: its objects, the cursor of the next page, its 1-based number."""

    items: tuple[T, ...]
    next_cursor: str | None
    number: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [item.body for item in self.items],
            "next_cursor": self.next_cursor,
            "number": self.number,
        }


class Requests(Protocol):
    """The request machinery a ``Collection`` rides on (``syncctl.client.api.SyncJobClient``):
    one request with retries, its answer decoded, and the errors of an answer that is not what
    the API promises. Named here so that this module needs nothing of the client's module."""

    @property
    def page_size(self) -> int | None: ...

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        lookup: str = ...,
    ) -> httpx.Response: ...

    def _decode(
        self, method: str, path: str, response: httpx.Response, lookup: str = ...
    ) -> Any: ...

    def _invalid(self, method: str, path: str, why: str, status: int) -> ApiError: ...

    def _unknown(
        self, method: str, path: str, cause: str, lookup: str, status: int = 0
    ) -> OutcomeUnknownError: ...

    def redact(self, text: str) -> str: ...


class Collection(Generic[T]):
    """CRUD on one kind's collection (``endpoint.path``) through its client's requests.

    Answers are validated by ``endpoint.shape``; listings are lazy and whole (a page that still
    fails after retries raises), with the client's ``page_size`` as ``limit``.
    """

    def __init__(self, client: Requests, endpoint: Endpoint[T]) -> None:
        self._client = client
        self.endpoint = endpoint

    def __repr__(self) -> str:
        return f"Collection({self.endpoint.path!r})"

    def list_pages(self, *, limit: int | None = None, **filters: FilterValue) -> Iterator[Page[T]]:
        """Every page of ``GET <path>``, fetched lazily (a page is requested when it is
        consumed). A page that still fails after retries raises: a listing is whole or an error."""
        client, path = self._client, self.endpoint.path
        params = {key: _query_value(value) for key, value in filters.items()}
        limit = client.page_size if limit is None else limit
        if limit is not None:
            params["limit"] = str(limit)
        cursor: str | None = None
        seen: set[str] = set()
        number = 0
        while True:
            query = dict(params) if cursor is None else {**params, "next_cursor": cursor}
            response = client._send("GET", path, params=query)
            body = client._decode("GET", path, response)
            number += 1
            try:
                listed = self.endpoint.shape.page(body)
            except LiveShapeError as exc:
                raise client._invalid(
                    "GET",
                    path,
                    f"page {number}: {exc}; expected {{result: [{self.endpoint.listed}], "
                    "next_cursor: string|null}",
                    response.status_code,
                ) from None
            page = Page(tuple(listed.result), listed.next_cursor or None, number)
            _log_page(client, path, filters, page)
            yield page
            if not page.next_cursor:
                return
            if page.next_cursor in seen:
                raise client._invalid(
                    "GET",
                    path,
                    f"next_cursor repeats on page {number}",
                    response.status_code,
                )
            seen.add(page.next_cursor)
            cursor = page.next_cursor

    def list(self, *, limit: int | None = None, **filters: FilterValue) -> Iterator[T]:
        """Every object matching ``filters`` (e.g. ``trigger_name``), across all pages, lazily."""
        for page in self.list_pages(limit=limit, **filters):
            yield from page.items

    def get(self, object_id: str) -> T:
        path = self._item_path(object_id)
        return self._object("GET", path, self._client._send("GET", path))

    def create(self, payload: Mapping[str, Any]) -> T:
        """POST a new object. Never retried once it may have reached the server: an unknown
        outcome raises ``OutcomeUnknownError`` and the caller looks the object up before trying
        again (the error's hint says how)."""
        path, lookup = self.endpoint.path, self.endpoint.lookup
        response = self._client._send("POST", path, body=payload, lookup=lookup)
        return self._object("POST", path, response)

    def update(self, object_id: str, fields: Mapping[str, Any]) -> T:
        """PATCH the given top-level fields (send complete values: that is what makes it safe
        to retry)."""
        path = self._item_path(object_id)
        return self._object("PATCH", path, self._client._send("PATCH", path, body=fields))

    def delete(self, object_id: str) -> dict[str, str]:
        """DELETE an object; ``{"id": …}``. A 404 on a retry after a lost response counts as
        done."""
        client, path = self._client, self._item_path(object_id)
        response = client._send("DELETE", path)
        if response.status_code == 404 or not response.content:
            return {"id": object_id}
        if not isinstance(client._decode("DELETE", path, response), dict):
            raise client._invalid(
                "DELETE",
                path,
                "expected an object",
                response.status_code,
            )
        return {"id": object_id}

    def _item_path(self, object_id: str) -> str:
        if not isinstance(object_id, str) or not object_id:
            raise ValueError(f"a {self.endpoint.noun} id must be a non-empty string")
        return f"{self.endpoint.path}/{quote(object_id, safe='')}"

    def _object(self, method: str, path: str, response: httpx.Response) -> T:
        """The object in a response body; a body that is not one is an error naming the key
        path (after a POST: an unknown outcome, since the object may have been created)."""
        client, noun, lookup = self._client, self.endpoint.noun, self.endpoint.lookup
        body = client._decode(method, path, response, lookup)
        try:
            return self.endpoint.shape.one(body)
        except LiveShapeError as exc:
            why = f"{exc}; expected a {noun} object"
        status = response.status_code
        if method == "POST":
            cause = f"{status} without a {noun} object ({why})"
            raise client._unknown(method, path, cause, lookup, status)
        raise client._invalid(method, path, why, status)


def _log_page(
    client: Requests, path: str, filters: Mapping[str, FilterValue], page: Page[T]
) -> None:
    """``fetched /sync-job page 2: 100 objects, more to come``; filters are named (a filter
    value may be anything, so it is redacted like a path)."""
    where = path
    if filters:
        where += " (" + ", ".join(f"{key}={value}" for key, value in filters.items()) + ")"
    count = len(page.items)
    logger.info(
        "fetched %s page %d: %d object%s%s",
        client.redact(where),
        page.number,
        count,
        "" if count == 1 else "s",
        ", more to come" if page.next_cursor else "",
    )


def _query_value(value: FilterValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
