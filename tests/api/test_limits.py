"""The body limit is enforced while the body arrives: a sender of an endless body is cut off, not read to the end."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from kilde.api.errors import ApiError
from kilde.api.limits import BodyLimit


async def reading_app(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that reads the whole body, then answers 200 (as an endpoint would)."""
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def run(app: Any, headers: list[tuple[bytes, bytes]], chunks: int, size: int) -> tuple[list[Message], int]:
    pulled = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * size, "more_body": pulled < chunks}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    # in a thread of its own: the browser tests' Playwright keeps an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, BodyLimit(app, max_bytes=10_000)(scope, receive, send)).result()
    return sent, pulled


def test_a_chunked_body_is_cut_off_at_the_first_chunk_over_the_limit() -> None:
    sent, pulled = run(reading_app, [], chunks=1_000, size=4_000)  # 4 MB offered, 10 kB allowed
    assert pulled == 3  # 4 + 4 + 4 kB: the third chunk goes over, nothing after it is read
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["error"]["code"] == "too_large"


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    sent, pulled = run(reading_app, [(b"content-length", b"20000")], chunks=5, size=4_000)
    assert pulled == 0 and sent[0]["status"] == 413


def test_a_body_within_the_limit_passes() -> None:
    sent, pulled = run(reading_app, [], chunks=2, size=4_000)
    assert pulled == 2 and sent[0]["status"] == 200


def test_a_bad_content_length_is_400() -> None:
    sent, _ = run(reading_app, [(b"content-length", b"lots")], chunks=1, size=1)
    assert sent[0]["status"] == 400


def test_the_error_raised_inside_the_app_is_the_api_error() -> None:
    seen: list[BaseException] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            while (await receive()).get("more_body"):
                pass
        except ApiError as exc:
            seen.append(exc)
            raise

    run(app, [], chunks=10, size=4_000)
    assert isinstance(seen[0], ApiError) and seen[0].status_code == 413
