"""Sign-in and roles: the policy, escaped log lines, and the app in open and OIDC modes (identity
faked in AppTest)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import open_app
from support.hostile_values import HOSTILE

from cx.core import access
from cx.ingest.model import IngestError, IngestResult

ROOT = Path(__file__).resolve().parents[2]
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret",
    "client_id": "cxbench",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://login.example.com/.well-known/openid-configuration",
}
ROLES = {"analysts": ["ana@corp.example", "@research.example"], "viewers": ["@corp.example"]}


def test_policy_matches_addresses_and_domains() -> None:
    policy = access.policy_from(ROLES, {})
    assert access.role_for("ANA@corp.example", policy, verified=True) == "analyst"
    assert access.role_for("bo@research.example", policy, verified=True) == "analyst"
    assert access.role_for("vic@corp.example", policy, verified=True) == "viewer"
    assert access.role_for("eve@corp.example.evil.com", policy, verified=True) is None
    assert access.role_for("eve@evil.com", policy, verified=True) is None
    assert access.role_for("x@a@corp.example", policy, verified=True) is None
    assert access.role_for(None, policy, verified=True) is None
    open_viewers = access.policy_from(None, {"CX_ANALYSTS": "ana@corp.example"})
    for claim in (False, None, "false", "False", 0, "yes"):
        assert access.role_for("ana@corp.example", policy, verified=claim) is None
        assert access.role_for("anyone@else.com", open_viewers, verified=claim) is None
    assert access.role_for("ana@corp.example", policy, verified="true") == "analyst"
    assert access.role_for("anyone@else.com", open_viewers, verified=True) == "viewer"
    assert access.role_for("ana@corp.example", open_viewers, verified=True) == "analyst"


def test_log_lines_are_one_json_object_and_carry_no_address() -> None:
    line = access.log_line(
        "upload", dataset='x\nFAKE {"event": "admin"}', user=access.user_ref("ana@corp.example")
    )
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["event"] == "upload" and parsed["dataset"].startswith("x\nFAKE")
    assert "ana@" not in line and parsed["user"].startswith("u-")


pytestmark = pytest.mark.usefixtures("app_env")


def _app(user: dict[str, object] | None, script: str = "app.py") -> AppTest:
    if user is not None:
        user = {"email_verified": True, **user} if user.get("is_logged_in") else user
    return open_app(timeout=60, script=script, secrets={"auth": AUTH, "cxbench": ROLES}, user=user)


def test_signed_out_users_see_only_the_sign_in_screen() -> None:
    at = _app({"is_logged_in": False})
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert len(at.metric) == 0 and len(at.selectbox) == 0  # no data, no filters


def test_users_off_the_list_are_refused() -> None:
    at = _app({"is_logged_in": True, "email": "eve@evil.com", "name": "Eve"})
    assert not at.exception
    assert any("not on this dashboard's access list" in e.value for e in at.error)
    assert len(at.metric) == 0


def test_viewer_browses_without_upload_and_cannot_force_it() -> None:
    at = _app({"is_logged_in": True, "email": "vic@corp.example", "name": "Vic"})
    assert not at.exception
    assert at.metric[0].label.startswith("NPS, ")
    assert any("Vic · viewer" in c.value for c in at.caption)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/upload.py")
    # forcing the page script itself: the same gate runs and the upload controls never appear
    forced = _app({"is_logged_in": True, "email": "vic@corp.example"}, "pages/upload.py")
    assert not forced.exception, [e.value for e in forced.exception]
    assert len(forced.file_uploader) == 0
    assert any("for analysts" in w.value for w in forced.warning)


def test_the_write_path_refuses_viewers_even_if_called(monkeypatch: pytest.MonkeyPatch) -> None:
    from components import auth, uploads

    monkeypatch.setattr(auth, "access", lambda: auth.Access("oidc", "viewer", "v@x.example"))
    result = IngestResult(pl.DataFrame(), pl.DataFrame())
    with pytest.raises(IngestError, match="may not upload"):
        uploads.store_upload(result, "x", "x", b"", "x.csv", False)
    with pytest.raises(IngestError, match="may not upload"):
        uploads.delete_dataset("x")


def test_an_unverified_address_gets_no_role_in_the_app() -> None:
    at = open_app(
        timeout=60,
        secrets={"auth": AUTH, "cxbench": ROLES},
        user={"is_logged_in": True, "email": "ana@corp.example", "email_verified": False},
    )
    assert not at.exception
    assert any("not verified" in e.value for e in at.error)
    assert len(at.metric) == 0 and len(at.file_uploader) == 0


def test_analyst_gets_the_upload_page() -> None:
    at = _app({"is_logged_in": True, "email": "ana@corp.example", "name": "Ana"})
    assert not at.exception
    at.switch_page("pages/upload.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.file_uploader) == 1


def test_open_mode_says_so_in_the_sidebar() -> None:
    at = open_app(timeout=60)
    assert not at.exception
    assert any("Open access" in c.value for c in at.sidebar.caption)


# ---- identity: one normal form, look-alikes refused -------------------------------------------

KATE = {"analysts": ["kate@example.com"], "viewers": ["@example.com"]}


@pytest.mark.parametrize(
    "look_alike",
    [
        "\u212aate@example.com",  # KELVIN SIGN: str.lower() makes it a "k"
        "\uff4bate@example.com",  # FULLWIDTH LATIN SMALL LETTER K
        "k\u0430te@example.com",  # a Cyrillic "а" among Latin letters
        "kate@ex\u0430mple.com",  # ... in the domain
        "ka\u200bte@example.com",  # an invisible ZERO WIDTH SPACE
        "kate@example.com\u00a0x",  # a no-break space inside
        "\ufb01@example.com",  # the ligature "ﬁ"
    ],
)
def test_a_look_alike_address_gets_no_role_and_is_never_another_user(look_alike: str) -> None:
    policy = access.policy_from(KATE, {})
    assert access.normal_address(look_alike) is None
    assert access.role_for(look_alike, policy, verified=True) is None
    assert not access.matches(look_alike, ["*"])
    assert access.user_ref(look_alike) != access.user_ref("kate@example.com")


def test_spellings_of_one_address_are_one_user() -> None:
    policy = access.policy_from(KATE | {"viewers": ["@example.com", "émile@other.example"]}, {})
    assert access.role_for(" KATE@Example.COM ", policy, verified=True) == "analyst"
    # é precomposed or as e + combining accent: one address (NFC), in any case
    assert access.role_for("E\u0301MILE@other.example", policy, verified=True) == "viewer"
    assert access.user_ref("E\u0301MILE@other.example") == access.user_ref("émile@other.example")
    assert access.user_ref("Kate@example.com") == access.user_ref("kate@example.com")


def test_a_look_alike_on_the_allow_list_matches_nobody() -> None:
    policy = access.policy_from({"analysts": ["\u212aate@example.com", "@\uff45xample.com"]}, {})
    assert policy.analysts == ()
    assert access.role_for("kate@example.com", policy, verified=True) == "viewer"


def test_the_kelvin_sign_is_refused_in_the_app() -> None:
    at = _app({"is_logged_in": True, "email": "\u212aate@corp.example", "name": "Kate"})
    assert not at.exception
    assert any("not on this dashboard's access list" in e.value for e in at.error)
    assert len(at.metric) == 0


# ---- saved scenarios: analysts save, everyone with access opens a shared link -----------------


def test_a_viewer_cannot_save_a_scenario_and_is_told_to_share_the_link() -> None:
    at = _app({"is_logged_in": True, "email": "vic@corp.example", "name": "Vic"})
    at.switch_page("pages/revenue.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [b for b in at.button if b.key in ("rev_save", "rev_delete")]
    assert not [t for t in at.text_input if t.key == "rev_scenario_name"]
    assert any(c.value.startswith("Saving scenarios is for analysts") for c in at.caption)


def test_an_analyst_saves_a_scenario_a_viewer_opens_its_link() -> None:
    ana = _app({"is_logged_in": True, "email": "ana@corp.example", "name": "Ana"})
    ana.switch_page("pages/revenue.py")
    ana.run()
    ana.text_input(key="rev_scenario_name").set_value("Ana's case").run()
    ana.button(key="rev_save").click().run()
    assert not ana.exception, [e.value for e in ana.exception]
    scenario_id = ana.selectbox(key="rev_pick").value
    vic = open_app(
        "pages/revenue.py",
        secrets={"auth": AUTH, "cxbench": ROLES},
        user={"is_logged_in": True, "email": "vic@corp.example", "email_verified": True},
        scenario=scenario_id,
    )
    assert not vic.exception, [e.value for e in vic.exception]
    # opened: the scenario's values are the URL's (which holds the whole state from then on)
    assert "scenario" not in vic.query_params and vic.query_params.get("preset")
    assert not [t for t in vic.toast if "does not exist" in t.value]


def test_the_scenario_write_path_refuses_anyone_but_an_analyst(app_db: Path) -> None:
    from cx.data.database import Database
    from cx.models import scenarios

    with Database(str(app_db), read_only=False) as database:
        for role in ("viewer", None):
            with pytest.raises(scenarios.ScenarioError, match="only analysts"):
                scenarios.save(database, "u-x", "Mine", {"preset": "x"}, role=role)  # type: ignore[arg-type]
            with pytest.raises(scenarios.ScenarioError, match="only analysts"):
                scenarios.delete(database, "u-x", "any", role=role)  # type: ignore[arg-type]
        saved = scenarios.save(database, "u-x", "Mine", {"preset": "x"}, role="analyst")
        assert scenarios.params_of(database.run, saved) == {"preset": "x"}
        scenarios.delete(database, "u-x", saved, role="analyst")
        assert scenarios.params_of(database.run, saved) is None


@pytest.mark.parametrize("value", HOSTILE)
def test_log_lines_escape_every_value(value: str) -> None:
    line = access.log_line("upload", dataset=value, file=value)
    assert "\n" not in line and "\r" not in line and "\x00" not in line
    assert json.loads(line)["dataset"] == value[:200]
