"""Strings of the page "learning_rate" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
}
