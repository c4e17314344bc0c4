"""Revenue at risk: a transparent what-if model of revenue lost to brand switching."""

from typing import Any

import polars as pl
import streamlit as st

from components import pagecharts, shell
from cx import revenue, views

ctx = shell.context()
shell.header(
    "Revenue at risk",
    "What switching customers cost a brand per year, component by component. Every input is "
    "named with its unit and source; move the sliders and the result follows.",
)
state = st.session_state
PRESETS = {
    "capgemini-midsize": "Capgemini 2024 mid-size brand (calibration)",
    "from-data": "From the survey data (a brand)",
}

if "rev_url_loaded" not in state:
    state["rev_url_loaded"] = True
    qp = st.query_params
    state["rev_preset"] = (
        qp.get("rev_preset") if qp.get("rev_preset") in PRESETS else "capgemini-midsize"
    )
    url_inputs: dict[str, float] = {}
    for spec in revenue.INPUTS:
        raw = qp.get(f"rev_{spec.name}")
        if raw is None:
            continue
        try:
            url_inputs.update(revenue.validate({spec.name: raw}))
        except revenue.RevenueInputError as exc:
            st.toast(f"Ignored a link value: {exc}", icon=":material/link_off:")
    state["rev_url_inputs"] = url_inputs
    if qp.get("rev_brand"):
        state["rev_brand"] = qp.get("rev_brand")
    state.setdefault("rev_scenarios", {})

top1, top2 = st.columns([2, 2])
with top1:
    preset = st.selectbox(
        "Preset", list(PRESETS), format_func=PRESETS.__getitem__, key="rev_preset"
    )

data = views.revenue_page(shell.run, ctx.sel, ctx.opts)
maintain = data["maintain_by_brand"]
brand_ref = data["brands"].filter(pl.col("vehicles_per_year").is_not_null())
base: dict[str, float] = dict(revenue.PRESETS["capgemini-midsize"]["inputs"])
sources: dict[str, str] = {}
brand = None
if preset == "from-data":
    candidates = [
        b
        for b in brand_ref["brand"].to_list()
        if not maintain.is_empty() and b in maintain["brand"].to_list()
    ]
    with top2:
        if not candidates:
            st.warning(
                "No brand with volume, price and after-sales answers in this selection.",
                icon=":material/warning:",
            )
        else:
            if state.get("rev_brand") not in candidates:
                state["rev_brand"] = candidates[0]
            brand = st.selectbox("Brand", candidates, key="rev_brand")
    if brand:
        b = brand_ref.filter(pl.col("brand") == brand).row(0, named=True)
        m = maintain.filter(pl.col("brand") == brand).row(0, named=True)
        base["vehicles_per_year"] = float(b["vehicles_per_year"])
        base["average_transaction_price_usd"] = float(b["average_transaction_price_usd"])
        sources["vehicles_per_year"] = sources["average_transaction_price_usd"] = (
            "brands table (fictional brand)"
        )
        if m["dissatisfied_pct"] is not None:
            base["dissatisfied_share"] = m["dissatisfied_pct"] / 100
            sources["dissatisfied_share"] = (
                f"survey: {brand} after-sales rated 1-2 of 5 (n = {m['n']:,.0f})"
            )
        if m["switch_if_dissatisfied_pct"] is not None:
            base["switch_probability"] = m["switch_if_dissatisfied_pct"] / 100
            sources["switch_probability"] = (
                f"survey: {brand} after-sales-dissatisfied intending to switch in 18 months"
            )
        if m["suppressed"]:
            st.warning(
                f"{brand} has fewer than {ctx.opts.min_n} after-sales answers here: inputs use the preset.",
                icon=":material/warning:",
            )
else:
    with top2:
        st.info(revenue.PRESETS["capgemini-midsize"]["description"], icon=":material/science:")

signature = (preset, brand, ctx.sel)
if state.get("rev_signature") != signature:
    state["rev_signature"] = signature
    start = {**base, **state.pop("rev_url_inputs", {})}
    for spec in revenue.INPUTS:
        state[f"rev_in_{spec.name}"] = float(start[spec.name])


def _input_widget(spec: revenue.InputSpec) -> float:
    """A slider for shares and years, a number input for money and volumes."""
    src = sources.get(spec.name, spec.source)
    help_text = (
        f"{spec.help} Unit: {spec.unit}. Range {spec.low:,.4g}-{spec.high:,.4g}. Source: {src}."
    )
    key = f"rev_in_{spec.name}"
    if spec.unit in ("share", "years", "people"):
        return float(
            st.slider(
                f"{spec.label} ({spec.unit})",
                float(spec.low),
                float(spec.high),
                step=float(spec.step),
                key=key,
                help=help_text,
            )
        )
    return float(
        st.number_input(
            f"{spec.label} ({spec.unit})",
            float(spec.low),
            float(spec.high),
            step=float(spec.step),
            key=key,
            help=help_text,
            format="%.0f",
        )
    )


@st.fragment
def model_panel() -> None:
    """Inputs and results; reruns alone when an input moves."""
    groups: dict[str, list[revenue.InputSpec]] = {}
    for spec in revenue.INPUTS:
        groups.setdefault(spec.group, []).append(spec)
    values: dict[str, float] = {}
    cols = st.columns(len(groups))
    for col, (group, specs) in zip(cols, groups.items(), strict=True):
        with col, st.container(border=True):
            st.markdown(f"**{group}**")
            for spec in specs:
                values[spec.name] = _input_widget(spec)
    inputs = revenue.validate(values)
    result = revenue.compute(inputs)
    _share_in_url(preset, brand, inputs, base)

    m = st.columns(5)
    m[0].metric(
        "Total revenue at risk",
        f"${result['total_at_risk_usd'] / 1e6:,.0f}M",
        border=True,
        help="per year",
    )
    m[1].metric(
        "Lost repurchases",
        f"${result['switching_loss_usd'] / 1e6:,.0f}M",
        border=True,
        help=f"{result['lost_vehicles']:,.0f} vehicles a year",
    )
    m[2].metric(
        "Lost after-sales + referrals",
        f"${(result['aftersales_loss_usd'] + result['referral_loss_usd']) / 1e6:,.0f}M",
        border=True,
    )
    m[3].metric("Profit at risk", f"${result['profit_at_risk_usd'] / 1e6:,.0f}M", border=True)
    m[4].metric(
        "Kept by better CX",
        f"${result['uplift_usd'] / 1e6:,.0f}M",
        border=True,
        help=f"{inputs['improvement_share']:.0%} of dissatisfied customers won back",
    )
    if preset == "capgemini-midsize":
        st.caption(
            "Calibration check: Capgemini published ≈ USD 125M from switching, USD 145-200M in all and "
            "USD 20-70M from CX uplift (cg_rev_loss_switch, cg_rev_loss_total_low/high, cg_uplift_low/high)."
        )
    label = PRESETS[preset] + (f": {brand}" if brand else "")
    charts = pagecharts.revenue_charts(result, revenue.sensitivity(inputs), inputs, label)
    left, right = st.columns(2)
    with left:
        shell.chart_card(charts[0])
    with right:
        if len(charts) > 1:
            shell.chart_card(charts[1])
    with st.expander("Inputs and their sources", icon=":material/list_alt:"):
        st.dataframe(
            pagecharts.input_sources_table(inputs, sources), hide_index=True, width="stretch"
        )
    _scenarios(inputs, result, label)


def _share_in_url(
    preset: str, brand: str | None, inputs: dict[str, float], base: dict[str, float]
) -> None:
    """Put the current scenario in the URL: preset, brand and inputs that differ from it."""
    st.query_params["rev_preset"] = preset
    if brand:
        st.query_params["rev_brand"] = brand
    elif "rev_brand" in st.query_params:
        del st.query_params["rev_brand"]
    for name, value in inputs.items():
        key = f"rev_{name}"
        if abs(value - base[name]) > 1e-12:
            st.query_params[key] = f"{value:.6g}"
        elif key in st.query_params:
            del st.query_params[key]


def _scenarios(inputs: dict[str, float], result: dict[str, float], label: str) -> None:
    """Save, compare side by side, and delete named scenarios (kept for the session)."""
    st.subheader("Scenarios", anchor=False)
    scenarios: dict[str, dict[str, Any]] = state["rev_scenarios"]
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    with c1:
        name = st.text_input(
            "Scenario name",
            key="rev_scenario_name",
            max_chars=60,
            placeholder="e.g. After-sales programme",
        )
    with c2:
        if st.button(
            "Save scenario", key="rev_save", icon=":material/bookmark_add:", width="stretch"
        ):
            clean = (name or "").strip()
            if not clean:
                st.toast("Give the scenario a name first.", icon=":material/edit:")
            else:
                scenarios[clean] = {"label": label, "inputs": dict(inputs), "result": dict(result)}
                st.toast(f"Saved scenario '{clean}'.", icon=":material/bookmark:")
    if not scenarios:
        st.caption(
            "Saved scenarios appear here side by side. The link in your address bar always holds the current one."
        )
        return
    rows = [*(f"{k} (USD M)" for k in revenue.OUTPUTS), *(s.name for s in revenue.INPUTS)]
    table: dict[str, list[Any]] = {"": rows}
    for sname, sc in scenarios.items():
        table[sname] = [round(sc["result"][k] / 1e6, 2) for k in revenue.OUTPUTS] + [
            sc["inputs"][s.name] for s in revenue.INPUTS
        ]
    frame = pl.DataFrame(table, strict=False)
    st.dataframe(frame, hide_index=True, width="stretch")
    d1, d2, d3 = st.columns([3, 1, 1], vertical_alignment="bottom")
    with d1:
        doomed = st.multiselect("Delete scenarios", list(scenarios), key="rev_delete_choice")
    with d2:
        if st.button(
            "Delete",
            key="rev_delete",
            icon=":material/delete:",
            disabled=not doomed,
            width="stretch",
        ):
            for d in doomed:
                scenarios.pop(d, None)
            st.rerun(scope="fragment")
    with d3:
        from cx.export import safe_csv

        st.download_button(
            "CSV",
            data=safe_csv(frame.with_columns(pl.all().cast(pl.String))),
            file_name="cxbench-scenarios.csv",
            mime="text/csv",
            key="rev_scenarios_csv",
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )


model_panel()

shell.page_exports("revenue")
