"""Sign-in and roles in a real browser: local accounts, and the company's identity provider end to end.

The app runs as `streamlit run app.py` on 127.0.0.1 (a free port), on tests/auth_fixture.py's
company. The OIDC test starts a real OpenID provider on this computer (`oidc-provider-mock`) and
signs in through it with Streamlit's own st.login: discovery, the authorization form, the code
exchange and the ID token are all real; nothing is patched.
"""

from __future__ import annotations

import io
import json
import shutil
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from analytics.auth import audit
from bench import browser
from tests.auth_fixture import PASSWORD, SECRET_TITLE, build_secret_company
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@contextmanager
def app_server(db_path: Path, workdir: Path, secrets: str | None = None) -> Iterator[str]:
    """The app on `db_path`, started in `workdir` (its .streamlit/ holds the project's config and,
    when given, a secrets.toml); yields the base URL."""
    port = browser.free_port()
    settings = workdir / ".streamlit"
    settings.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", settings / "config.toml")
    if secrets is not None:
        (settings / "secrets.toml").write_text(secrets.replace("{PORT}", str(port)), encoding="utf-8")
    insecure = {"AUTHLIB_INSECURE_TRANSPORT": "1"}  # the test identity provider speaks http
    with browser.streamlit_server(
        ROOT / "app.py", db_path, workdir / "streamlit.log", cwd=workdir, extra_env=insecure, port=port
    ) as server:
        yield server.base


@contextmanager
def browser_tab(**context: object) -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN", **context).new_page()
            tab.set_default_timeout(60_000)
            yield tab
        finally:
            browser.close()


def shot(tab: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"auth_{name}.png"), full_page=True)


def sign_in(tab: object, name: str, password: str) -> None:
    tab.get_by_label("账号").fill(name)
    tab.get_by_label("密码", exact=True).fill(password)
    tab.get_by_label("密码", exact=True).press("Enter")


def tile(tab: object, label: str) -> object:
    return tab.get_by_test_id("stMetric").filter(has_text=label).first.get_by_test_id("stMetricValue")


def settle(tab: object) -> None:
    """Wait until the script run is over (the running indicator is gone)."""
    tab.wait_for_timeout(500)
    tab.get_by_test_id("stStatusWidget").wait_for(state="detached", timeout=60_000)


@pytest.fixture
def company(tmp_path: Path) -> Path:
    return build_secret_company(tmp_path / "data" / "ops.duckdb")


def test_local_accounts_in_a_browser(company: Path, tmp_path: Path) -> None:
    """Wrong password refused; five failures block that browser; a department head sees 财务部's numbers, masked
    titles on the page and in the downloaded report, no refused page by URL; the assistant reads
    every one of those actions in the audit log."""
    with app_server(company, tmp_path / "run") as base, browser_tab(accept_downloads=True) as tab:
        tab.goto(base + "/")
        tab.get_by_label("账号").wait_for()
        assert tab.get_by_test_id("stMetric").count() == 0
        shot(tab, "1_sign_in")

        sign_in(tab, "caiwu", "not-the-password")
        tab.get_by_text("账号或密码不正确").wait_for()
        assert tab.get_by_test_id("stMetric").count() == 0

        for attempt in range(5):  # the guest account: 0.5 + 1 + 2 + 4 + 4 s of slowing down
            sign_in(tab, "guest", f"wrong-{attempt}-xxxx")
            settle(tab)
        tab.get_by_text("请 1 分钟后再试").first.wait_for()
        sign_in(tab, "guest", PASSWORD)  # that browser is blocked for a minute, even with the right password
        settle(tab)
        tab.get_by_text("请 1 分钟后再试").first.wait_for()
        assert tab.get_by_test_id("stMetric").count() == 0
        shot(tab, "2_locked")

        sign_in(tab, "caiwu", PASSWORD)
        tile(tab, "决议执行率").wait_for()
        settle(tab)
        assert tile(tab, "决议执行率").inner_text() == "0.0%"  # 财务部 0/2, not the company's 60.0%
        assert tile(tab, "办公用品浪费率").inner_text() == "16.7%"  # 50/300, not 7.1%
        menu = tab.get_by_test_id("stSidebarNav").inner_text()
        assert "公文" in menu and "总经理日程" not in menu and "数据导入" not in menu and "审计日志" not in menu
        shot(tab, "3_dept_head_overview")

        with tab.expect_download() as download:
            tab.get_by_role("button", name="下载周报（Excel）").click()
        workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        cells = "\n".join(
            str(c) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
        )
        assert "【机密文件】" in cells and SECRET_TITLE not in cells and "战略规划会" not in cells

        tab.get_by_test_id("stSidebarNav").get_by_text("公文").click()
        tab.get_by_role("tab", name="明细").click()  # the rows are built when their tab is opened
        tab.get_by_test_id("stDataFrame").first.wait_for()
        settle(tab)
        body = tab.get_by_test_id("stMain").inner_text()
        frames = " ".join(f.inner_text() for f in tab.get_by_test_id("stDataFrame").all())
        assert SECRET_TITLE not in body + frames
        shot(tab, "4_dept_head_documents")

        for refused in ("schedule", "audit", "upload"):
            tab.goto(f"{base}/{refused}")
            sign_in(tab, "caiwu", PASSWORD)  # a new page load is a new session
            tab.get_by_text("您的角色无权打开此页面").wait_for()
            assert tab.get_by_test_id("stMetric").count() == 0
            assert tab.get_by_test_id("stDataFrame").count() == 0
        shot(tab, "5_refused_by_url")

        tab.goto(f"{base}/audit")
        sign_in(tab, "zhuli", PASSWORD)
        tab.get_by_test_id("stDataFrame").first.wait_for()
        settle(tab)
        shot(tab, "6_audit_log")

    log = audit.entries(company)
    entries = set(zip(log["actor"], log["action"], log["outcome"], strict=True))
    assert {("caiwu", "sign_in", "refused"), ("caiwu", "sign_in", "ok"), ("guest", "sign_in", "refused")} <= entries
    assert {("caiwu", "export", "ok"), ("caiwu", "page_refused", "refused"), ("zhuli", "sign_in", "ok")} <= entries
    export = log[log["action"] == "export"].iloc[0]
    assert export["target"].endswith(".xlsx") and "财务部" in export["detail"]
    refused_pages = set(log.loc[log["action"] == "page_refused", "target"])
    assert refused_pages == {"schedule", "audit", "upload"}
    assert '"blocked_minutes": 1' in " ".join(log.loc[log["actor"] == "guest", "detail"].dropna())


def test_from_another_address_with_nothing_configured_no_data_is_shown(tmp_path: Path) -> None:
    """No account and no identity provider: a request that came through a proxy (it names another
    client) is not this computer, so it gets the set-up instructions and no numbers."""
    db = tmp_path / "data" / "ops.duckdb"
    build_secret_company(db, with_accounts=False)
    with app_server(db, tmp_path / "run") as base:
        with browser_tab(extra_http_headers={"X-Forwarded-For": "203.0.113.9"}) as tab:
            tab.goto(base + "/")
            tab.get_by_text("尚未设置访问权限").wait_for()
            assert tab.get_by_test_id("stMetric").count() == 0
            assert "python -m analytics users add" in tab.get_by_test_id("stMain").inner_text()
            shot(tab, "7_remote_not_configured")
        with browser_tab() as tab:  # the same app from this computer: the local administrator
            tab.goto(base + "/")
            tile(tab, "决议执行率").wait_for()
            assert tile(tab, "决议执行率").inner_text() == "60.0%"


SECRETS = """
[auth]
redirect_uri = "http://127.0.0.1:{PORT}/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-enough-length-0123456789"
client_id = "workbench"
client_secret = "workbench-secret"
server_metadata_url = "%s/.well-known/openid-configuration"

[access]
role_claim = "groups"
departments_claim = "departments"
role_values = { "部门负责人" = "dept_head" }
"""


def test_sign_in_through_a_real_identity_provider(company: Path, tmp_path: Path) -> None:
    """st.login against an OpenID provider on this computer; the role comes from the ID token's
    claims (`groups` → dept_head, `departments` → 财务部, as configured in [access])."""
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread() as provider:
        issuer = f"http://localhost:{provider.server_port}"
        claims = {
            "email": "li@corp.example",
            "email_verified": True,
            "name": "李经理",
            "groups": ["部门负责人"],
            "departments": ["财务部"],
        }
        request = urllib.request.Request(
            f"{issuer}/users/{quote('li-sub')}",
            data=json.dumps(claims).encode(),
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 204
        with app_server(company, tmp_path / "run", SECRETS % issuer) as base, browser_tab() as tab:
            tab.goto(base + "/")
            tab.get_by_role("button", name="通过公司统一身份认证登录").click()
            tab.wait_for_url(f"{issuer}/**")  # the provider's own authorization form
            tab.locator("input[name=sub]").fill("li-sub")
            tab.get_by_role("button", name="Authorize").click()
            tab.wait_for_url(f"{base}/**")
            tile(tab, "决议执行率").wait_for()
            settle(tab)
            assert tile(tab, "决议执行率").inner_text() == "0.0%"
            assert "李经理" in tab.get_by_test_id("stSidebar").inner_text()
            assert "总经理日程" not in tab.get_by_test_id("stSidebarNav").inner_text()
            shot(tab, "8_oidc_dept_head")
            settle(tab)
            tab.get_by_role("button", name="退出登录").click()
            tab.wait_for_url(f"{issuer}/**")  # Streamlit ends the provider's session too
            tab.get_by_role("button", name="End session").click()
            tab.goto(base + "/")
            tab.get_by_role("button", name="通过公司统一身份认证登录").wait_for()
            assert tab.get_by_test_id("stMetric").count() == 0
    signed_in = audit.entries(company, action="sign_in")
    assert ("li@corp.example", "oidc", "dept_head", "ok") in set(
        zip(signed_in["actor"], signed_in["source"], signed_in["role"], signed_in["outcome"], strict=True)
    )
    assert "sign_out" in set(audit.entries(company)["action"])
