"""Revenue at risk: a transparent what-if model of revenue lost to brand switching."""

from typing import Any

import polars as pl
import streamlit as st

from components import auth, cards, data, guard, page, session, state
from cx.core import display
from cx.core.i18n import N_, _
from cx.models import revenue, scenarios
from cx.reports import revenue as report
from cx.reports.revenue import RevenueResult

KEY = "revenue"
#: Said next to the scenario controls when nobody signs in (every session's owner is "open").
OPEN_MODE_NOTE = N_(
    "Without sign-in, saved scenarios are shared by everyone using this server: anyone can "
    "open, replace (same name) or delete them."
)
PRESET = session.widget_key(KEY, "preset")
BRAND = session.widget_key(KEY, "brand")
#: The saved-scenario selector.
SAVED = "rev_pick"
view = page.start(KEY)
ctx = view.ctx


def _preset_changed() -> None:
    state.remember(KEY, "preset", session.value(PRESET))
    state.forget(KEY, "brand", *revenue.SPECS)


def _brand_changed() -> None:
    state.remember(KEY, "brand", session.value(BRAND))
    state.forget(KEY, *revenue.SPECS)


def _input_changed(spec: revenue.InputSpec) -> None:
    shown = session.value(session.widget_key(KEY, spec.name))
    state.remember(KEY, spec.name, float(shown) / spec.scale)


def _input_widget(spec: revenue.InputSpec, result: RevenueResult) -> None:
    """A slider for shares, years and people; a number input for money and volumes. Shares
    are shown as percentages with a step that changes what is shown."""
    key = session.widget_key(KEY, spec.name)
    session.set_value(key, round(result.inputs[spec.name] * spec.scale, 6))
    label = f"{_(spec.label)} ({_(spec.shown_unit)})"
    help_text = _("{help} Range {low} to {high}. Source: {source}.").format(
        help=_(spec.help),
        low=spec.show(spec.low),
        high=spec.show(spec.high),
        source=result.sources[spec.name],
    )
    common: dict[str, Any] = {
        "key": key,
        "help": help_text,
        "on_change": _input_changed,
        "args": (spec,),
        "step": spec.step * spec.scale,
        "format": f"%.{spec.decimals}f",
    }
    if spec.unit in ("share", "years", "people"):
        st.slider(label, spec.low * spec.scale, spec.high * spec.scale, **common)
    else:
        st.number_input(label, spec.low * spec.scale, spec.high * spec.scale, **common)


def _delete_scenario(owner: str, scenario_id: str) -> None:
    try:
        scenarios.delete(data.database(), owner, scenario_id, role=auth.access().role)
    except scenarios.ScenarioError as exc:
        st.toast(
            display.plain(_("{sentence}.").format(sentence=str(exc).capitalize())),
            icon=":material/lock:",
        )
        return
    data.run.clear()


def _scenarios(result: RevenueResult) -> None:
    """Save, open, share and delete named scenarios (kept in the database per user)."""
    st.subheader(_("Scenarios"), anchor=False)
    link = {k: v for k, v in session.url().items() if k != "scenario"}
    # the preset (and brand) as resolved, so the scenario does not depend on today's default
    link.setdefault("preset", result.preset)
    if result.brand:
        link.setdefault("brand", result.brand)
    if auth.read_only():
        st.caption(
            _(
                "This server is read-only, so scenarios cannot be saved here. The link in your "
                "address bar holds the current scenario: share it to share the scenario."
            )
        )
        return
    if not auth.can_save_scenarios():
        st.caption(
            _(
                "Saving scenarios is for analysts; you are signed in as a viewer. The link in "
                "your address bar holds the current scenario: share it to share the scenario."
            )
        )
        return
    owner = auth.user_key()
    if auth.access().mode == "open":
        st.caption(_(OPEN_MODE_NOTE))
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    with c1:
        name = st.text_input(
            _("Scenario name"), key="rev_scenario_name", max_chars=scenarios.MAX_NAME,
            placeholder=_("e.g. After-sales programme"),
        )  # fmt: skip
    with c2:
        if st.button(
            _("Save scenario"), key="rev_save", icon=":material/bookmark_add:", width="stretch"
        ):
            try:
                role = auth.access().role  # checked again at the write
                saved_id = scenarios.save(data.database(), owner, name, link, role=role)
                data.run.clear()
                session.set_value(SAVED, saved_id)  # the selector and link show it
                st.toast(_("Scenario saved."), icon=":material/bookmark:")
            except scenarios.ScenarioError as exc:
                st.toast(
                    display.plain(_("{sentence}.").format(sentence=str(exc).capitalize())),
                    icon=":material/edit:",
                )
    saved = scenarios.listing(data.run, owner)
    if not saved:
        st.caption(_("Saved scenarios appear here side by side, with a link to share each one."))
        return
    rows = [_(revenue.OUTPUT_LABELS[k]) for k in revenue.OUTPUTS]
    rows += [_(s.label) for s in revenue.INPUTS]
    table: dict[str, list[str]] = {"": [_("Preset"), *rows]}
    for sc in saved:
        params = sc["params"]
        chosen = view.report.parse_picks(params)
        other = report.compute(data.run, state.selection_of(params), ctx.opts, **chosen)
        outputs = {**(other.outputs or {}), **report.shown_outputs(other)}  # as the chart says
        table[sc["name"]] = [
            other.short_label,
            *[display.usd_m(outputs.get(k)) for k in revenue.OUTPUTS],
            *[s.show(other.inputs[s.name]) for s in revenue.INPUTS],
        ]
    cards.table(pl.DataFrame(table))
    names = {sc["scenario_id"]: sc["name"] for sc in saved}
    d1, d2, d3 = st.columns([3, 1, 1], vertical_alignment="bottom")
    with d1:
        chosen_id = st.selectbox(_("Saved scenario"), list(names), format_func=names.get, key=SAVED)
    with d2:
        picked = next(sc for sc in saved if sc["scenario_id"] == chosen_id)
        st.button(_("Open"), key="rev_open", icon=":material/open_in_new:", width="stretch",
                  on_click=state.apply_link, args=(picked["params"],))  # fmt: skip
    with d3:
        st.button(_("Delete"), key="rev_delete", icon=":material/delete:", width="stretch",
                  on_click=_delete_scenario, args=(owner, chosen_id))  # fmt: skip
    st.caption(_("Link to share it (the button at its right copies it):"))
    st.code(f"{session.page_address(KEY)}?scenario={chosen_id}", language=None, wrap_lines=True)


@st.fragment
@guard.guarded
def model_panel() -> None:
    """Inputs and results; reruns alone when an input moves."""
    current = page.compute(view.report, ctx, state.picks_made(KEY))
    page.sync_url(current)
    result: RevenueResult = current.result
    top1, top2 = st.columns([1, 1])  # the preset's name whole at 1366 (it was cut at 2:3)
    with top1:
        preset = result.choices["preset"]
        session.set_value(PRESET, preset.value)
        st.selectbox(_("Preset"), list(preset.options), format_func=session.in_language(preset.label),
                     key=PRESET, on_change=_preset_changed)  # fmt: skip
    with top2:
        brand = result.choices.get("brand")
        if brand is not None and brand.options:
            session.set_value(BRAND, brand.value)
            st.selectbox(_("Brand"), list(brand.options), key=BRAND, on_change=_brand_changed)
        else:
            st.caption(display.plain(preset.note))
    for note in result.notes:
        st.warning(display.plain(report.sentence(note)), icon=":material/warning:")
    if result.outputs is None:
        st.warning(
            display.plain(
                _(
                    "No figure for this preset: {missing}. Choose the Capgemini calibration "
                    "preset, or a dataset with these answers."
                ).format(missing="; ".join(result.missing))
            ),
            icon=":material/block:",
        )
        return
    groups: dict[str, list[revenue.InputSpec]] = {}
    for spec in revenue.INPUTS:
        groups.setdefault(spec.group, []).append(spec)
    for col, (group, specs) in zip(st.columns(len(groups)), groups.items(), strict=True):
        with col, st.container(border=True):
            st.markdown(
                f"**{display.plain(_(group))}**"
            )  # a constant of the model; escaped all the same
            for spec in specs:
                _input_widget(spec, result)
    cards.kpi_tiles(report.kpis(result))
    if result.preset == revenue.CALIBRATION_PRESET:
        st.caption(
            _(
                "Calibration check: Capgemini published about USD 125M a year from switching, "
                "USD 145-200M in all and USD 20-70M from better CX for this mid-size brand."
            )
        )
    left, right = st.columns(2)
    with left:
        current.card("revenue_waterfall")
    with right:
        current.card("revenue_tornado")
    with st.expander(_("Inputs and their sources"), icon=":material/list_alt:"):
        cards.table(report.assumptions(result))
    _scenarios(result)


model_panel()
page.exports(view)
