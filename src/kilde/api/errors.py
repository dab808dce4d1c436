"""One JSON shape for every error the API returns, and the handlers that make it.

    {"error": {"code": "not_found", "message": "no article with id 'abc'", "status": 404}}

Validation errors add ``details`` (where and what, as FastAPI reports them).
Codes: ``bad_request`` 400 (a filter or query that cannot run), ``unauthorized``
401 (no token), ``forbidden`` 403 (wrong token, or a read-only server),
``not_found`` 404, ``method_not_allowed`` 405, ``too_large`` 413,
``unsupported_media_type`` 415, ``invalid`` 422 (the request does not validate, or
the text is no article), ``store_error`` 500, ``model_error`` 503, ``internal`` 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kilde.errors import InputError, ModelError
from kilde.store.errors import QueryError, StoreError

__all__ = ["ApiError", "ErrorBody", "ErrorResponse", "error_response", "install_handlers"]

log = logging.getLogger("kilde.api")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "internal",
    503: "unavailable",
}


class ErrorBody(BaseModel):
    code: str = Field(description="machine-readable: not_found, unauthorized, forbidden, too_large, invalid, bad_request …")
    message: str = Field(description="what went wrong, for a person")
    status: int = Field(description="the HTTP status, repeated")
    details: list[dict[str, Any]] | None = Field(default=None, description="validation problems: where (loc) and what (msg)")


class ErrorResponse(BaseModel):
    error: ErrorBody


class ApiError(StarletteHTTPException):
    """An error with its own code; raised by endpoints and dependencies (also from a request body reader)."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code


def error_response(status: int, code: str, message: str, *, details: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(code=code, message=message, status=status, details=details)
    return JSONResponse({"error": body.model_dump(exclude_none=True)}, status_code=status, headers=headers)


def _respond(request: Request, status: int, code: str, message: str, *, details: list[dict[str, Any]] | None = None,
             headers: dict[str, str] | None = None) -> Response:  # fmt: skip
    """JSON, or an error page for a browser asking for a page (not under /api) when the web UI is installed."""
    page = getattr(request.app.state, "html_error", None)
    path = request.url.path
    if page is not None and not path.startswith("/api") and path != "/openapi.json" and "text/html" in request.headers.get("accept", ""):
        response: Response = page(request, status, code, message)
        return response
    return error_response(status, code, message, details=details, headers=headers)


# The responses every endpoint may give, for the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A filter or query that cannot run"},
    422: {"model": ErrorResponse, "description": "The request does not validate"},
}


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = getattr(exc, "code", None) or _CODES.get(status, "error")
    if status == 404 and exc.detail == "Not Found":
        message = f"no such page or endpoint: {request.method} {request.url.path}"
    elif status == 405 and exc.detail == "Method Not Allowed":
        message = f"{request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    return _respond(request, status, code, message, headers=getattr(exc, "headers", None))


def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))} for e in exc.errors()]
    where = "; ".join(f"{'.'.join(str(p) for p in d['loc'])}: {d['msg']}" for d in details[:3])
    return _respond(request, 422, "invalid", f"the request does not validate: {where}", details=details)


def _query_error(request: Request, exc: Exception) -> Response:
    return _respond(request, 400, "bad_request", str(exc))


def _store_error(request: Request, exc: Exception) -> Response:
    # the details (database host, user, driver messages) go to the server log, not to anonymous clients
    log.error("store error on %s %s: %s", request.method, request.url.path, exc)
    return _respond(request, 500, "store_error", "the store could not answer; the server log has the details")


def _input_error(request: Request, exc: Exception) -> Response:
    return _respond(request, 422, "invalid", str(exc))


def _model_error(request: Request, exc: Exception) -> Response:
    return _respond(request, 503, "model_error", str(exc))


def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return _respond(request, 500, "internal", f"internal error ({type(exc).__name__}); the server log has the details")


def install_handlers(app: FastAPI) -> None:
    """Every error (HTTP, validation, Kilde's own, unexpected) as the one JSON shape."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(QueryError, _query_error)  # before StoreError: the more specific one wins by MRO anyway
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(ModelError, _model_error)
    app.add_exception_handler(Exception, _unexpected)
