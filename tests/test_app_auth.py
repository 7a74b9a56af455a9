"""Sign-in, roles and scopes in the app under AppTest (OIDC through AppTest's `user`).

The company is tests/weekly_fixture.py's, with 密级 on its documents and one account per role
(tests/auth_fixture.py). Numbers are the fixture's hand-computed ones: 决议执行率 is 60.0% for the
company and 0/2 = 0.0% for 财务部; 逾期未办 is 2 for the company (both 财务部's).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from analytics.auth import accounts, audit
from analytics.ui import access
from tests.app_clicks import open_filters, open_page_rows, open_tab
from tests.auth_fixture import PASSWORD, SECRET_TITLE, build_secret_company, fast_hashing  # noqa: F401
from tests.weekly_fixture import build_weekly_fixture

APP = str(Path(__file__).resolve().parent.parent / "app.py")
pytestmark = pytest.mark.usefixtures("fast_hashing", "no_delay")


@pytest.fixture(autouse=True)
def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def no_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Failures answered at once (the delays themselves are tested in test_auth_accounts.py)."""
    monkeypatch.setattr(accounts, "failure_delay", lambda failures: 0.0)


@pytest.fixture
def company(db_path: Path) -> Path:
    return build_secret_company(db_path)


def open_app(user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if user is not None:
        at.user = user
    return at.run()


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    return at.button[-1].click().run()


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    """Every text the page shows, tables included."""
    parts = [e.value for e in (*at.markdown, *at.caption, *at.error, *at.info, *at.warning, *at.success)]
    parts += [frame.value.to_string() for frame in at.dataframe]
    return "\n".join(str(p) for p in parts)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_with_accounts_the_app_shows_the_sign_in_form_and_no_data(company: Path) -> None:
    at = open_app()
    no_exception(at)
    assert at.text_input(key="sign_in_name") is not None
    assert not at.metric  # no number before sign-in
    assert "决议" not in texts(at)


def test_a_wrong_password_is_refused_and_audited(company: Path) -> None:
    at = sign_in(open_app(), "caiwu", "not-the-password")
    no_exception(at)
    assert any("账号或密码不正确" in e.value for e in at.error)
    assert not at.metric
    refused = audit.entries(company, action="sign_in")
    assert list(refused["outcome"]) == ["refused"] and list(refused["actor"]) == ["caiwu"]


def test_five_failures_block_that_browser_even_for_the_right_password(company: Path) -> None:
    at = open_app()
    for _ in range(5):
        at = sign_in(at, "caiwu", "not-the-password")
    assert any("请 1 分钟后再试" in e.value for e in at.error), [e.value for e in at.error]
    at = sign_in(at, "caiwu", PASSWORD)
    assert any("请 1 分钟后再试" in e.value for e in at.error)
    assert not at.metric


def test_a_department_head_sees_their_departments_numbers_not_the_companys(company: Path) -> None:
    at = sign_in(open_app(), "caiwu", PASSWORD)
    no_exception(at)
    shown = tiles(at)
    assert shown["决议执行率"] == "0.0%"  # 财务部 0/2, not the company's 60.0%
    assert shown["逾期未办"] == "2"
    assert shown["办公用品浪费率"] == "16.7%"  # 50/300, not 7.1%
    at = open_filters(at)
    assert "财务部" in texts(at) and "研发部" not in at.sidebar.multiselect[0].options
    # a pick outside the scope through the URL is ignored
    assert at.sidebar.multiselect[0].options == ["财务部"]


def test_masked_titles_stay_masked_on_the_documents_page(company: Path) -> None:
    at = open_page_rows(sign_in(open_app(), "caiwu", PASSWORD), "documents")
    no_exception(at)
    shown = texts(at)
    assert "【机密文件】" in shown and SECRET_TITLE not in shown
    gm = open_page_rows(sign_in(open_app(), "zongjingli", PASSWORD), "documents")
    assert SECRET_TITLE in texts(gm)


def open_url_path(at: AppTest, url_path: str) -> AppTest:
    """What a browser does for http://host/<url_path>: ask for the page whose URL path that is
    (st.Page's script hash is the hash of its url_path)."""
    at._page_hash = calc_hash(url_path)
    return at.run()


@pytest.mark.parametrize("page", ["schedule", "upload", "quality", "audit"])
def test_a_department_head_cannot_open_a_refused_page(company: Path, page: str) -> None:
    at = sign_in(open_app(), "caiwu", PASSWORD)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"app_pages/{page}.py")  # the page file is not registered for this role
    at = open_url_path(at, page)
    no_exception(at)
    assert any("无权打开" in e.value for e in at.error)
    assert not at.metric and not at.dataframe
    refused = audit.entries(company, action="page_refused")
    assert list(refused["target"]) == [page]


def test_the_gm_reads_the_audit_log_and_cannot_change_the_thresholds(company: Path) -> None:
    at = sign_in(open_app(), "zongjingli", PASSWORD)
    at = at.switch_page("app_pages/audit.py").run()
    no_exception(at)
    log = at.dataframe[0].value
    assert "zongjingli" in set(log["actor"]) and "test" in set(log["actor"])
    at = at.switch_page("app_pages/definitions.py").run()
    assert any("只能由总经理助理修改" in c.value for c in at.caption)
    assert not at.number_input


def test_the_assistants_settings_change_is_audited(company: Path) -> None:
    at = sign_in(open_app(), "zhuli", PASSWORD)
    at = at.switch_page("app_pages/definitions.py").run()
    at.number_input(key="setting_idle_days_0").set_value(45)
    at = at.button[0].click().run()  # the form's save button
    no_exception(at)
    saved = audit.entries(company, action="settings")
    assert list(saved["actor"]) == ["zhuli"] and '"idle_days": 45' in saved["detail"].iloc[0]


def test_a_viewer_sees_company_numbers_and_no_rows(company: Path) -> None:
    at = sign_in(open_app(), "guest", PASSWORD)
    no_exception(at)
    assert tiles(at)["决议执行率"] == "60.0%"
    assert [tab.label for tab in at.tabs] == [":material/summarize: 本周小结"]  # no attention tab
    assert not open_tab(at, "tab_overview", "attention").dataframe  # not even when asked for by name
    assert not open_filters(at).sidebar.multiselect  # no department filter


def test_a_disabled_account_is_signed_out_at_its_next_click(company: Path) -> None:
    at = sign_in(open_app(), "caiwu", PASSWORD)
    assert at.metric
    accounts.set_disabled(company, "caiwu")
    at = at.run()
    assert not at.metric
    assert any("停用或修改" in i.value for i in at.info)


def test_signing_out_returns_to_the_form_and_is_audited(company: Path) -> None:
    at = sign_in(open_app(), "caiwu", PASSWORD)
    at = at.sidebar.button(key="sign_out").click().run()
    assert not at.metric and at.text_input(key="sign_in_name") is not None
    assert "sign_out" in set(audit.entries(company)["action"])


# --- the company's identity provider (st.login), through AppTest's user --------------------------


def test_an_identity_provider_user_mapped_to_gm_sees_the_company(company: Path) -> None:
    accounts.add_account(company, "boss@corp.example", "gm", source="oidc")
    at = open_app(
        {"is_logged_in": True, "sub": "idp-42", "email": "boss@corp.example", "email_verified": True, "name": "张总"}
    )
    no_exception(at)
    assert tiles(at)["决议执行率"] == "60.0%"
    assert any("张总" in c.value and "总经理" in c.value for c in at.sidebar.caption)
    signed_in = audit.entries(company, action="sign_in")
    assert list(zip(signed_in["actor"], signed_in["source"], signed_in["outcome"], strict=True)) == [
        ("boss@corp.example", "oidc", "ok")
    ]
    at.run()  # later runs re-check quietly: still one sign-in row
    assert len(audit.entries(company, action="sign_in")) == 1


def test_an_identity_provider_user_with_department_claims_sees_that_department(company: Path) -> None:
    claims = {"is_logged_in": True, "sub": "idp-7", "workbench_role": "dept_head", "workbench_departments": ["财务部"]}
    at = open_app(claims)
    no_exception(at)
    assert tiles(at)["决议执行率"] == "0.0%"
    at = at.switch_page("app_pages/documents.py").run()
    assert SECRET_TITLE not in texts(at)


def test_an_identity_provider_user_signs_out_through_the_provider(company: Path) -> None:
    """The run stops after st.logout() (a rerun would clear the queued redirect to the provider)."""
    accounts.add_account(company, "boss@corp.example", "gm", source="oidc")
    at = open_app(
        {"is_logged_in": True, "sub": "idp-42", "email": "boss@corp.example", "email_verified": True, "name": "张总"}
    )
    at = at.sidebar.button(key="sign_out").click().run()
    no_exception(at)
    assert not at.title and not at.metric  # no new run drew the sign-in page: the browser is leaving
    signed_out = audit.entries(company, action="sign_out")
    assert list(zip(signed_out["actor"], signed_out["source"], strict=True)) == [("boss@corp.example", "oidc")]


def test_an_identity_provider_user_without_a_role_is_refused(company: Path) -> None:
    at = open_app({"is_logged_in": True, "sub": "stranger", "email": "x@elsewhere.example", "email_verified": True})
    no_exception(at)
    assert not at.metric
    assert any("尚未分配角色" in e.value for e in at.error)
    at.run()
    refused = audit.entries(company, action="sign_in")
    assert list(zip(refused["actor"], refused["outcome"], strict=True)) == [("x@elsewhere.example", "refused")]


def test_with_nothing_configured_this_computer_runs_as_the_local_administrator(db_path: Path) -> None:
    build_weekly_fixture(db_path)
    at = open_app()
    no_exception(at)
    assert tiles(at)["决议执行率"] == "60.0%"
    assert any("本机管理员" in c.value for c in at.sidebar.caption)


@pytest.mark.parametrize(
    "headers, address, local",
    [
        ({}, None, True),  # no web request (AppTest)
        ({"Host": "127.0.0.1:8501"}, None, True),
        ({"Host": "localhost:8501"}, "127.0.0.1", True),
        ({"Host": "[::1]:8501"}, "::1", True),
        ({"Host": "localhost:8501"}, "192.168.1.20", False),  # another computer
        ({"Host": "workbench.corp.example"}, None, False),  # DNS rebinding or a proxy
        ({"Host": "127.0.0.1:8501", "X-Forwarded-For": "10.0.0.8"}, None, False),  # a proxy on this computer
        ({"Host": "127.0.0.1:8501", "Forwarded": "for=10.0.0.8"}, None, False),
        ({"Host": "127.0.0.1:8501"}, "not-an-address", False),
    ],
    ids=["apptest", "ip", "localhost", "ipv6", "lan", "foreign-host", "x-forwarded-for", "forwarded", "garbage"],
)
def test_only_a_direct_request_from_this_computer_counts_as_local(
    headers: dict, address: str | None, local: bool
) -> None:
    assert access.request_is_local(headers, address) is local


def test_one_users_cached_rows_are_never_served_to_another(company: Path) -> None:
    """Caches stay warm between the two sessions (no clearing): the scope is part of every key."""
    assistant = open_page_rows(sign_in(open_app(), "zhuli", PASSWORD), "documents")
    assert SECRET_TITLE in texts(assistant)
    head = sign_in(open_app(), "caiwu", PASSWORD)
    assert tiles(head)["决议执行率"] == "0.0%"
    head = open_page_rows(head, "documents")
    assert SECRET_TITLE not in texts(head)
    assert tiles(sign_in(open_app(), "zhuli", PASSWORD))["决议执行率"] == "60.0%"


def test_an_upload_by_the_assistant_is_audited_with_their_name(company: Path) -> None:
    from tests.test_app import GB18030_DECISIONS

    at = sign_in(open_app(), "zhuli", PASSWORD).switch_page("app_pages/upload.py").run()
    at.file_uploader[0].set_value(("决议督办.csv", GB18030_DECISIONS, "text/csv")).run()
    at.button(key="load").click().run()
    no_exception(at)
    uploads = audit.entries(company, action="upload")
    assert list(zip(uploads["actor"], uploads["target"], uploads["outcome"], strict=True)) == [
        ("zhuli", "决议督办.csv", "ok")
    ]
    assert '"loaded": 1' in uploads["detail"].iloc[0]
    from analytics.db import connect

    with connect(company) as con:
        assert con.execute("select loaded_by from load_log").fetchall() == [("zhuli",)]


def test_only_the_assistant_may_send_the_summary_to_a_group(company: Path) -> None:
    company.with_name("settings.toml").write_text('[push.office]\nkind = "wecom"\nurl = "http://127.0.0.1:9/x?key=k"\n')
    at = sign_in(open_app(), "zongjingli", PASSWORD)
    no_exception(at)
    assert not [b for b in at.button if b.key == "push_send"]  # the GM reads, does not send
    at = sign_in(open_app(), "zhuli", PASSWORD)
    assert [b for b in at.button if b.key == "push_send"]
