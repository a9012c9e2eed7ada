"""Briefing: one click to a ward or indicator pack, as editable PowerPoint and PDF."""

import streamlit as st

from wardgaps import briefing, ui
from wardgaps.db import query

v = ui.view()
st.title("Briefing packs")
st.write(
    "A pack for a committee: the ward or indicator on the map, every figure with its comparators and "
    "significance, the charts where it stands out, the narrative, and the sources slide. PowerPoint charts "
    "are native and editable; the PDF carries the same content."
)
kind = st.radio("Pack", ["One ward", "One indicator across the borough"], horizontal=True, key="pack_kind")
args: dict = {}
if kind == "One ward":
    wards = query("ward_boundaries", borough_code=v.borough, vintage=2022)
    names = dict(zip(wards["geo_code"], wards["geo_name"], strict=True))
    args["ward"] = ui.ward_select("brief_ward", names, next(iter(names)))
    label = names[args["ward"]]
else:
    if v.vintage is None:
        st.info("This indicator has no ward figures; choose another indicator in the sidebar.")
        st.stop()
    args.update(indicator=v.indicator, period=v.period)
    label = f"{v.meta['short_title']} {v.period}"
st.caption(f"Borough: {v.borough_name}. " + ("Public view: disclosure control applies." if ui.is_public() else ""))

key = (v.borough, tuple(sorted(args.items())), ui.is_public())
if st.button("Build the pack", type="primary", key="build_pack"):
    bar = st.progress(0.0, text="Starting")
    try:
        files = {}
        for i, fmt_ in enumerate(("pptx", "pdf")):

            def progress(f: float, msg: str, i: int = i, fmt_: str = fmt_) -> None:
                bar.progress(min(1.0, (i + f) / 2), text=f"{fmt_.upper()}: {msg}")

            files[fmt_], pack = briefing.build_pack(
                v.borough, fmt_=fmt_, public=ui.is_public(), progress=progress, **args
            )
        st.session_state["pack"] = (key, files, pack.renderer)
        bar.progress(1.0, text="Ready")
    except ValueError as e:
        st.error(f"The pack could not be built: {e}.")
if st.session_state.get("pack") and st.session_state["pack"][0] == key:
    _, files, renderer = st.session_state["pack"]
    name = f"wardgaps-{v.borough}-{label}".replace(" ", "-").replace("/", "-")
    c1, c2 = st.columns(2)
    c1.download_button(
        "Download PowerPoint (.pptx)",
        files["pptx"],
        f"{name}.pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="dl-pptx",
    )
    c2.download_button("Download PDF", files["pdf"], f"{name}.pdf", "application/pdf", key="dl-pdf")
    st.caption(f"Maps rendered with {renderer}.")
