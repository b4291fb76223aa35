"""Strings of the page "classification_loss" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
}
