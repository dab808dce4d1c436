"""``kilde serve``: the API and the web UI over a store, with uvicorn.

Registered on the main app by :func:`register`. The web dependencies (FastAPI, uvicorn, Jinja2) are the
``web`` extra; without them the command says how to install them. Exit codes: 0 stopped normally,
2 usage error (no store, a bad option, the extra missing, a non-loopback address without a token).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Annotated

import typer
from rich.text import Text

from kilde.cli import EXIT_USAGE, _stderr
from kilde.cli.store import DB_HELP
from kilde.settings import Settings
from kilde.store import StoreError, default_path, open_store

__all__ = ["is_loopback", "register", "serve"]

INSTALL_HINT = "kilde serve needs the web extra: python -m pip install 'kilde[web]' (FastAPI, uvicorn, Jinja2)"


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip("[]").lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name that resolves to who knows what


def serve(
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but loopback needs --token (or --insecure-read-only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0: any free one).")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="KILDE_API_TOKEN",
            help="Bearer token that writes (POST /api/articles, ?store=true) need; without one the server is read-only.",
            show_default=False,
        ),
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="Pipeline for POST /api/analyze: 'rules' or a path; default the shipped Danish model.")] = None,
    max_body: Annotated[int, typer.Option("--max-body", min=1024, help="Largest request body in bytes.")] = 8 * 1024 * 1024,
    read_only_public: Annotated[
        bool, typer.Option("--insecure-read-only", help="Allow a non-loopback address without a token (read-only, open to anyone who can reach it).")
    ] = False,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn's log level: critical, error, warning, info, debug.")] = "info",
) -> None:
    """Serve the API (/api, /openapi.json) and the web UI over a store: search, articles, speakers, map, timeline."""
    err = _stderr()
    try:
        import uvicorn

        from kilde.api import create_app
    except ImportError as exc:
        err.print(Text.assemble(("error: ", "red"), f"{INSTALL_HINT} ({exc.name} is missing)"))
        raise typer.Exit(EXIT_USAGE) from None
    settings = Settings.from_env()
    if token is not None and not token.strip():
        token = None
    if not is_loopback(host) and token is None and not read_only_public:
        err.print(Text.assemble(("error: ", "red"), f"{host} is reachable from other machines: give --token (or KILDE_API_TOKEN), or --insecure-read-only "
                                "to serve the store read-only to anyone who can reach it"))  # fmt: skip
        raise typer.Exit(EXIT_USAGE)
    if db is None and not default_path(settings).exists():
        err.print(f"no store yet at {default_path(settings)}: `kilde demo` (or `kilde ingest PATH…`) creates it, or give --db")
        raise typer.Exit(EXIT_USAGE)
    try:
        store = open_store(db, settings=settings, create=False)  # a mistyped --db is an error, not a new empty store
    except StoreError as exc:
        err.print(Text.assemble(("error: ", "red"), str(exc)))
        raise typer.Exit(EXIT_USAGE) from None
    app = create_app(store=store, token=token, max_body_bytes=max_body, model=model)
    config = uvicorn.Config(app, log_level=log_level, server_header=False, proxy_headers=False)
    try:
        # bound here, not by uvicorn, so the URL printed is the real one (port 0 picks a free port) before the first request
        sock = _bind(host, port)
    except OSError as exc:
        store.close()
        err.print(Text.assemble(("error: ", "red"), f"cannot listen on {host}:{port}: {exc.strerror or exc}"))
        raise typer.Exit(EXIT_USAGE) from None
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    read_only = "" if token else "  (read-only: no token)"
    typer.echo(f"Kilde: {store.location} ({store.count()} articles) at http://{shown}:{bound}/  API: http://{shown}:{bound}/api{read_only}", err=True)
    if not is_loopback(host) and token is None:
        err.print(Text.assemble(("warning: ", "yellow"), f"{host} is reachable from other machines: anyone there can read the store"))
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        store.close()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP stated: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say they are TCP, and with Nagle on,
    # each response's body waits ~40 ms for the ACK of its headers (measured: 44 ms vs 1 ms per request on loopback)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``kilde`` app."""
    app.command()(serve)
