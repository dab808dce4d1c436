from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from spacy.language import Language

from kilde.api import create_app
from kilde.records import Article
from kilde.store.sqlite import SqliteStore
from tests.api.corpus import build

CHROMIUM = Path("/usr/bin/chromium")
# Without these, chromium reaches out to Google's services on start (the network here is closed) and waits on them.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="session")
def web_corpus(model_nlp: Language) -> Iterator[tuple[SqliteStore, dict[str, Article]]]:
    store, records = build(model_nlp, stories=True)
    yield store, records
    store.close()


@pytest.fixture(scope="session")
def live_server(web_corpus: tuple[SqliteStore, dict[str, Article]]) -> Iterator[str]:
    """``kilde serve``'s app under uvicorn in a thread, on a free loopback port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP stated, so asyncio turns Nagle off
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(store=web_corpus[0], model="rules"), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (one per session); skipped when it is not installed, unless KILDE_REQUIRE_SERVICES=1."""
    executable = CHROMIUM if CHROMIUM.is_file() else None
    if executable is None:
        message = f"no chromium at {CHROMIUM} (scripts/chromium.sh installs it)"
        if os.environ.get("KILDE_REQUIRE_SERVICES") == "1":
            pytest.fail(message + " and KILDE_REQUIRE_SERVICES=1")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("KILDE_REQUIRE_SERVICES") == "1":
            raise
        pytest.skip("playwright (python) is not installed: python -m pip install '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(java_script_enabled=True, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.dialogs = dialogs  # an alert() from article text would land here
    yield page
    context.close()
