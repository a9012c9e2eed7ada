"""Accessibility statement (GOV.UK format)."""

import streamlit as st

from wardgaps import ui


def body(_v: ui.View) -> None:
    st.title("Accessibility statement for Ward Gaps")
    st.markdown(
        """
    This statement applies to the Ward Gaps dashboard. We want as many people as possible to be able to use it.
    You should be able to:

    - change colours, contrast levels and fonts using your browser or device settings
    - zoom in up to 400% without the text spilling off the screen
    - navigate the whole dashboard using just a keyboard: every choice made on a chart (such as clicking a ward on
      the map) can also be made from a select box
    - read every chart as a table, with a one-line summary above it, and download the table as CSV
    - tell better, similar and worse apart without seeing colour: every bar also says it in words

    ### How accessible this dashboard is

    We know some parts are not fully accessible:

    - **Charts** are drawn as graphics. Screen readers do not describe the shapes; the table and the one-line summary
      under every chart carry the same figures.
    - **Tables** are drawn by Streamlit's data grid on a canvas, with an accessible grid behind it that exposes only the
      rows in view. Some screen readers announce it inconsistently. Every table can be downloaded as CSV.
    - **The map** needs a pointer to click a ward; the "Ward" select box beside it does the same from the keyboard.
    - **Page structure** comes from the Streamlit framework: some landmarks and the sidebar's collapse button are
      outside our control.

    ### Briefing packs

    - **PowerPoint packs** give every chart, map and table a description (alternative text), and are read in order:
      each slide's title first, its footer last.
    - **PDF packs** are tagged PDF, made to PDF/UA-1: a structure tree in reading order, with the pack's title as the
      main heading and each page's title as a subheading; bullets as lists; tables whose header cells are marked as
      column headers; every chart and map described with the same alternative text as in the PowerPoint pack; the
      language set to British English; and the pack's title, not its file name, shown as the document's title.
    - The description of a chart or map names what it shows and its highest and lowest wards; the pack's tables
      carry the figures themselves.
    - The footer and page number are read as ordinary text at the end of every page, not marked as page furniture.

    ### Feedback and contact information

    If you find a problem not listed here, or need the information in a different format, contact the team that runs
    this dashboard through your council's usual feedback route. Say which page you were on and what went wrong.

    ### Enforcement procedure

    The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and
    Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond to your
    complaint, contact the Equality Advisory and Support Service (EASS).

    ### Technical information about this dashboard's accessibility

    This dashboard is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to
    the non-compliances listed above.

    ### How we tested this dashboard

    Every page, and key states such as the map's neighbourhood view, is tested automatically in a real browser with
    axe-core against WCAG 2.2 A and AA: a test fails on any critical or serious violation that is not a known
    Streamlit limitation (there are none at present). A keyboard-only journey (choose an indicator and a ward, reach
    the table) is tested the same way. Every PDF pack the tests build is checked for its tags: a structure tree,
    the language, one main heading and a subheading per page, header cells in every table, and alternative text on
    every figure equal to the PowerPoint pack's. The packs have not been checked with a PDF/UA validator or a screen
    reader. This statement was prepared on 24 November 2026 and last reviewed on 7 December 2026.
    """
    )


ui.run("Accessibility", body)
