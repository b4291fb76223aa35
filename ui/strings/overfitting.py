"""Strings of the page "overfitting" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
}
