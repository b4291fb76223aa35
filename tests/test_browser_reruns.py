"""One session's script runs one at a time (the project's .streamlit/config.toml, fastReruns off).

With Streamlit's default (runner.fastReruns = true) a click stops the running script and starts a
new run at once, while the old one goes on until its next Streamlit call. The app keeps live
objects in st.session_state (a model, its optimizer, an error surface being computed) and both
runs worked on them: under load the Batch page showed "AttributeError: 'NoneType' object has no
attribute 'per_point'" from the error surface (steady suite, 2026-12-04), and two quick Steps
could train one model from two threads."""
import pytest

from live_app import streamlit_server, wait_idle

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server():
    with streamlit_server(script="tests/fixtures/overlap_app.py") as (url, _):
        yield url


def test_clicks_during_a_run_never_start_a_second_run_beside_it(server, browser):
    page = browser.new_page()
    page.goto(server)
    page.get_by_text("most at once: 1").wait_for(timeout=60_000)
    wait_idle(page)
    button = page.get_by_role("button", name="Work")
    for _ in range(4):   # each click lands while the run before it is still working
        button.click()
        page.wait_for_function(   # this click's run has started
            "() => document.querySelector('[data-testid=\"stApp\"]')"
            ".getAttribute('data-test-script-state') === 'running'", timeout=30_000)
    wait_idle(page)
    text = page.get_by_text("runs finished").inner_text()
    assert text.endswith("most at once: 1"), text
    page.close()
