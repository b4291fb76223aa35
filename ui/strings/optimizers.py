"""Strings of the page "optimizers" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
}
