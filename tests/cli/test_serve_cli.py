"""``kilde serve``: refuses what it should, and serves a store over HTTP when started for real."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from kilde.cli import EXIT_USAGE
from kilde.cli.serve import INSTALL_HINT, is_loopback, register
from kilde.store import open_store

runner = CliRunner()
app = typer.Typer(add_completion=False)
register(app)
app.command("noop", hidden=True)(lambda: None)  # more than one command, so `serve` is a subcommand as in kilde


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("127.5.0.1") and is_loopback("::1") and is_loopback("[::1]") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org") and not is_loopback("::")


def test_a_public_address_without_a_token_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KILDE_API_TOKEN", raising=False)
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "k.db"), "--host", "0.0.0.0"])
    assert result.exit_code == EXIT_USAGE
    assert "--token" in result.output


def test_no_store_yet_says_how_to_make_one(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == EXIT_USAGE
    assert "kilde demo" in result.output


def test_without_the_web_extra_it_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn raises ImportError
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == EXIT_USAGE
    assert INSTALL_HINT.split(":")[0] in result.output and "kilde[web]" in result.output


def test_serve_prints_its_url_and_answers(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    open_store(db).close()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2] / "src"), os.environ.get("PYTHONPATH", "")]),
           "KILDE_API_TOKEN": "t"}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-c", "from kilde.cli import main; main()", "serve", "--db", str(db), "--port", "0", "--log-level", "warning"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        assert match, line
        url = match[1]
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(url + "api", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert response.json()["articles"] == 0 and response.json()["writable"] is True  # the token came from KILDE_API_TOKEN
        assert "read-only" not in line
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def test_the_listening_socket_turns_nagle_off() -> None:
    """A socket that does not say it is TCP keeps Nagle on in asyncio: every response body then waited ~40 ms."""
    import socket

    from kilde.cli.serve import _bind

    sock = _bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert sock.getsockname()[1] > 0
    finally:
        sock.close()


def test_a_missing_db_file_is_an_error_not_a_new_store(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "typo.db")])
    assert result.exit_code == EXIT_USAGE
    assert "no store here" in result.output and not (tmp_path / "typo.db").exists()
