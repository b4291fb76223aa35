"""Strings of the page "critical_points" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
}
