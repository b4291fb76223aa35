"""Strings of the page "batch" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
}
