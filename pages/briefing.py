"""Briefing: one click to a ward or indicator pack. The pack (and its map) is built once, then
written as editable PowerPoint, on the council's template if one is given, and as PDF."""

import hashlib

import streamlit as st

from wardgaps import analysis, briefing, ui


def body(v: ui.View) -> None:
    """The pack chooser, the build button and the two downloads."""
    st.title("Briefing packs")
    st.write(
        "A pack for a committee: a cover, the key messages, then the evidence (the map, every ward's "
        "figure with its 95% interval and significance, the gaps and their trend) and the sources. "
        "PowerPoint charts are native and editable; the PDF carries the same content page for page, tagged "
        "for screen readers (headings, tables, and every chart and map described as in the PowerPoint)."
    )
    kinds = ["One ward", "One indicator across the authority"] + ([f"One area ({v.areas})"] if v.areas else [])
    kind = st.radio("Pack", kinds, horizontal=True, key="pack_kind")
    args: dict = {}
    if v.areas and kind == kinds[-1]:
        names = sorted(analysis.area_members(v.reader, v.areas, v.authority)["area_name"].unique())
        args.update(areas=v.areas, area=st.selectbox("Area", names, key="brief_area"))
        label = args["area"]
    elif kind == "One ward":
        names = analysis.ward_names(v.reader, v.authority, analysis.WARD_VINTAGE)
        args["ward"] = ui.ward_select("brief_ward", names, next(iter(names)))
        label = names[args["ward"]]
    else:
        if v.vintage is None:
            st.info("This indicator has no ward figures; choose another indicator in the sidebar.")
            ui.stop(v)
        args.update(indicator=v.indicator, period=v.period)
        label = f"{v.meta['short_title']} {v.period}"
    upload = st.file_uploader(
        "Council template (optional): a PowerPoint file (.pptx or .potx) with your slide master",
        type=["pptx", "potx"],
        key="pack_template",
    )
    template = upload.getvalue() if upload is not None else None
    groups = ["its similar authorities"] if v.similar else []
    groups += [analysis.authority_names(v.reader)[v.benchmark] + " (benchmark)"] if v.benchmark else []
    st.caption(
        f"Authority: {v.authority_name}. "
        + (f"Compared also with {' and '.join(groups)}, as in the sidebar. " if groups else "")
        + ("Your template's master and layouts are used. " if template else "A plain theme is used. ")
        + ("Public view: disclosure control applies." if v.public else "")
    )
    # A new ward, indicator, view or template is a new pack; the same ones reuse the built files.
    stamp = hashlib.sha256(template).hexdigest() if template else None
    args.update(similar=v.similar, benchmark=v.benchmark)  # the sidebar's comparison groups, as on every page
    key = (v.authority, tuple(sorted(args.items())), v.public, stamp)
    if st.button("Build the pack", type="primary", key="build_pack"):
        bar = st.progress(0.0, text="Starting")
        try:
            if template is not None:
                briefing.open_template(template)  # refuse a bad template before the work, not after

            def progress(f: float, msg: str) -> None:
                bar.progress(0.8 * f, text=msg)

            pack = briefing.make_pack(v.reader, v.authority, progress=progress, **args)
            files = {}
            for i, fmt_ in enumerate(briefing.FORMATS):  # both formats from the one pack
                bar.progress(0.8 + 0.1 * i, text=f"Writing the {fmt_.upper()}")
                files[fmt_] = briefing.render(pack, fmt_, template)
            st.session_state["pack"] = (key, files, pack.page_count)
            bar.progress(1.0, text="Ready")
        except briefing.PackError as e:  # a reason the reader can act on; anything else reaches ui.run
            st.error(ui.md_escape(f"The pack could not be built: {e}."))
    if st.session_state.get("pack") and st.session_state["pack"][0] == key:
        _, files, pages = st.session_state["pack"]
        also = ("-similar" if v.similar else "") + (f"-vs-{v.benchmark}" if v.benchmark else "")  # as drawn
        name = f"wardgaps-{v.authority}-{label}{also}".replace(" ", "-").replace("/", "-")
        c1, c2 = st.columns(2)
        c1.download_button(
            "Download PowerPoint (.pptx)",
            files["pptx"],
            f"{name}.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="dl-pptx",
        )
        c2.download_button("Download PDF", files["pdf"], f"{name}.pdf", "application/pdf", key="dl-pdf")
        st.caption(f"{pages} slides; the PDF has the same {pages} pages.")


ui.run("Briefing packs", body)
