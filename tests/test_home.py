"""The home page: the three steps and the task-strategy tree with links to existing pages."""
from test_app_pages import ROOT, open_page
from ui.page import PAGES


def test_tree_leaves_link_only_to_existing_pages():
    at = open_page("app.py", lang="en")
    assert not at.exception
    files = dict(PAGES)
    links = at.main.get("page_link")
    assert links
    for link in links:
        assert (ROOT / files[link.proto.page]).exists(), link.proto.page
    text = " ".join(m.value for m in at.main.get("markdown"))
    for leaf in ("Model bias", "Optimization", "Overfitting", "Mismatch", "Step 1", "Step 3"):
        assert leaf in text, leaf
    # every existing optimization page (lecture sections 2-7, 9) is reachable from the tree
    linked = {link.proto.page for link in links}
    for key in ("critical_points", "batch", "momentum", "learning_rate", "batch_norm",
                "classification_loss", "optimizers", "overfitting", "guide"):
        assert ((ROOT / files[key]).exists()) == (key in linked), key


def test_home_in_chinese():
    at = open_page("app.py", lang="zh")
    assert not at.exception
    text = " ".join(m.value for m in at.main.get("markdown"))
    assert "过拟合" in text and "模型偏差" in text and "第一步" in text
