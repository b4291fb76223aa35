"""Strings of the page "home" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
}
