import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


import pytest  # noqa: E402
import torch  # noqa: E402

# One torch thread, as every app session uses (ui/page.py): tiny models run fastest that way, and
# on a busy 2-core machine a second thread spinning for work slows a test several times over
# (on Hessian-vector products this small, two threads were 40x slower). Set once here for every
# test module; nothing in the tests sets more.
torch.set_num_threads(1)

from live_app import launch, streamlit_server  # noqa: E402


@pytest.fixture(scope="module")
def server():
    """A freshly started app for each browser-test module: its first request is a deep link."""
    with streamlit_server() as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
