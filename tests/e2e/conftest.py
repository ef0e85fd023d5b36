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

from harness import CHROMIUM, launch_chromium, launch_server, log_in, wait_until_ready

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
def web_server(request):
    with tempfile.TemporaryDirectory(prefix="sakip-e2e-") as tmp:
        server = launch_server(Path(tmp))
        try:
            request.getfixturevalue("chromium")  # the browser starts while the server does
            wait_until_ready(server)
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


@pytest.fixture(scope="session")
def signed_in_states():
    """{username: the browser storage state (session cookie) of a sign-in through the form}, kept for the
    session so that each demo account signs in once; a test that signs out uses its own sign-in."""
    return {}


def _page_factory(chromium, web_server, states):
    contexts = []

    def make(user: str | None = None):
        """A page in a fresh browser context (its own cookies; downloads allowed; base URL the server's). With
        `user`: signed in as that demo account (through the sign-in form, once per account) and on the home page."""
        options = dict(base_url=web_server.url, accept_downloads=True, locale="id-ID",
                       viewport={"width": 1280, "height": 900})
        if user is not None and user in states:
            options["storage_state"] = states[user]
        context = chromium.new_context(**options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            if user in states:
                page.goto("/")
                page.wait_for_selector("#judul-beranda")
            else:
                log_in(page, web_server, user)
                states[user] = context.storage_state()
        return page

    return make, contexts


@pytest.fixture
def new_page(chromium, web_server, signed_in_states):
    make, contexts = _page_factory(chromium, web_server, signed_in_states)
    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def new_module_page(chromium, web_server, signed_in_states):
    """As new_page, for module-scoped fixtures (the uploads a module's tests read)."""
    make, contexts = _page_factory(chromium, web_server, signed_in_states)
    yield make
    for context in contexts:
        context.close()
