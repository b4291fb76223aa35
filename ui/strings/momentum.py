"""Strings of the page "momentum" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
}
