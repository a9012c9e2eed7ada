"""Security gates: effective Streamlit config, and a scan of the code for unsafe patterns."""

from __future__ import annotations

import ast
import os

from tests.conftest import ROOT

CODE = [*ROOT.glob("pages/*.py"), *ROOT.glob("wardgaps/**/*.py"), ROOT / "dashboard.py"]


def test_effective_streamlit_config(monkeypatch):
    from streamlit import config

    monkeypatch.chdir(ROOT)
    for k in [k for k in os.environ if k.startswith("STREAMLIT_")]:
        monkeypatch.delenv(k)
    config.get_config_options(force_reparse=True)
    try:
        assert config.get_option("server.enableXsrfProtection") is True
        assert config.get_option("server.enableCORS") is True
        assert config.get_option("server.enableStaticServing") is False
        assert config.get_option("server.headless") is True
        assert config.get_option("server.fileWatcherType") == "none"
        assert config.get_option("server.runOnSave") is False
        assert config.get_option("runner.postScriptGC") is False
        assert config.get_option("server.maxUploadSize") == 25
        assert config.get_option("client.showErrorDetails") in ("none", False)
        assert config.get_option("browser.gatherUsageStats") is False
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True)


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            yield name, node


def _is_literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_built(node: ast.AST) -> bool:
    """An f-string, a % format or a .format() call: text assembled at the call site."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


# One test per scan that walks every file and reports every finding at once (these were 2 x 88
# tests parametrised from the file list at import time: the same checks, a fraction of the overhead).
def unsafe_html(path) -> list[str]:
    found = []
    for name, call in _calls(ast.parse(path.read_text())):
        if name == "html" and call.args and not _is_literal(call.args[0]):
            found.append(f"{path.name}:{call.lineno}: st.html with a non-literal argument")
        for kw in call.keywords:
            if kw.arg == "unsafe_allow_html" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                if not (call.args and _is_literal(call.args[0])):
                    found.append(f"{path.name}:{call.lineno}: unsafe_allow_html with a non-literal argument")
    return found


def sql_built_from_strings(path) -> list[str]:
    return [
        f"{path.name}:{call.lineno}: SQL text built with an f-string, % or .format"
        for name, call in _calls(ast.parse(path.read_text()))
        if name in ("execute", "sql", "executemany", "query_df") and call.args and _is_built(call.args[0])
    ]


def test_code_is_scanned():
    assert len(CODE) > 50 and ROOT / "dashboard.py" in CODE and any(p.parent.name == "pages" for p in CODE)


def test_no_unsafe_html():
    found = [f for path in CODE for f in unsafe_html(path)]
    assert found == [], "\n".join(found)


def test_no_sql_built_from_strings():
    found = [f for path in CODE for f in sql_built_from_strings(path)]
    assert found == [], "\n".join(found)


def test_scanner_catches_bad_code():
    """The scan can fail: it flags the patterns it is meant to flag."""
    bad = ast.parse('con.execute(f"select * from {t}")\nst.markdown(x, unsafe_allow_html=True)\nst.html(user)')
    names = [(n, c) for n, c in _calls(bad)]
    assert _is_built(names[0][1].args[0])
    assert any(kw.arg == "unsafe_allow_html" for _, c in names for kw in c.keywords)
    assert any(n == "html" and not _is_literal(c.args[0]) for n, c in names)


def test_scans_report_every_finding_in_a_file(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('con.execute(f"select {t}")\ncon.sql("a" + b)\nst.markdown(x, unsafe_allow_html=True)\nst.html(u)\n')
    assert sql_built_from_strings(bad) == [
        "bad.py:1: SQL text built with an f-string, % or .format",
        "bad.py:2: SQL text built with an f-string, % or .format",
    ]
    assert unsafe_html(bad) == [
        "bad.py:3: unsafe_allow_html with a non-literal argument",
        "bad.py:4: st.html with a non-literal argument",
    ]
