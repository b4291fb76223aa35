"""Presenter mode shows the current link as a QR code, so a class opens the teacher's setup."""
import io

import zxingcpp
from PIL import Image
from streamlit.testing.v1 import AppTest

from test_lessons import ROOT
from ui.share import qr_png


def test_qr_code_reads_back_as_the_link():
    url = "http://localhost:8501/playground?lang=zh&lesson=2&lr=0.05&present=1"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(url))))
    assert [r.text for r in found] == [url]


def open_playground(present: bool) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["lang"] = "en"
    if present:
        at.query_params["present"] = "1"
    at.switch_page("pages/10_playground.py")
    return at.run()


def test_presenter_mode_shows_the_link_to_join_and_plain_mode_does_not():
    at = open_playground(present=True)
    assert not at.exception
    assert len(at.get("image")) == 1
    assert any("Scan to open this exact setup" in m.value for m in at.markdown)
    link = next(c.value for c in at.caption if "?" in c.value and "present=1" in c.value)
    assert "lang=en" in link
    plain = open_playground(present=False)
    assert len(plain.get("image")) == 0
