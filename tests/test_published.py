"""Unpublished until published: the council's local indicators and places carry a published flag
(default: not published), set with ``python -m wardgaps set-published``; only published items reach
the public extract (``publish --with-local``: the whole file is scanned for the others); the officer
view marks the others "not published" on every page where local data shows and in packs. On the
fixture extract (tests/fixtures.py)."""

from __future__ import annotations

import subprocess

import duckdb
import pytest

from tests import fixtures
from tests.conftest import write_local
from tests.test_pages import app, frames, texts
from wardgaps import analysis, db, local, local_places
from wardgaps.__main__ import main
from wardgaps.publish import publish

pytest_plugins = ["tests.fixture_plugin"]

CODE = fixtures.CODE
SHOWN = "fsm_shown"  # published
HIDDEN = "fsm_withheld"  # never published
HIDDEN_TITLE = "Withheld pupils measure"
# the places: a library (published) and a hub of a kind that is not
PLACES = (
    "name,kind,latitude,longitude\nShown Library,library,51.505,-0.195\nWithheld Hub Zebra,secret hub,51.506,-0.196\n"
)


def rows(base: int) -> list[dict]:
    wards = [c for c, _n, a in fixtures.WARDS if a == fixtures.AUTHORITY]
    return [
        {"ward_code": c, "period": "2024/25", "value": round(100 * (base + 7 * i) / 400, 2)}
        | {"numerator": base + 7 * i, "denominator": 400}
        for i, c in enumerate(wards)
    ]


@pytest.fixture()
def layer(fixture_db, tmp_path, monkeypatch):
    """The fixture extract with a local layer: two indicators and two places, none published."""
    monkeypatch.setenv("WARDGAPS_LOCAL", str(tmp_path / "local.duckdb"))
    for name, ident, title, base in (
        ("shown", SHOWN, "Shown pupils measure", 101),
        ("hidden", HIDDEN, HIDDEN_TITLE, 133),
    ):
        local.add(*write_local(tmp_path, rows(base), name=name, id=ident, title=title, short_title=title))
    (tmp_path / "places.csv").write_text(PLACES, encoding="utf-8")
    local_places.add_places(tmp_path / "places.csv")
    return tmp_path / "local.duckdb"


def cells(path) -> list[str]:
    """Every cell of every table of every schema in a DuckDB file, as text: the whole artefact."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = []
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
        assert tables
        for schema, table in tables:
            df = con.table(f'"{schema}"."{table}"').df()
            out += [f"{schema}.{table}.{c}" for c in df.columns]
            out += [str(x) for c in df.columns for x in df[c].dropna()]
        return out
    finally:
        con.close()


def test_new_items_are_not_published_and_the_command_line_says_so(layer, capsys):
    assert not local.listed().set_index("indicator_id")["published"].any()
    assert not local_places.stored()["published"].any()
    assert main(["list-local"]) == 0
    out = capsys.readouterr().out
    assert out.count("· not published") == 2
    assert main(["set-published", SHOWN]) == 0
    assert capsys.readouterr().out.startswith(f"Local indicator {SHOWN} is now published;")
    assert main(["set-published", "--places", "LIBRARY"]) == 0  # a kind named in any case
    assert capsys.readouterr().out.startswith("1 place of the kind LIBRARY is now published;")
    assert main(["list-local"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split(":")[0] for ln in lines if ln.endswith("· published")] == [SHOWN]
    assert main(["list-places"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split(" (")[0] for ln in lines if ln.endswith("· published")] == ["Shown Library"]
    # and back again; a wrong name is one sentence, nothing written
    assert main(["set-published", SHOWN, "--off"]) == 0
    assert capsys.readouterr().out == f"Local indicator {SHOWN} is now not published.\n"
    assert not local.listed().set_index("indicator_id").loc[SHOWN, "published"]
    before = layer.read_bytes()
    assert main(["set-published", "nope"]) == 1
    assert capsys.readouterr().err == "There is no local indicator 'nope' (see list-local). Nothing was changed.\n"
    assert main(["set-published"]) == 2 and layer.read_bytes() == before


def test_only_published_items_reach_the_public_extract(layer, fixture_extract, tmp_path, capsys):
    local.set_published(SHOWN)
    local_places.set_places_published("library")
    out = tmp_path / "public.duckdb"
    assert main(["publish", "--db", str(fixture_extract), "--out", str(out), "--with-local"]) == 0
    everything = cells(out)
    text = "\n".join(everything)
    # nothing of the unpublished indicator or place, anywhere in the file
    for word in (HIDDEN, HIDDEN_TITLE, "hidden.csv", local.listed().set_index("indicator_id").loc[HIDDEN, "sha256"]):
        assert word not in text, word
    assert "Withheld Hub Zebra" not in text and "secret hub" not in text
    for word in (HIDDEN.encode(), b"Withheld Hub Zebra", HIDDEN_TITLE.encode()):  # nor in its bytes
        assert word not in out.read_bytes()
    # the published ones are there, disclosed, and not marked
    r = db.Reader(out, public=True)
    assert analysis.indicator_meta(r, SHOWN)["title"] == "Shown pupils measure (local data)"
    assert analysis.indicator_meta(r, HIDDEN) is None
    t = analysis.ward_table(r, fixtures.AUTHORITY, SHOWN, "2024/25", fixtures.VINTAGE).set_index("geo_code")
    assert t.loc[CODE["Alder"], "numerator"] == 100  # 101 rounded to 5
    assert list(analysis.council_places(r, fixtures.AUTHORITY)["name"]) == ["Shown Library"]
    assert list(analysis.local_table(r)["published_label"]) == ["Published"]
    # without --with-local no local item at all
    bare = tmp_path / "bare.duckdb"
    assert main(["publish", "--db", str(fixture_extract), "--out", str(bare)]) == 0
    assert SHOWN not in "\n".join(cells(bare))


def test_nothing_published_publishes_no_local_item(layer, fixture_extract, tmp_path):
    out = tmp_path / "public.duckdb"
    publish(fixture_extract, out, say=lambda _m: None, local=layer)
    text = "\n".join(cells(out))
    assert SHOWN not in text and HIDDEN not in text and "Shown Library" not in text and "Zebra" not in text


# --- the marks in the officer view ----------------------------------------------------------------
@pytest.mark.parametrize("page", ["overview", "map", "gaps", "trends", "profile", "context", "methods", "briefing"])
def test_every_page_marks_an_unpublished_indicator(layer, page):
    local.set_published(SHOWN)
    at = app(page, authority=fixtures.AUTHORITY, indicator=HIDDEN, period="2024/25", ward=CODE["Alder"])
    shown = texts(at) + "\n".join(str(f.to_dict()) for f in frames(at))
    shown += "\n".join(str(o) for s in at.selectbox for o in s.options)
    assert f"{HIDDEN_TITLE} (local data, not published)" in shown
    assert "Shown pupils measure (local data)" in shown and "Shown pupils measure (local data, not" not in shown
    if page in ("map", "profile"):
        assert analysis.NOT_PUBLISHED in shown
    if page == "methods":
        t = next(f for f in frames(at) if "Published" in f.columns).set_index("Id")
        assert t.loc[HIDDEN, "Published"] == "Not published" and t.loc[SHOWN, "Published"] == "Published"


def test_places_page_marks_unpublished_places(layer):
    local_places.set_places_published("library")
    at = app("places", authority=fixtures.AUTHORITY)
    shown = texts(at) + "\n".join(str(f.to_dict()) for f in frames(at))
    assert "Withheld Hub Zebra (not published)" in shown and "Shown Library (not published)" not in shown
    assert "Not published: 1 of these 2 places" in shown


def pdf_text(data: bytes) -> str:
    # -raw: in the order the tagged PDF writes its text (a table cell wraps without mixing columns)
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def test_packs_mark_an_unpublished_indicator(layer):
    from wardgaps.briefing import build_pack

    r = db.reader(public=False)
    words = pdf_text(build_pack(r, fixtures.AUTHORITY, indicator=HIDDEN, period="2024/25", fmt_="pdf")[0])
    assert f"{HIDDEN_TITLE} (local data, not published): {fixtures.AUTHORITY_NAME}" in words
    assert "Local data (not published):" in words  # its sources row
    local.set_published(HIDDEN)
    words = pdf_text(build_pack(db.reader(public=False), fixtures.AUTHORITY, indicator=HIDDEN, fmt_="pdf")[0])
    assert f"{HIDDEN_TITLE} (local data): {fixtures.AUTHORITY_NAME}" in words and "not published" not in words


def test_a_layer_made_before_the_flag_is_read_as_unpublished_and_brought_up_to_date(layer, tmp_path, monkeypatch):
    old = tmp_path / "old.duckdb"  # a copy (this process has the layer open), its flags dropped
    old.write_bytes(layer.read_bytes())
    monkeypatch.setenv("WARDGAPS_LOCAL", str(old))
    con = duckdb.connect(str(old))
    con.execute("alter table local_indicators drop column published")
    con.execute("alter table places drop column published")
    con.close()
    assert analysis.indicator_meta(db.reader(public=False), HIDDEN)["title"].endswith("(local data, not published)")
    assert not local_places.stored()["published"].any()
    local.set_published(HIDDEN)
    local_places.set_places_published(None)
    assert local.listed().set_index("indicator_id")["published"].to_dict() == {HIDDEN: True, SHOWN: False}
    assert local_places.stored()["published"].all()
