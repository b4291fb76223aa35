"""The home page's reading steps: the tree's leaves link to existing pages that show them, and the
phenomena the steps quote hold on the guide page's own setup (shared with test_claims_guide)."""
import copy

import pytest
import torch

from claims import claim
from lib.lecture.guide_data import noise_floor
from ui.page import PAGES

from test_app_pages import ROOT, open_page
from test_claims_guide import (FEW, FLEXIBLE, MANY, PLAIN, PLAIN_DATA, SEEDS, SETTLED, deepen, fit,
                               mismatch, runs, verdict)

FILES = dict(PAGES)
LEAVES = ("Model bias", "Optimization", "Overfitting", "Mismatch")


@pytest.fixture(scope="module")
def leaves():
    """{leaf name: pages it links to}, read from the tree's columns as drawn."""
    at = open_page("app.py", lang="en")
    assert not at.exception
    out = {}
    for column in at.columns:
        texts = [m.value for m in column.get("markdown")]
        if len(texts) == 1 and texts[0].startswith("**"):
            name = texts[0][2:texts[0].index("**", 2)]
            out[name] = [link.proto.page for link in column.get("page_link")]
    cards = " ".join(m.value for m in at.main.get("markdown"))
    return out, cards


@claim("home", 1)
@claim("home", sentence="home.tree.text")
def test_every_lecture_section_hangs_on_a_leaf_of_one_of_the_three_steps(leaves):
    tree, cards = leaves
    for step, word in (("Step 1", "model"), ("Step 2", "loss"), ("Step 3", "optimization")):
        assert step in cards and f"**{word}**" in cards
    assert set(tree) >= set(LEAVES)
    linked = {page for name in LEAVES for page in tree[name]}
    sections = [key for key, _ in PAGES if key not in ("home", "playground")]
    for page in sections:
        assert page in linked, page                         # every section sits under a leaf
    for name in LEAVES:
        assert tree[name], name
        for page in tree[name]:
            assert (ROOT / FILES[page]).exists(), (name, page)


@claim("home", 2)
@claim("home", sentence="home.which")
def test_deeper_net_with_higher_training_loss_is_optimization_not_bias(leaves):
    tree, _ = leaves
    assert "guide" in tree["Model bias"]                    # the leaf links to the demonstration
    for seed in SEEDS:                                      # … and there it holds:
        v = verdict(PLAIN, seed, SETTLED)
        assert v["kind"] == "optimization" and v["deep"] > v["shallow"] + 0.3, (seed, v)
        shallow, deep = runs(PLAIN, seed, SETTLED)          # the deep architecture could match it
        net = copy.deepcopy(shallow.model).double()
        x, y = shallow.data.x_train.double(), shallow.data.y_train
        with torch.no_grad():
            reachable = float(shallow.loss_fn(deepen(net, deep.config.depth, 0.03)(x), y))
        assert reachable < v["shallow"] + 0.05 < v["deep"], (seed, reachable, v)


@claim("home", 3)
@claim("home", sentence="home.overfitting")
@claim("home", sentence="home.mismatch")
def test_more_data_cures_overfitting_but_not_mismatch(leaves):
    tree, _ = leaves
    assert "guide" in tree["Overfitting"] and "overfitting" in tree["Overfitting"]
    assert "guide" in tree["Mismatch"]
    floor = noise_floor()
    for seed in SEEDS:
        few, many = fit(seed, FEW, FLEXIBLE, PLAIN_DATA), fit(seed, MANY, FLEXIBLE, PLAIN_DATA)
        assert few[1] - few[0] > 0.5 * floor > abs(many[1] - many[0]), seed   # the gap closes
        small, large = mismatch(seed)
        assert large["shifted"] - large["same"] > 4 * floor, seed              # this one does not
