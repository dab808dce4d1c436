"""The request body limit, enforced while the body is read (not after it is all in memory).

A declared ``Content-Length`` over the limit is refused before a byte is read;
a body sent without one (chunked) is counted as it arrives and refused at the
first chunk that takes it over. Either way the answer is 413 in the API's
error shape.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kilde.api.errors import ApiError, error_response

__all__ = ["DEFAULT_MAX_BODY_BYTES", "BodyLimit"]

# An article with its HTML is rarely over 1 MB; a batch of stored records may be several. Analysis
# refuses inputs over Settings.max_input_bytes (20 MB) anyway.
DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "too_large", f"the request body is over the limit of {limit:,} bytes")


class BodyLimit:
    """ASGI middleware: at most ``max_bytes`` of request body."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await error_response(400, "bad_request", "the Content-Length header is not a number")(scope, receive, send)
                return
            if length > limit:
                await error_response(413, "too_large", _too_large(limit).detail)(scope, receive, send)
                return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # FastAPI re-raises HTTPExceptions met while reading the body, so the app's handler answers 413
                    raise _too_large(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except ApiError as exc:
            # read outside a route (a middleware or a streaming reader): answer here if nothing was sent yet
            if exc.status_code != 413 or started:
                raise
            await error_response(413, "too_large", exc.detail)(scope, receive, send)
