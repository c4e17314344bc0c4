"""CX programme: the self-assessment, its stage beside the published studies, kept over time."""

import polars as pl
import streamlit as st

from components import auth, cards, data, page, session, state
from cx.core import display, i18n
from cx.core.i18n import N_, _
from cx.models import assessments, maturity, studies
from cx.reports import programme as report
from cx.reports.programme import ProgrammeResult

KEY = report.KEY
ORGANISATION = session.widget_key(KEY, "organisation")
SAVED = session.widget_key(KEY, "saved")
#: Said beside the saved assessments when nobody signs in (every session's owner is "open").
OPEN_MODE_NOTE = N_(
    "Without sign-in, saved assessments are shared by everyone using this server: anyone can "
    "open or delete them."
)

view = page.start(KEY)
result: ProgrammeResult = view.result
scores = result.evaluation.scores


def _statement_key(statement: maturity.Statement) -> str:
    return session.widget_key(KEY, statement.id)


def _answer_changed() -> None:
    """Any answer moved: the page now shows these answers (no longer a saved assessment)."""
    values = {s.id: session.value(_statement_key(s)) for s in maturity.STATEMENTS}
    state.replace_picks(KEY, {"answers": maturity.encode(values)})


def _clear() -> None:
    state.replace_picks(KEY, {})


def _open(assessment_id: str) -> None:
    state.replace_picks(KEY, {"assessment": assessment_id})


def _save(owner: str, answers: dict[str, int]) -> None:
    try:
        saved_id = assessments.save(
            data.database(), owner, session.value(ORGANISATION, ""), answers
        )
    except assessments.AssessmentError as exc:
        st.toast(
            display.plain(_("{sentence}.").format(sentence=str(exc).capitalize())),
            icon=":material/edit:",
        )
        return
    data.forget()
    _open(saved_id)
    session.set_value(SAVED, saved_id)
    st.toast(_("Assessment saved."), icon=":material/bookmark:")


def _delete(owner: str, assessment_id: str, shown: str | None, code: str) -> None:
    assessments.delete(data.database(), owner, assessment_id)
    data.forget()
    if shown == assessment_id:
        state.replace_picks(KEY, {"answers": code})  # the answers stay on the page


def _rule() -> None:
    """What the next stage needs, the stage rule written out, and the five stages."""
    if scores.stage is not None:
        st.caption(display.plain(report.gap_text(scores)))
    st.caption(display.plain(_("How the stage is set: {rule}").format(rule=_(maturity.RULE))))
    with st.expander(_("The five stages and what they look like"), icon=":material/stairs:"):
        cards.table(
            pl.DataFrame(
                {
                    _("Stage"): [s.label for s in maturity.STAGES],
                    _("Mean score from"): [float(s.floor) for s in maturity.STAGES],
                    _("What it looks like"): [_(s.looks_like) for s in maturity.STAGES],
                }
            )
        )


def _statement(statement: maturity.Statement) -> None:
    text, control = st.columns([3, 2], vertical_alignment="center")
    with text:
        st.markdown(display.plain(_(statement.text)))
    with control:
        key = _statement_key(statement)
        session.set_value(key, scores.answers.get(statement.id))
        st.segmented_control(
            display.plain(_(statement.short)),
            list(maturity.SCALE),
            key=key,
            format_func=str,
            on_change=_answer_changed,
            label_visibility="collapsed",
        )


def _form() -> None:
    """The 24 statements, one tab per competency (its score or how many are answered)."""
    st.subheader(_("Answer the statements"), anchor=False)
    legend = " · ".join(f"{k} {_(v).lower()}" for k, v in maturity.SCALE.items())
    st.caption(
        display.plain(
            _("For each statement, how true is it of your organisation today? {legend}.").format(
                legend=legend
            )
        )
    )
    labels = []
    for row in scores.competencies:
        done = i18n.number(row.score, 2) if row.score is not None else f"{row.answered}/{row.total}"
        labels.append(f"{_(row.competency.short)} · {done}")
    for tab, comp in zip(st.tabs(labels), maturity.COMPETENCIES, strict=True):
        with tab:
            st.caption(
                display.plain(
                    _("{competency}: {covers}.").format(
                        competency=_(comp.label), covers=_(comp.covers)
                    )
                )
            )
            for statement in maturity.statements_of(comp.key):
                _statement(statement)
    st.button(_("Clear answers"), key=session.widget_key(KEY, "clear"), icon=":material/restart_alt:", on_click=_clear)  # fmt: skip


def _next_practices() -> None:
    st.subheader(_("Three practices to adopt next"), anchor=False)
    chosen = result.evaluation.next
    if not chosen:
        st.caption(_("Nothing answered below 'mostly true' yet: no practice to suggest."))
        return
    for i, p in enumerate(chosen, start=1):
        comp = _(maturity.COMPETENCY_BY_KEY[p.statement.competency].label)
        if p.holds_stage:
            about = _("{competency} · your answer {answer} of 5 · holds the stage back")
        else:
            about = _("{competency} · your answer {answer} of 5")
        about = about.format(competency=comp, answer=p.answer)
        st.markdown(f"{i}. **{display.plain(_(p.statement.practice))}**  \n{display.plain(about)}")
        for found in studies.evidence(p.statement):
            st.caption(
                display.plain(
                    _("{evidence}. {citation}.").format(
                        evidence=found.text, citation=found.citation
                    )
                )
            )
    st.caption(display.plain(_("How they are chosen: {rule}").format(rule=_(maturity.NEXT_RULE))))


def _over_time(saved: list[assessments.Saved], organisation: str | None) -> None:
    """The programme's scores over its saved assessments beside the customers' NPS by wave,
    then the customers' journey: side by side, not cause and effect."""
    st.subheader(_("Your programme and your customers"), anchor=False)
    source = view.ctx.source
    st.caption(display.plain(f"{source.line(view.ctx.sel)} · {_(report.NOT_CAUSAL)}"))
    if source.kind == "demo":
        st.info(
            _(
                "The sidebar's dataset is the synthetic demo, not your organisation's customers. "
                "Upload your own survey (Upload data) and choose it in the sidebar to see them "
                "here."
            ),
            icon=":material/science:",
        )
    cards.kpi_tiles(report.customer_kpis(result))
    left, right = st.columns(2)
    with left:
        trend = (
            report.trend_chart(assessments.history(saved, organisation), organisation)
            if organisation
            else None
        )
        if trend is not None:
            view.charts[trend.key] = trend  # this session's own saved assessments
            view.card(trend.key)
        else:
            if organisation:
                wanted = _(
                    "Save two assessments of {organisation} or more to see the stage and the "
                    "competency scores over time here."
                ).format(organisation=organisation)
            else:
                wanted = _(
                    "Save two assessments or more to see the stage and the competency scores "
                    "over time here."
                )
            st.info(display.plain(wanted), icon=":material/timeline:")
    with right:
        if not view.card("programme_nps"):
            st.info(
                _("One wave in this selection: no NPS trend to show."), icon=":material/timeline:"
            )
    if not view.card("stage_top2"):
        st.info(_("This dataset has no journey-stage answers."), icon=":material/route:")


def _saved_list(owner: str, may_save: bool) -> tuple[list[assessments.Saved], str | None]:
    """The owner's assessments to open, share or delete; returns them and the organisation
    whose trend to show."""
    saved = assessments.listing(data.run, owner)
    current = result.saved.assessment_id if result.saved else None
    if not saved:
        st.caption(
            _("Saved assessments appear here; two or more of one organisation show a trend.")
        )
        return saved, result.saved.organisation if result.saved else None
    ids = [s.assessment_id for s in reversed(saved)]  # newest first
    names = {s.assessment_id: f"{s.organisation} · {s.when}" for s in saved}
    if current in names:
        session.set_value(SAVED, current)
    c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
    with c1:
        chosen = st.selectbox(_("Saved assessment"), ids, format_func=names.get, key=SAVED)
    with c2:
        st.button(_("Open"), key=session.widget_key(KEY, "open"), icon=":material/open_in_new:",
                  width="stretch", on_click=_open, args=(chosen,))  # fmt: skip
    with c3:
        st.button(_("Delete"), key=session.widget_key(KEY, "delete"), icon=":material/delete:",
                  width="stretch", disabled=not may_save, on_click=_delete,
                  args=(owner, chosen, current, result.code))  # fmt: skip
    st.caption(_("Link to share it (add it to this dashboard's address):"))
    st.code(f"{KEY}?assessment={chosen}", language=None)
    return saved, next(s.organisation for s in saved if s.assessment_id == chosen)


def _saved() -> tuple[list[assessments.Saved], str | None]:
    """Save, open, share and delete assessments (kept in the database per owner)."""
    st.subheader(_("Saved assessments"), anchor=False)
    shown = result.saved
    if shown is not None:
        st.caption(
            display.plain(
                _("Showing the assessment of {organisation} saved {when}.").format(
                    organisation=shown.organisation, when=shown.when
                )
            )
        )
    if auth.read_only():
        st.caption(
            _(
                "This server is read-only, so assessments cannot be saved here. The link in your "
                "address bar holds the current answers: share it to share them."
            )
        )
        return [shown] if shown else [], shown.organisation if shown else None
    may_save = auth.can_upload()
    owner = auth.user_key()
    if auth.access().mode == "open":
        st.caption(_(OPEN_MODE_NOTE))
    if may_save:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        with c1:
            st.text_input(_("Organisation"), key=ORGANISATION,
                          max_chars=assessments.MAX_ORGANISATION,
                          placeholder=_("e.g. Northwind Motors Europe"))  # fmt: skip
        with c2:
            st.button(_("Save assessment"), key=session.widget_key(KEY, "save"),
                      icon=":material/bookmark_add:", width="stretch", on_click=_save,
                      args=(owner, scores.answers), disabled=not scores.answers)  # fmt: skip
    else:
        st.caption(_("Viewers open assessments shared with them by link; analysts save them."))
    return _saved_list(owner, may_save)


for notice in result.notices:
    st.warning(
        display.plain(_("{sentence}.").format(sentence=notice[:1].upper() + notice[1:])),
        icon=":material/link_off:",
    )
cards.kpi_tiles(report.kpis(result))
_rule()
view.side_by_side("programme_competencies", "programme_stage")
_form()
st.subheader(_("Beside the published studies"), anchor=False)
st.caption(
    _(
        "Each study on its own terms: its own question, sample and year. They are never averaged "
        "together, nor with your answers."
    )
)
view.side_by_side("programme_ibm", "programme_capgemini")
_next_practices()
saved, organisation = _saved()
_over_time(saved, organisation)
page.exports(view)
