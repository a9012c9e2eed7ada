"""Briefing packs, checked as a reader sees them: each PowerPoint converted by LibreOffice Impress,
every page of every PDF rendered by poppler, the chart XML read back. Each pack is built once, its
PowerPoint converted once, per module; the rendered pages stay in tests/artefacts/."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.oxml.ns import qn

from tests import pdf_tags
from tests.conftest import COMMITTED
from tests.packs import ROOT, edge_ink, over_footer, page_count, pages, pdf_text, require_tools, to_pdf, words
from wardgaps import analysis, briefing, charts, db, disclosure
from wardgaps.briefing import drawing

pytestmark = [pytest.mark.office, pytest.mark.national, pytest.mark.xdist_group("office")]

ISLINGTON = "E09000019"
FINSBURY_PARK = "E05013703"
LIVERPOOL = "E08000012"
CHILD_POVERTY = "child_poverty_ahc_dwp"
WARD_TITLES = [
    "Key messages",
    "Finsbury Park on the Islington map: child poverty",
    *(f"Finsbury Park: every indicator ({i} of 7)" for i in range(1, 8)),
    "Child poverty AHC (DWP): Finsbury Park among Islington's wards",
    "Overcrowded households: Finsbury Park among Islington's wards",
    "Households deprived (1+ dims): Finsbury Park among Islington's wards",
    "Child poverty AHC (DWP): Finsbury Park over time",
    "Sources and licences (1 of 2)",
    "Sources and licences (2 of 2)",
    "Methods and caveats",
]
INDICATOR_TITLES = [
    "Key messages",
    "Child poverty AHC (DWP) across Islington's wards, FYE 2025 (2024/25)",
    "Child poverty AHC (DWP): every ward, highest first",
    "Child poverty AHC (DWP): every ward's figure and interval",
    "Child poverty AHC (DWP): gap measures and their trend",
    "Child poverty AHC (DWP): highest and lowest wards over time",
    "Sources and licences",
    "Methods and caveats",
]


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """Both packs, each built once and written in both formats; the PowerPoints converted by
    LibreOffice in one run; every page of all four PDFs rendered."""
    require_tools()
    out = tmp_path_factory.mktemp("packs")
    built = {
        "ward": briefing.make_pack(db.Reader(COMMITTED), ISLINGTON, ward=FINSBURY_PARK),
        # with both comparison groups, so every check below covers their lines, keys and notes too
        "indicator": briefing.make_pack(
            db.Reader(COMMITTED),
            ISLINGTON,
            indicator=CHILD_POVERTY,
            period="FYE 2025",
            similar=True,
            benchmark=LIVERPOOL,
        ),
    }
    files = {}
    for name, pack in built.items():
        for fmt in briefing.FORMATS:
            files[name, fmt] = out / f"{name}.{fmt}"
            files[name, fmt].write_bytes(briefing.render(pack, fmt))
    converted = to_pdf([files["ward", "pptx"], files["indicator", "pptx"]], out / "lo", out / "profile")
    files["ward", "impress"], files["indicator", "impress"] = converted
    rendered = {
        (name, kind): pages(files[name, kind], f"{name}-{'slides' if kind == 'impress' else 'pdf'}")
        for name in built
        for kind in ("impress", "pdf")
    }
    return built, files, rendered


def chart_xml(prs: Presentation) -> list:
    return [sh.chart._chartSpace for slide in prs.slides for sh in slide.shapes if sh.has_chart]


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text


def test_tools_are_required_not_skipped(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda tool: None if tool == "soffice" else "/usr/bin/" + tool)
    with pytest.raises(AssertionError, match=r"soffice \(libreoffice-impress\)"):
        require_tools()


@pytest.mark.parametrize("name,titles", [("ward", WARD_TITLES), ("indicator", INDICATOR_TITLES)])
def test_structure_cover_key_messages_evidence_sources(packs, name, titles):
    built, files, _ = packs
    pack = built[name]
    prs = Presentation(files[name, "pptx"])
    assert [slide_title(s) for s in prs.slides] == [pack.title, *titles]
    assert pack.page_count == len(titles) + 1
    # the same structure in every format, as the reader gets it
    assert page_count(files[name, "impress"]) == page_count(files[name, "pdf"]) == len(titles) + 1
    for i, slide in enumerate(prs.slides, start=1):  # the number is a field: it follows a moved slide
        number = next(sh for sh in slide.shapes if sh.name == "Slide number")
        fld = number._element.find(".//" + qn("a:fld"))
        assert fld.get("type") == "slidenum" and fld.find(qn("a:t")).text == str(i)
    cover = [label for label, _ in pack.cover]
    assert cover == ["Authority", "Ward" if name == "ward" else "Indicator", "Period", "Prepared", "Data version"]
    n = len(titles) + 1
    for i, text in enumerate(pdf_text(files[name, "impress"]).split("\f")[:n], start=1):
        assert f"Slide {i} of {n}" in text and "Data as at 2026-03." in text
    for i, text in enumerate(pdf_text(files[name, "pdf"]).split("\f")[:n], start=1):
        assert f"Page {i} of {n}" in text and "Data as at 2026-03." in text


def test_key_messages_come_second_and_are_gated_on_significance(packs):
    built, files, _ = packs
    for name in ("ward", "indicator"):
        key = Presentation(files[name, "pptx"]).slides[1]
        assert slide_title(key) == "Key messages"
        bullets = [p.text for sh in key.shapes if sh.name == "Key messages" for p in sh.text_frame.paragraphs]
        assert 3 <= len(bullets) <= 5
    ward = built["ward"].slides[0].bullets
    assert ward[1] == (
        "Child poverty AHC (DWP), FYE 2025 (2024/25): Finsbury Park's figure (46.0%, 95% CI 44.0% to 48.0%) is "
        "significantly higher than Islington's (33.4%)."
    )
    assert ward[0].startswith("Finsbury Park is significantly worse than Islington on 3 and significantly better on 0")
    ind = built["indicator"].slides[0].bullets
    assert ind[1] == (
        "Highbury's figure (20.1%, 95% CI 18.4% to 21.9%) is significantly lower than Islington's (33.4%)."
    )
    assert ind[2] == "6 wards of 17 are significantly worse than Islington and 6 significantly better."
    assert ind[4].startswith(
        "From the most to the least deprived ward the slope index of inequality is 11.0 percentage"
    )


def test_every_ward_chart_names_every_ward_with_its_significance_and_interval(packs):
    _, files, _ = packs
    names = set(analysis.ward_names(db.Reader(COMMITTED), ISLINGTON, 2024).values())
    t = analysis.ward_table(db.Reader(COMMITTED), ISLINGTON, CHILD_POVERTY, "FYE 2025", 2024).set_index("geo_name")
    for name, expected_bars in (("ward", 3), ("indicator", 1)):
        bars = [c for c in chart_xml(Presentation(files[name, "pptx"])) if c.find(".//" + qn("c:barChart")) is not None]
        assert len(bars) == expected_bars
        for cs in bars:
            cats = [v.text for v in cs.findall(f".//{qn('c:cat')}//{qn('c:pt')}/{qn('c:v')}")]
            assert len(cats) == 17 and set(cats) == names  # every ward named ...
            skip = cs.find(".//" + qn("c:catAx")).find(qn("c:tickLblSkip"))
            assert skip.get("val") == "1"  # ... and no label skipped
    cs = bars[0]  # the indicator pack's ordered bar
    cats = [v.text for v in cs.findall(f".//{qn('c:cat')}//{qn('c:pt')}/{qn('c:v')}")]
    vals = [float(v.text) for v in cs.findall(f".//{qn('c:val')}//{qn('c:pt')}/{qn('c:v')}")]
    assert cats[-1] == "Finsbury Park" and vals[-1] == 46.0  # drawn bottom-up: the highest is on top
    assert cats[0] == "Highbury" and vals[0] == 20.1
    assert vals == sorted(vals) and vals == [t.loc[c, "value"] for c in cats]
    fills = {
        int(p.find(qn("c:idx")).get("val")): p.find(f".//{qn('a:srgbClr')}").get("val")
        for p in cs.findall(".//" + qn("c:dPt"))
    }
    assert [fills[i] for i in range(17)] == [charts.SIG_COLOURS[t.loc[c, "vs_authority"]].lstrip("#") for c in cats]
    plus = [float(v.text) for v in cs.find(".//" + qn("c:plus")).findall(".//" + qn("c:v"))]
    assert plus == pytest.approx([t.loc[c, "upper_95"] - t.loc[c, "value"] for c in cats])


def test_indicator_pack_shows_comparator_lines_and_a_key(packs):
    """Authority, region and country, and the comparison groups asked for (Islington's 10 similar
    authorities, Liverpool as benchmark): each a line with its key entry, styled as on the web,
    on the bar chart and over time, and their method on the methods slide."""
    built, files, _ = packs
    slide = Presentation(files["indicator", "pptx"]).slides[3]
    lines = {sh.name: sh for sh in slide.shapes if sh.name.startswith("Comparator line")}
    assert sorted(lines) == [
        "Comparator line: 10 similar authorities 34.8%",
        "Comparator line: England 27.1%",
        "Comparator line: Islington 33.4%",
        "Comparator line: Liverpool (benchmark) 34.2%",
        "Comparator line: London 30.7%",
    ]
    dash = {n: sh.line._get_or_add_ln().find(qn("a:prstDash")) for n, sh in lines.items()}
    assert dash["Comparator line: 10 similar authorities 34.8%"].get("val") == "dashDot"
    assert dash["Comparator line: Liverpool (benchmark) 34.2%"].get("val") == "lgDash"
    keys = [sh.name for sh in slide.shapes if sh.name.startswith("Key: ")]
    assert keys == [
        "Key: significantly worse than authority",
        "Key: similar to authority",
        "Key: significantly better than authority",
        "Key: 95% interval",
        "Key: Islington 33.4%",
        "Key: London 30.7%",
        "Key: England 27.1%",
        "Key: 10 similar authorities 34.8%",
        "Key: Liverpool (benchmark) 34.2%",
    ]
    ind = built["indicator"]
    assert (
        "10 similar authorities 34.8% (rate of their summed counts); Liverpool (benchmark) 34.2%" in ind.slides[1].lead
    )
    over_time = next(s.chart for s in ind.slides if s.title.endswith("highest and lowest wards over time"))
    assert over_time.series["10 similar authorities"] == pytest.approx([35.68, 34.76], abs=0.01)
    assert over_time.series["Liverpool (benchmark)"] == [34.3, 34.2]
    colours = [drawing.line_style(over_time, n, i)[0] for i, n in enumerate(over_time.series)]
    assert len(set(colours)) == len(colours) == 7  # no ward drawn in a comparator's colour
    methods = ind.slides[-1].bullets
    assert any(b.startswith("Similar authorities: the ten authorities of England and Wales nearest") for b in methods)
    assert "Benchmark: Liverpool, chosen for this pack." in methods


def test_a_group_with_nothing_to_draw_is_named_as_not_drawn():
    """A count is not compared with other authorities: an indicator pack of households on UC asked
    for similar authorities and a benchmark draws neither, and its methods page says so."""
    pack = briefing.make_pack(
        db.Reader(COMMITTED), ISLINGTON, indicator="uc_households", similar=True, benchmark=LIVERPOOL
    )
    methods = pack.slides[-1].bullets
    assert not any(b.startswith(("Similar authorities:", "Benchmark:")) for b in methods)
    assert any(
        b.startswith("Asked for but not drawn: the similar authorities and the benchmark authority") for b in methods
    )
    bars = [s.chart for s in pack.slides if s.chart is not None and s.chart.kind == "bar"]
    assert bars and all(c.comparators == [] for c in bars)


def test_a_bad_benchmark_refuses_the_pack_in_one_sentence(tmp_path):
    out = tmp_path / "p.pptx"
    for code, said in (
        ("E0800", "Briefing not built: that benchmark is not a local authority code (such as E08000012)."),
        ("E08000099", "Briefing not built: E08000099 is not a local authority of England or Wales in Ward Gaps."),
        (ISLINGTON, "Briefing not built: the benchmark is the authority shown."),
    ):
        r = _cli("--indicator", CHILD_POVERTY, "--benchmark", code, "--out", str(out))
        assert r.returncode == 1 and r.stderr.startswith(said), r.stderr
        assert not out.exists()


def test_nothing_runs_off_a_slide_or_page(packs):
    _, _, rendered = packs
    assert {k: len(v) for k, v in rendered.items()} == {
        ("ward", "impress"): 17,
        ("ward", "pdf"): 17,
        ("indicator", "impress"): 9,
        ("indicator", "pdf"): 9,
    }
    for key, pngs in rendered.items():
        for png in pngs:
            assert edge_ink(png) == (0, 0), f"{key}: {png.name} has content at its bottom or right edge"


def test_nothing_runs_over_the_footer(packs):
    built, files, _ = packs
    for name in ("ward", "indicator"):
        for kind in ("impress", "pdf"):
            for i, page in enumerate(words(files[name, kind]), start=1):
                assert over_footer(page, built[name].footer) == [], f"{name} {kind} page {i}"


def test_one_number_format_per_unit_and_column(packs):
    built, _, _ = packs
    ind = built["indicator"]
    every = next(s.table.frame for s in ind.slides if s.title.endswith("every ward's figure and interval"))
    assert every["Child poverty AHC (DWP)"].str.fullmatch(r"\d+\.\d%").all()
    assert every["95% interval"].str.fullmatch(r"\d+\.\d% to \d+\.\d%").all()
    gap = next(s.table.frame for s in ind.slides if s.title.endswith("gap measures and their trend"))
    assert list(gap["Range (percentage points)"]) == ["28.9", "25.9"]
    assert list(gap["Highest ÷ lowest"]) == ["2.44", "2.29"]
    assert list(gap["SII 95% interval"]) == ["11.5 to 15.1", "9.2 to 12.8"]
    text = [ind.title, *(b for s in ind.slides for b in [s.title, s.lead, *s.bullets])]
    assert not any("(s)" in t for t in text)
    assert ind.slides[4].lead == "Across 2 periods on May-2024 wards the gap is not significantly changed."
    ward = pd.concat([s.table.frame for s in built["ward"].slides if "every indicator" in s.title]).set_index(
        "Indicator"
    )
    assert len(ward) == 46  # 18, and the 28 living environment and health indicators
    assert ward.loc["Child poverty AHC (DWP)", "Ward"] == "46.0%"
    assert ward.loc["Child poverty AHC (DWP)", "95% interval"] == "44.0% to 48.0%"
    assert ward.loc["Households on UC (count)", "Ward"] == "1,933"


def test_indicator_pack_with_one_figure_on_every_ward_names_no_highest_or_lowest_ward():
    """The City of London's child poverty rate is one MSOA's, on all 25 wards: the key messages
    say so first, and no slide, chart or map (nor their descriptions) names a highest or lowest
    ward or draws two of them over time."""
    pack = briefing.make_pack(
        db.Reader(COMMITTED), "E09000001", indicator="child_poverty_bhc_rate_dwp", period="FYE 2022"
    )
    bullets = pack.slides[0].bullets
    assert bullets[0] == (
        "All 25 wards shown have the same figure (36.8%), so there is no gap between them to measure and their "
        "order means nothing."
    )
    said = [b for s in pack.slides for b in [s.title, s.lead, s.note, *s.bullets]]
    said += [x.alt for s in pack.slides for x in (s.chart, s.image) if x is not None]
    assert not any(w in t for t in said for w in ("Aldersgate", "Walbrook", "times the", "Highest:")), said
    assert not any(s.title.endswith("over time") for s in pack.slides)
    assert pack.slides[1].image.alt.endswith("Every ward shown has the same figure, 36.8%.")
    assert "for 25 wards, every one at 36.8%" in pack.slides[2].chart.alt


def test_accessible_titles_alt_text_reading_order_and_metadata(packs):
    built, files, _ = packs
    for name in ("ward", "indicator"):
        prs = Presentation(files[name, "pptx"])
        titles = [slide_title(s) for s in prs.slides]
        assert len(set(titles)) == len(titles)
        for slide in prs.slides:
            shapes = list(slide.shapes)
            assert shapes[0].is_placeholder and shapes[0].placeholder_format.type in (
                PP_PLACEHOLDER.TITLE,
                PP_PLACEHOLDER.CENTER_TITLE,
            )  # the title is read first ...
            assert [s.name for s in shapes[-2:]] == ["Footer", "Slide number"]  # ... the footer last
            names = [s.name for s in shapes]
            if "Caption" in names:  # a caption is read after what it describes
                content = [i for i, s in enumerate(shapes) if s.has_chart or s.has_table]
                assert content and names.index("Caption") > max(content)
            for sh in shapes:
                if not sh.has_text_frame or not sh.text_frame.text:  # pictures, charts, tables, lines, swatches
                    descr = sh._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
                    assert descr and len(descr) > 20, f"{name}: {sh.name} has no alternative text"
        assert prs.core_properties.title == built[name].title and prs.core_properties.language == "en-GB"
        info = subprocess.run(["pdfinfo", str(files[name, "pdf"])], capture_output=True, text=True).stdout
        assert re.search(rf"Title:\s+{re.escape(built[name].title)}", info)
        assert re.search(r"Author:\s+Ward Gaps", info)
        assert re.search(r"Tagged:\s+yes", info)  # a structure tree a screen reader can follow
        tags = pdf_tags.read(files[name, "pdf"].read_bytes())
        assert tags.lang == "en-GB" and tags.display_title and tags.ua_part == "1"
        raw = subprocess.run(["pdftotext", "-raw", str(files[name, "pdf"]), "-"], capture_output=True, text=True)
        heads = [built[name].title, *(sl.title for sl in built[name].slides)]
        for i, (page, head) in enumerate(zip(raw.stdout.split("\f"), heads, strict=False), start=1):
            flat = " ".join(page.split())  # in reading order: the title first, the footer last
            assert flat.startswith(head) and flat.endswith(f"Page {i} of {len(heads)}"), (name, i)
    picture = next(
        sh
        for sh in Presentation(files["indicator", "pptx"]).slides[2].shapes
        if sh.shape_type == MSO_SHAPE_TYPE.PICTURE
    )
    assert "Highest: Finsbury Park 46.0%; Lowest: Highbury 20.1%" in picture._element.xpath("./*[1]/p:cNvPr")[0].get(
        "descr"
    )


def test_pdf_figures_tables_and_headings_are_tagged_as_the_powerpoint_describes_them(packs):
    built, files, _ = packs
    for name in ("ward", "indicator"):
        tree = pdf_tags.read(files[name, "pdf"].read_bytes()).tree
        figures = [f.alt for f in tree.find("/Figure")]
        # every map and chart, with the PowerPoint's own description of it, in reading order
        assert figures == pdf_tags.pptx_figures(files[name, "pptx"].read_bytes())
        assert len(figures) == (5 if name == "ward" else 4) and all(figures)
        tables = tree.find("/Table")
        assert len(tables) == sum(sl.table is not None for sl in built[name].slides)
        for t in tables:
            head = t.find("/TH")
            assert head and all(th.attrs.get("/Scope") == "/Column" for th in head)
        assert len(tree.find("/H1")) == 1 and len(tree.find("/H2")) == len(built[name].slides)
    alts = [f.alt for f in pdf_tags.read(files["indicator", "pdf"].read_bytes()).tree.find("/Figure")]
    assert "Highest: Finsbury Park 46.0%; Lowest: Highbury 20.1%" in alts[0]


def test_pdfs_carry_the_same_figures_and_sources(packs):
    _, files, _ = packs
    for key in (("ward", "pdf"), ("ward", "impress"), ("indicator", "pdf"), ("indicator", "impress")):
        pages = pdf_text(files[key]).split("\f")
        flat = " ".join(pages[1].split())  # the key messages, as read off the page
        assert "Finsbury Park's figure (46.0%, 95% CI 44.0% to 48.0%) is significantly higher than Islington's" in flat
        if key[0] == "indicator":  # the every-ward table's first and last rows, cell by cell
            rows = [line.split() for line in pages[4].splitlines()]
            assert ["1", "Finsbury", "Park", "46.0%", "44.0%", "to", "48.0%", "Worse", "Worse"] in rows, key
            assert ["17", "Highbury", "20.1%", "18.4%", "to", "21.9%", "Better", "Better"] in rows, key
        sources = " ".join(" ".join(pages[-3:]).split())
        assert "Open Government Licence v3.0" in sources and "Department for Work and Pensions" in sources, key


def _template(path, potx: bool = False):
    """A council-like template: a named shape on the slide master, layouts renamed and reordered
    so only their placeholders can identify them."""
    prs = Presentation()
    scratch = prs.slides.add_slide(prs.slide_layouts[6])  # python-pptx adds shapes to slides only: move one
    banner = scratch.shapes.add_textbox(0, 0, prs.slide_width // 3, prs.slide_height // 20)
    banner.name = "Council banner"
    banner.text_frame.text = "Test Council"
    prs.slide_master.shapes._spTree.append(banner._element)  # the template's sample slide stays, as in real ones
    for i, layout in enumerate(prs.slide_layouts):
        layout.name = f"Council layout {i}"
    ids = prs.slide_layouts._sldLayoutIdLst
    ids.append(ids[0])  # the title layout moves to the end
    buf = io.BytesIO()
    prs.save(buf)
    data = buf.getvalue()
    if potx:
        zin, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for item in zin.infolist():
                body = zin.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    body = body.replace(b"presentation.main+xml", b"template.main+xml")
                z.writestr(item, body)
        data = out.getvalue()
    path.write_bytes(data)
    return path


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wardgaps", "briefing", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("suffix", [".pptx", ".potx"])
def test_template_option_puts_slides_on_the_councils_master(tmp_path, suffix):
    template = _template(tmp_path / f"council{suffix}", potx=suffix == ".potx")
    out = tmp_path / "pack.pptx"
    r = _cli("--indicator", "overcrowded_households", "--template", str(template), "--out", str(out))
    assert r.returncode == 0, r.stderr
    prs = Presentation(out)
    assert len(prs.slide_masters) == 1 and len(prs.slides) == 8  # the template's own sample slide is dropped
    for slide in prs.slides:
        assert "Council banner" in [s.name for s in slide.slide_layout.slide_master.shapes]
        assert slide.slide_layout.name.startswith("Council layout")
    kinds = [{ph.placeholder_format.type for ph in s.slide_layout.placeholders} for s in prs.slides]
    assert {PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.SUBTITLE} <= kinds[0]  # the cover: title and subtitle
    for k in kinds[1:]:  # content: the title-only layout, wherever the template put it
        assert k - {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER} == {PP_PLACEHOLDER.TITLE}
    if suffix == ".pptx":  # a 4:3 master: the narrower slide still holds every table, chart and caption
        pdf = to_pdf([out], tmp_path / "lo", tmp_path / "profile")[0]
        footer = prs.slides[1].shapes[-2].text_frame.text
        for i, (page, png) in enumerate(zip(words(pdf), pages(pdf, "template-slides"), strict=True), start=1):
            assert edge_ink(png) == (0, 0) and over_footer(page, footer) == [], f"template slide {i}"
            assert {"Test", "Council"} <= {w[4] for w in page}  # the master's banner on every slide


def test_a_bad_template_gets_one_plain_sentence(tmp_path):
    missing = _cli("--indicator", "overcrowded_households", "--template", str(tmp_path / "no.pptx"), "--out", "x.pptx")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr.strip().splitlines()[-1] == "Briefing not built: the template file no.pptx was not found."
    (tmp_path / "notes.pptx").write_text("not a presentation")
    bad = _cli("--indicator", "overcrowded_households", "--template", str(tmp_path / "notes.pptx"), "--out", "x.pptx")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines()[-1] == (
        "Briefing not built: notes.pptx is not a PowerPoint file or template (.pptx or .potx)."
    )


def _bomb(path, megabytes: int) -> None:
    """A .potx-named zip whose one part is ``megabytes`` MB of zeros (about 1 MB packed per GB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("ppt/media/image1.png", "w", force_zip64=True) as w:
            chunk = bytes(2**20)
            for _ in range(megabytes):
                w.write(chunk)


# Peak memory from the process's own address space (VmHWM; getrusage's maxrss can carry the forking
# parent's peak across exec)
OPEN_AND_MEASURE = (
    "import re, sys\n"
    "from wardgaps.briefing import PackError, open_template\n"
    "try:\n    open_template(sys.argv[1])\nexcept PackError as e:\n    print(e)\n"
    "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
)


@pytest.mark.parametrize(
    "megabytes, said",
    [
        (1024, "council.potx unpacks to 1,024 MB, more than a PowerPoint template does (200 MB at most)"),
        (100, "council.potx holds a part packed 1,0"),  # 100 MB of zeros: ~1,000 to 1
    ],
)
def test_a_zip_bomb_template_is_refused_before_it_is_opened(tmp_path, megabytes, said):
    """A 1 MB template of zeros unpacked to 1 GB (2.3-3.4 GB peak and 15 s of CPU when opened).
    Its directory is read, not its parts: refused in one sentence, memory bounded, nothing written."""
    bomb = tmp_path / "council.potx"
    _bomb(bomb, megabytes)
    assert bomb.stat().st_size < 2 * 2**20
    r = subprocess.run([sys.executable, "-c", OPEN_AND_MEASURE, str(bomb)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    message, peak_kb = r.stdout.strip().splitlines()
    assert message.startswith(said), message
    # the imports alone take ~260 MB; opening the bomb took 2.3 GB before it was checked first
    assert int(peak_kb) < 600_000
    out = tmp_path / "pack.pptx"
    cli = _cli("--indicator", "overcrowded_households", "--template", str(bomb), "--out", str(out))
    assert cli.returncode == 1 and "Traceback" not in cli.stderr
    assert cli.stderr.strip().splitlines()[-1].startswith(f"Briefing not built: {said}")
    assert not out.exists()


def test_public_pack_takes_its_figures_from_the_public_view(public_reader):
    pack = briefing.make_pack(public_reader, ISLINGTON, indicator="population", period="2021")
    public = analysis.ward_table(public_reader, ISLINGTON, "population", "2021", 2024)
    bar = next(s.chart for s in pack.slides if s.chart is not None and s.chart.kind == "bar")
    assert sorted(b.value for b in bar.bars) == sorted(public["value"].dropna())
    assert all(b.value % 5 == 0 for b in bar.bars)
    assert bar.comparators == []  # no authority line against a ward's count
    methods = pack.slides[-1].bullets
    assert "Public view. " + disclosure.RULES[0] in methods and all(r in methods for r in disclosure.RULES[1:])
    assert not any("95% CI" in b for b in pack.slides[0].bullets)


def test_public_pack_with_both_groups_fits_its_pages(public_reader, tmp_path):
    """The longest methods page a pack can have (the indicator's caveats, the similar authorities'
    rule, the benchmark and the disclosure rules) stays on its page in the PDF."""
    require_tools()
    pack = briefing.make_pack(
        public_reader, ISLINGTON, indicator=CHILD_POVERTY, period="FYE 2025", similar=True, benchmark=LIVERPOOL
    )
    methods = pack.slides[-1].bullets
    assert any(b.startswith("Similar authorities:") for b in methods)
    assert "Public view. " + disclosure.RULES[0] in methods
    pdf = tmp_path / "public.pdf"
    pdf.write_bytes(briefing.render(pack, "pdf"))
    rendered = pages(pdf, "public-groups-pdf")
    assert len(rendered) == pack.page_count
    for png in rendered:
        assert edge_ink(png) == (0, 0), f"{png.name} has content at its bottom or right edge"


def test_cli_writes_a_pdf_and_refuses_an_unknown_indicator(tmp_path):
    out = tmp_path / "pack.pdf"
    r = _cli("--authority", ISLINGTON, "--indicator", "overcrowded_households", "--format", "pdf", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:5] == b"%PDF-" and page_count(out) == 8  # no trend: one census period
    bad = _cli("--indicator", "no_such", "--out", str(tmp_path / "x.pptx"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines()[-1] == "Briefing not built: unknown indicator no_such."


def test_edge_check_sees_content_at_the_edge(tmp_path):
    from PIL import Image

    page = Image.new("RGB", (400, 225), "white")
    page.save(tmp_path / "clean.png")
    assert edge_ink(tmp_path / "clean.png") == (0, 0)
    page.paste((0, 0, 0), (100, 220, 140, 225))  # a table's last row cut off at the bottom
    page.save(tmp_path / "cut.png")
    assert edge_ink(tmp_path / "cut.png") == (40 * 3, 0)  # the strip is the bottom 1.5% (3 rows)


def test_page_builds_each_pack_once_and_writes_both_formats(monkeypatch):
    from streamlit.testing.v1 import AppTest

    made, written = [], []
    make, render = briefing.make_pack, briefing.render

    def counting_make(*a, **k):
        made.append(make(*a, **k))
        return made[-1]

    def counting_render(pack, fmt_, template=None):
        written.append(fmt_)
        return render(pack, fmt_, template)

    monkeypatch.setattr(briefing, "make_pack", counting_make)
    monkeypatch.setattr(briefing, "render", counting_render)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/briefing.py").run()
    at.button(key="build_pack").click().run()
    assert not at.exception, at.exception
    assert len(made) == 1 and written == ["pptx", "pdf"]
    assert [b.label for b in at.get("download_button")] == ["Download PowerPoint (.pptx)", "Download PDF"]
    n = made[0].page_count
    assert made[0].kind == "ward" and n > 10
    assert at.main.caption[-1].value == f"{n} slides; the PDF has the same {n} pages."


def test_page_packs_take_the_sidebars_comparison_groups(monkeypatch, downloads):
    """?similar=1&benchmark=... on the Briefing page: the pack is built with both groups, and the
    page says so before it is built."""
    from streamlit.testing.v1 import AppTest

    asked, made = [], []
    make = briefing.make_pack

    def recording_make(*a, **k):
        asked.append(k)
        made.append(make(*a, **k))
        return made[-1]

    monkeypatch.setattr(briefing, "make_pack", recording_make)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params.update(similar="1", benchmark=LIVERPOOL)
    at.run()
    at.switch_page("pages/briefing.py").run()
    assert "Compared also with its similar authorities and Liverpool (benchmark), as in the sidebar." in " ".join(
        c.value for c in at.main.caption
    )
    at.button(key="build_pack").click().run()
    assert not at.exception, at.exception
    assert asked[0]["similar"] is True and asked[0]["benchmark"] == LIVERPOOL
    bar = next(s.chart for s in made[0].slides if s.chart is not None and s.chart.kind == "bar")
    assert [k for _, _, k in bar.comparators][-2:] == ["similar authorities", "benchmark"]
    packs = [downloads.name(b) for b in at.get("download_button")]
    assert packs == [f"wardgaps-E09000019-Arsenal-similar-vs-{LIVERPOOL}.{x}" for x in ("pptx", "pdf")], packs
