"""Fixtures of the end-to-end tests: one `sakip web --demo` server per test session (a fresh SQLite store),
one headless Debian Chromium driven by playwright-python, and a fresh browser context (cookies) per test.

Without Chromium or playwright (a user's clone with neither) the tests are skipped with the reason; in CI
(CI set, as .ci/run runs) they fail instead, since .ci/run installs both."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

import pytest

from harness import CHROMIUM, launch_chromium, start_server

IN_CI = bool(os.environ.get("CI"))
MISSING = (None if importlib.util.find_spec("playwright") else
           "playwright-python is not installed (pip install -e '.[test]')")
if MISSING is None and CHROMIUM is None:
    MISSING = "Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)"


def pytest_collection_modifyitems(config, items):
    if MISSING is None or IN_CI:
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(scope="session")
def web_server():
    with tempfile.TemporaryDirectory(prefix="sakip-e2e-") as tmp:
        server = start_server(Path(tmp))
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
def chromium():
    if MISSING:
        pytest.fail(f"{MISSING}: required in CI")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(chromium, web_server):
    """new_page(): a page in a fresh browser context (its own cookies), with downloads allowed, whose base URL
    is the server's; every context opened is closed at the end of the test."""
    contexts = []

    def make():
        context = chromium.new_context(base_url=web_server.url, accept_downloads=True, locale="id-ID",
                                       viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def new_module_page(chromium, web_server):
    """As new_page, for module-scoped fixtures (the uploads a module's tests read)."""
    contexts = []

    def make():
        context = chromium.new_context(base_url=web_server.url, accept_downloads=True, locale="id-ID",
                                       viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
