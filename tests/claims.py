"""Registry of claim tests: every lesson step's "watch for" (and every page sentence that promises
a phenomenon) names the test that runs the page's own setup and checks it.

    @claim("playground", 1)                       # lesson step 1 of the Playground
    @claim("learning_rate", sentence="lr.s1.read")  # a sentence of a page, by its string key
    def test_...(): ...

tests/test_claims_coverage.py enumerates the lessons (ui/lessons.py) and fails for a step that no
claim test covers, so a new lesson step cannot land without its test.
"""
from __future__ import annotations

CLAIMED: dict[tuple, list[str]] = {}


def claim(page: str, step: int | None = None, *, sentence: str | None = None):
    if (step is None) == (sentence is None):
        raise TypeError("claim: give a lesson step number or a sentence's string key")
    key = (page, step) if step is not None else (page, sentence)

    def register(test):
        CLAIMED.setdefault(key, []).append(f"{test.__module__}.{test.__name__}")
        return test
    return register
