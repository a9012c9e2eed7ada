"""Data and methods: every indicator and source, how wards are handled, and downloads."""

import streamlit as st

from wardgaps import analysis, disclosure, ui


def body(v: ui.View) -> None:
    st.title("Data and methods")
    st.write(
        "Every figure comes from an official file through Ward Gaps' build; nothing is typed in by hand. "
        "Published figures are kept exactly as published. Ward figures built from smaller areas are "
        "**aggregated** (whole LSOAs by best fit) or **apportioned** (split by population weights, with a fit quality "
        "from 0 to 1: the population-weighted share of the contributing areas that lies inside the ward)."
    )
    st.subheader("Changes in this release")
    log = analysis.release_changes(v.reader)
    if log is None:
        st.write("No change log: this extract was made with no earlier data version recorded to compare it with.")
    else:
        ui.summary(analysis.release_changes_summary(log))
        st.write(
            f"Against data version {log['old']['version']} ({ui.md_escape(log['old']['from'])}), worked out when this "
            "extract was made; `python -m wardgaps changes OLD NEW` compares any two releases."
        )
        ui.table(
            v,
            analysis.release_changes_table(v.reader, log),
            {
                "indicator": "Indicator",
                "added": "Periods added",
                "revised": "Periods revised",
                "values": "Figures revised",
                "authorities": "Areas with revisions",
                "largest": "Largest revision (old to new)",
            },
            key="release-changes",
        )
        changed = [
            f"{s['source_id']} ({', '.join(f['file'].split('/')[-1] for f in s['files'])})"
            for s in log["sources"] or []
        ]
        if changed:
            st.write("Sources whose files changed: " + ui.md_escape("; ".join(changed)) + ".")
    st.subheader("Wards: every authority in England and Wales")
    st.write(
        "The current wards are ONS's May-2024 set: 7,579 wards in the 318 local authorities of England and Wales "
        "(London's are its May-2022 wards, unchanged). Census 2021 and IoD 2025 figures are built from 2021 LSOAs "
        f"by ONS's best-fit lookup; {ui.md_escape(analysis.wards_without_lsoa(v.reader))}, so they have no Census 2021 "
        "or IoD 2025 figure. Outside London, IoD 2015 and 2019 "
        "figures (2011 LSOAs) are apportioned through ONS's 2011-to-2021 LSOA lookup, weighted by population. "
        "Each authority is compared with its region and its country; Welsh authorities with Wales (once)."
    )
    st.write(
        "**Wales.** The English Indices of Deprivation cover England only; Welsh wards have Wales' own index, the "
        "Welsh Index of Multiple Deprivation (Welsh Government): the WIMD 2019 score (a population-weighted ward mean "
        "of 2011 LSOA scores, apportioned as England's IMD 2019 outside London) and, as WIMD 2025 is published as "
        "ranks only, the share of a ward's 2021 LSOAs in Wales' most deprived 10% and 20% (ranks 1-191 and 1-383 of "
        "1,917: 10% and 20% of 1,917, rounded down). WIMD and IMD are different indices, never one scale: they are "
        "separate indicators, a Welsh figure is compared only with its authority and Wales, and Welsh authorities' "
        "slope index, relative index and deprivation quintiles order wards by WIMD (named on the page)."
    )
    st.subheader("London's wards before and after May 2022")
    st.write(
        "Islington's wards changed in May 2022 (16 to 17), as did many London boroughs'. London-only series on older "
        "wards stay on their own boundaries (2014 or 2018). Counts are carried onto the new wards only as apportioned "
        "estimates, through 2011 LSOAs weighted by population; medians and ranks are never apportioned. Census 2021 "
        "tables are perturbed by ONS at every geography, so ward figures need not add up to the published authority "
        "figure."
    )
    st.subheader("Geography change log")
    sets, changes = analysis.area_sets(v.reader), analysis.ward_set_changes(v.reader)
    ui.summary(analysis.change_log_summary(changes, sets))
    ui.table(
        v,
        sets,
        {
            "geo_type": "Kind of area",
            "vintage": "Set (vintage)",
            "what": "What it is",
            "areas": "Areas",
            "authorities": "Authorities",
            "countries": "Countries",
            "indicators": "Indicators on it",
            "observations": "Figures on it",
        },
        key="geography-sets",
    )
    st.write(
        "Which authorities' wards changed: ONS gives a ward a new code when its boundary changes, so a ward whose code "
        "carried over from one set to the next kept its boundary. Outside London the extract holds the current set "
        "only; series published on older small areas reach it as the next table says."
    )
    ui.table(
        v,
        changes,
        {
            "authority_name": "Authority",
            "wards_2014": "Wards 2014",
            "wards_2018": "Wards 2018",
            "wards_2024": "Wards now",
            "kept_2014_2018": "Codes kept 2014 to 2018",
            "kept_2018_2024": "Codes kept 2018 to now",
            "changed_2014_2018": "Changed 2014 to 2018",
            "changed_2018_2024": "Changed 2018 to now",
        },
        key="ward-set-changes",
    )
    st.write(
        "How each series is carried onto its ward set: published for the wards, aggregated from whole blocks (best "
        "fit), or apportioned by the stored population weights (named; the data contract re-applies them to the "
        "stored inputs). Fit quality is the population-weighted share of the contributing blocks lying inside the "
        "ward (1 = whole blocks only): its minimum, 10th percentile and median, and the share of figures with a "
        "perfect fit."
    )
    ui.table(
        v,
        analysis.series_carry(v.reader),
        {
            "indicator_id": "Indicator",
            "source_id": "Source",
            "ward_set": "Ward set",
            "how": "Method",
            "first_period": "First period",
            "last_period": "Last period",
            "periods": "Periods",
            "wards": "Wards",
            "weight_basis": "Weights",
            "fit_min": "Fit (min)",
            "fit_p10": "Fit (10th percentile)",
            "fit_median": "Fit (median)",
            "fit_whole_share": "Share with fit 1",
        },
        key="series-carry",
    )
    st.subheader("Definitions used throughout")
    st.markdown(
        "- **Financial years** are written one way everywhere: *FYE 2024 (2023/24)* is the financial year ending "
        "March 2024, whichever form the publisher used.\n"
        "- **Counts** (such as Universal Credit households or children in low-income families before housing costs) "
        "depend on how big a ward is, so they are shown in a neutral colour, never called better or worse, never "
        "tested for significance and never set against an authority, region or country total; their labels say "
        "*count*.\n"
        "- **Gaps by deprivation** (slope and relative index of inequality, quintiles) order English wards by the "
        "IMD edition of the period's time: IMD 2015 for periods up to 2018, IMD 2019 up to FYE 2024, IMD 2025 after "
        "(IMD 2019 scores outside London from the mySociety Composite UK IMD, CC BY 4.0, which reproduces the IoD "
        "2019 score of every English LSOA). Welsh wards are ordered by the WIMD 2019 score in every period (WIMD "
        "2025 has ranks only). The index used is named on the page. They are not "
        "given for counts (they would measure ward size) or for deprivation index measures (ranking those by the "
        "index would be circular).\n"
        "- **Apportioned** figures are estimates, whatever their source; published figures are final or provisional "
        "as published."
    )
    ui.table(
        v,
        analysis.fit_quality(v.reader),
        {
            "indicator_id": "Indicator",
            "apportioned_rows": "Apportioned figures",
            "fit_min": "Fit (min)",
            "fit_median": "Fit (median)",
            "fit_mean": "Fit (mean)",
        },
        key="fit-quality",
    )

    st.subheader("Small numbers in the public view")
    st.write(
        "The public view protects people in small groups, following the Office for National Statistics' practice for "
        "small-area counts. Its figures come from a public extract made from the full one by a single publish step "
        "(`python -m wardgaps publish`), which applies these rules once to every figure: "
        + disclosure.RULES_TEXT
        + " Rates are worked out again from the rounded counts rather than shown to fewer decimals, so a rate, its "
        "interval and its counts always agree and a reader can check one against the other; nothing finer than the "
        "rounding is left to solve for. Ranks, comparison labels, gap measures and trends are then worked out on the "
        "figures shown, and the public extract holds nothing else: no hidden figure, and none of the weights the "
        "estimates were made with."
    )
    hidden_label = (
        "Ward figures hidden in this view (small numbers, and those hidden with them)"
        if v.public
        else "Ward figures resting on fewer than 10 (hidden in public)"
    )
    ui.table(
        v,
        analysis.hidden_in_public(v.reader),
        {"indicator": "Indicator", "ward_figures": hidden_label},
        key="hidden-in-public",
    )

    st.subheader("Similar wards")
    st.write(analysis.SIMILAR_METHOD)
    ui.table(
        v,
        analysis.characteristic_list(v.reader),
        {
            "label": "Characteristic",
            "source_table": "Census 2021 table",
            "transform": "Transformed before standardising",
            "indicator_id": "Also the indicator (left out of the comparison)",
            "why": "Why",
        },
        key="similar-characteristics",
    )

    st.subheader("Comparison groups: similar authorities and a benchmark")
    st.write(analysis.SIMILAR_AUTHORITIES_METHOD)
    st.write(analysis.SIMILAR_RULE)
    near = analysis.similar_authorities(v.reader, v.authority)
    if len(near):
        ui.table(
            v,
            near,
            {"rank": "Rank", "geo_code": "Code", "geo_name": f"Similar to {v.authority_name}", "distance": "Distance"},
            key=f"similar-authorities-{v.authority}",
        )
    else:
        st.caption("This extract holds no similar authorities (it was built before they were added).")
    st.subheader("Comparing wards and areas side by side")
    st.write(
        "The Compare page (?wards=CODE,CODE,...) sets two to four wards from any authorities side by side, or "
        "areas of the council's area set with them (&authority=CODE&areas=SET&area=NAME&area=NAME, one area "
        "each): every indicator of a theme at the latest period any of them has, each place's figure with its "
        "95% interval and whether it differs significantly from its own authority and its country (Fingertips' "
        "rule), marked and in words. An area's figure is the area aggregation's (rates from its wards' summed "
        "numerators and denominators, with the interval from those sums; counts summed; scores "
        "population-weighted), judged against its authority's and its country's figures by the same rule; an "
        "indicator that cannot be carried to areas says so in the area's cell. The public view compares only "
        "published sets, disclosed as wards are."
    )

    st.subheader("Finding an indicator")
    st.write(analysis.SEARCH_METHOD)

    st.subheader("Indicators")
    cat = analysis.catalogue(v.reader)
    ui.table(
        v,
        cat,
        {
            "indicator_id": "Id",
            "title": "Indicator",
            "theme": "Theme",
            "unit": "Unit",
            "polarity": "Polarity",
            "definition": "Definition",
            "ci_method": "Intervals",
            "native_geography": "Native geography",
            "caveats": "Caveats",
            "licence": "Licence",
            "release_date": "Released",
            "next_release": "Next release",
        },
        key="indicators",
    )

    st.subheader("The council's own data (local data)")
    local = analysis.local_table(v.reader)
    if local.empty:
        st.write(
            "No local data is loaded. A council can add its own ward figures (free school meals, hub visits…) with "
            "`python -m wardgaps add --csv FILE --meta FILE.yaml`; they are shown on every page tagged *local data*."
        )
    else:
        st.write(
            "These indicators are the council's own figures, loaded with `python -m wardgaps add` and kept apart from "
            "the official extract. They are not official statistics; only those the council has published "
            "(`python -m wardgaps set-published`) reach the public view, under the same small-number rules."
        )
        ui.table(
            v,
            local,
            {
                "indicator_id": "Id",
                "title": "Indicator",
                "unit": "Unit",
                "authorities": "Authority",
                "wards": "Wards",
                "periods": "Periods",
                "source": "Source",
                "licence": "Licence",
                "date": "Dated",
                "file_name": "File",
                "sha256_short": "File checksum (sha256, first 12)",
                "added": "Added",
                "published_label": "Published",
            },
            key="local-data",
        )

    st.subheader("The council's own areas")
    st.write(
        "A council can group current wards into its own areas (the wards a hub serves, a committee's wards) with "
        "`python -m wardgaps add-areas --csv FILE --set NAME` (columns `area_name`, `ward_code`; every ward in at "
        "most one area of a set, an area's wards all of one authority). Add `?areas=NAME` to any link, or choose the "
        "set in the sidebar, and every page draws the areas beside the wards: the map (the wards dissolved into one "
        "outline per area), Ward gaps, Trends, the Profile, the Overview's furthest behind and the packs. How a "
        "figure is carried from wards to areas:"
    )
    for rule in analysis.AREA_RULES.split(". "):
        st.markdown(f"- {rule.rstrip('.')}.")
    st.write(
        "A set reaches the public view only when it was added with `--published` and the public extract is made "
        "with `python -m wardgaps publish --with-local`. Its areas are then disclosed as wards are (counts below 10 "
        "hidden, the rest rounded to 5, rates from the rounded counts), an area is hidden wherever one of its wards "
        "is, and more areas are hidden within the set until neither the authority's total nor the wards give a small "
        "number back."
    )
    sets = analysis.council_area_sets(v.reader)
    if len(sets):
        ui.table(
            v,
            sets,
            {"set_name": "Set", "authority_name": "Authority", "areas": "Areas", "wards": "Wards"},
            key="area-sets",
        )

    st.subheader("Sources")
    src = analysis.sources(v.reader)
    ui.table(
        v,
        src,
        {
            "source_id": "Id",
            "publisher": "Publisher",
            "title": "Title",
            "url": "Landing page",
            "licence": "Licence",
            "attribution": "Attribution",
            "release_date": "Released",
            "next_release": "Next release",
            "files": "Files read",
        },
        key="sources",
    )

    st.subheader("Downloads")
    if v.vintage is not None:
        view = analysis.download_view(v.reader, v.authority, v.indicator, v.period, v.vintage)
        st.download_button(
            "Current view (CSV)",
            view.to_csv(index=False).encode(),
            f"wardgaps-{v.authority}-{v.indicator}.csv",
            "text/csv",
            key="dl-view-csv",
        )
        st.download_button(
            "Current view (XLSX)",
            # built when clicked, not on every rerun
            lambda: ui.xlsx_bytes({"wards": view, "indicator": cat[cat["indicator_id"] == v.indicator]}),
            f"wardgaps-{v.authority}-{v.indicator}.xlsx",
            key="dl-view-xlsx",
        )
    if v.public:
        st.caption(
            "The whole public extract: every figure exactly as this view shows it (the full extract is not published)."
        )
    st.download_button(
        "Whole extract: observations (CSV)",
        lambda: ui.extract_csv(v.reader),  # built when clicked: 2.6 million rows, gzip-compressed
        "wardgaps-observations.csv.gz" if not v.public else "wardgaps-public-observations.csv.gz",
        "application/gzip",
        key="dl-extract",
    )


ui.run("Data and methods", body)
