"""Students on phones (issue 14): on a 390×844 screen the page opens on its content, with the
sidebar folded away and one tap from opening; a laptop still opens with the sidebar beside it."""
import pytest

from live_app import no_exceptions, wait_idle

sync_api = pytest.importorskip("playwright.sync_api")

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 3}
SIDEBAR = '[data-testid="stSidebar"]'
# the sidebar's right edge on screen (≤ 0 when folded away)
SIDEBAR_RIGHT = f"() => {{ const r = document.querySelector('{SIDEBAR}').getBoundingClientRect();" \
                " return r.right; }"


def covered_by_sidebar(page, locator) -> bool:
    """Is the middle of this element under the sidebar (what a tap there would hit)?"""
    box = locator.bounding_box()
    return page.evaluate(
        "([x, y]) => { const e = document.elementFromPoint(x, y);"
        f" return e !== null && e.closest('{SIDEBAR}') !== null; }}",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])


def test_a_phone_lands_on_the_content_with_the_sidebar_folded(server, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server}/playground?lang=en")  # the first request to this server: a deep link
    title = page.get_by_role("heading", name="Playground").first
    title.wait_for(timeout=90_000)
    wait_idle(page)
    page.wait_for_function(f"() => ({SIDEBAR_RIGHT})() <= 0", timeout=30_000)
    assert not covered_by_sidebar(page, title)
    assert not covered_by_sidebar(page, page.get_by_role("button", name="Play"))
    # one tap opens it, with the language switch and the pages
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function(f"() => ({SIDEBAR_RIGHT})() > 200", timeout=30_000)
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_text("English").wait_for(timeout=30_000)
    sync_api.expect(sidebar.get_by_role("link", name="Home: the three steps")).to_be_visible(
        timeout=30_000)
    no_exceptions(page)
    context.close()


def test_a_laptop_opens_with_the_sidebar_beside_the_page(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{server}/playground?lang=en")
    title = page.get_by_role("heading", name="Playground").first
    title.wait_for(timeout=90_000)
    wait_idle(page)
    page.wait_for_function(f"() => ({SIDEBAR_RIGHT})() >= 250", timeout=30_000)
    assert not covered_by_sidebar(page, title)  # beside the page, not over it
    sync_api.expect(page.locator(SIDEBAR).get_by_role("link", name="Home: the three steps")) \
        .to_be_visible(timeout=30_000)
    no_exceptions(page)
    page.close()
