"""Presenter mode in headless Chromium: the QR code on the projected page reads back as the page's
own link, and follows the lesson step."""
import io
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image

from live_app import no_exceptions, wait_idle

sync_api = pytest.importorskip("playwright.sync_api")


def read_qr(page) -> str:
    shot = page.locator('[data-testid="stImage"] img').first.screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert len(found) == 1
    return found[0].text


def query(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


def test_presenter_qr_code_is_the_link_of_what_is_on_screen(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/playground?lang=en&present=1")
    page.locator('[data-testid="stImage"] img').first.wait_for(timeout=90_000)
    wait_idle(page)
    first = read_qr(page)
    assert urlsplit(first).path.endswith("/playground")
    assert query(first) == query(page.url)          # what the address bar says
    page.get_by_role("button", name="Next").click()
    page.get_by_text("step 2 of 3").first.wait_for(timeout=30_000)
    wait_idle(page)
    second = read_qr(page)
    assert query(second)["lesson"] == ["2"] and query(second) == query(page.url)
    no_exceptions(page)
    page.close()
