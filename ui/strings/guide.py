"""Strings of the page "guide" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
}
