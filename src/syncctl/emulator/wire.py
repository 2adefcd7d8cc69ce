"""What the emulator puts on the wire: responses, JSON error envelopes, opaque page cursors."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

JSON_TYPE = "application/json"


@dataclass(frozen=True, slots=True)
class Response:
    """One answer of the handler; ``drop``: committed, but the front must cut the connection."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    drop: bool = False

    def json(self) -> Any:
        return json.loads(self.body)


def encode_cursor(after: int) -> str:
    """An opaque, URL-safe cursor for "the jobs after position ``after``"."""
    raw = json.dumps({"v": 1, "after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> int:
    """The position in a cursor made by ``encode_cursor``; ValueError for anything else."""
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        after = data["after"]
        if data.get("v") != 1 or not isinstance(after, int) or after < 0:
            raise ValueError
        return after
    except (ValueError, TypeError, KeyError, binascii.Error):
        raise ValueError("Invalid next_cursor") from None


def json_response(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Response(status, {"Content-Type": JSON_TYPE, **(headers or {})}, body)


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    payload = {"statusCode": status, "error": phrase, "message": message}
    return json_response(status, payload, headers)
