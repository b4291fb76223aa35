"""Strings of the page "batch_norm" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
}
