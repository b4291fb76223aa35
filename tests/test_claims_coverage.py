"""Every lesson step has a claim test (tests/claims.py), and every claimed sentence exists."""
import importlib
from pathlib import Path

from claims import CLAIMED
from ui.lessons import LESSONS
from ui.strings import TABLE

HERE = Path(__file__).resolve().parent


def load_claim_tests():
    for path in sorted(HERE.glob("test_claims_*.py")):
        if path.stem != "test_claims_coverage":
            importlib.import_module(path.stem)


def test_every_lesson_step_has_a_claim_test():
    load_claim_tests()
    missing = [(page, i) for page, plan in LESSONS.items()
               for i in range(1, len(plan.steps) + 1) if (page, i) not in CLAIMED]
    assert not missing, f"lesson steps without a claim test: {missing}"


def test_claimed_sentences_and_steps_exist():
    load_claim_tests()
    for page, what in CLAIMED:
        assert page in LESSONS, page
        if isinstance(what, int):
            assert 1 <= what <= len(LESSONS[page].steps), (page, what)
        else:
            assert what in TABLE, (page, what)
