"""The layering docs/ARCHITECTURE.md promises, checked on the source: lib never imports Streamlit
or ui; only ui/charts imports Altair; every page ends with ui.page.end() (the one play loop); no
page reaches into another component's session keys."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_lib_imports_neither_streamlit_nor_ui():
    for path in (ROOT / "lib").rglob("*.py"):
        bad = {m for m in imports(path) if m.split(".")[0] in ("streamlit", "ui", "altair")}
        assert not bad, (path, bad)


def test_only_ui_charts_imports_altair():
    for path in [*PAGES, *(ROOT / "ui").rglob("*.py")]:
        if "charts" in path.relative_to(ROOT).parts:
            continue
        assert not any(m.split(".")[0] == "altair" for m in imports(path)), path


def test_every_page_ends_with_the_one_play_loop():
    for path in PAGES:
        body = ast.parse(path.read_text()).body
        last = body[-1]
        assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call), path
        assert ast.unparse(last.value) == "end()", path
        assert "from ui.page import" in path.read_text() and "end" in path.read_text(), path


def test_no_page_touches_another_components_session_keys():
    """The panel's state, a player's state and the lesson's step are reached through their
    modules' functions, never by key."""
    foreign = re.compile(r"""[:"'](panel|playing|play:now|setup)["'\]]|lesson:""")
    for path in PAGES:
        for n, line in enumerate(path.read_text().splitlines(), 1):
            assert not foreign.search(line), f"{path.name}:{n}: {line.strip()}"
