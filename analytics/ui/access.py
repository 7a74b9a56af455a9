"""Sign-in for the app: who the user is, before any page reads a row.

`identify(db_path)` runs first on every script run and returns the Identity, or shows the sign-in
page and stops the run:

1. a sign-in through the company's identity provider (`st.login`; Streamlit sets `st.user` from a
   signed cookie) → `identity_from_oidc`, re-checked quietly on every run;
2. a local account signed in earlier in this session → re-read from the accounts table on every
   run (a disabled account or a changed role applies at the next click);
3. nothing configured at all (no account, no `[auth]` in secrets.toml) → the local administrator,
   but only for a browser on this computer; from anywhere else: no data, and how to set up access;
4. otherwise the sign-in page: the local-account form when local accounts exist, a button per
   identity provider when `[auth]` is configured.

What a user may see is then their Scope (analytics.auth), which the pages and the query layer use.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import streamlit as st

from analytics.auth import (
    LOCAL_ADMINISTRATOR,
    Identity,
    OidcSettings,
    authenticate_local,
    current_identity,
    identity_from_oidc,
    local_accounts_exist,
    role_label,
)
from analytics.auth import audit as audit_log
from analytics.errors import AccessError, AnalyticsError, DatabaseBusyError, UsageError
from analytics.formatting import escape_markdown
from analytics.ui import data
from analytics.ui.i18n import lang, t
from analytics.wording import in_language

LOG = logging.getLogger(__name__)
IDENTITY = "_identity"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
PROXY_HEADERS = frozenset({"forwarded", "via", "x-real-ip", "x-client-ip", "true-client-ip", "client-ip"})
PROXY_HEADER_PARTS = ("forwarded", "x-original-", "client-ip", "real-ip", "connecting-ip", "originating-ip", "remote-")
"""Any header a proxy or load balancer adds to say whom it forwards (X-Forwarded-For, X-Client-IP,
True-Client-IP, X-Original-Forwarded-For, CF-Connecting-IP, X-Cluster-Client-IP, Via …): a request
carrying one is not from this computer, whatever its TCP peer."""


# ---------------------------------------------------------------------------------------------------
# Where the request comes from; what is configured


def _headers() -> dict[str, str]:
    try:
        return {str(k).lower(): str(v) for k, v in st.context.headers.items()}
    except Exception:  # noqa: BLE001 — no request (AppTest, bare run)
        return {}


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8501
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def proxied(headers: dict[str, str]) -> bool:
    """True when any header says the request was forwarded (see PROXY_HEADERS)."""
    return any(name in PROXY_HEADERS or any(part in name for part in PROXY_HEADER_PARTS) for name in headers)


def cross_origin(headers: dict[str, str]) -> bool:
    """True when the browser says the connection was opened by a page of another site (its `Origin`,
    scheme aside, is not the `Host` it asked for). Streamlit accepts any localhost origin, so a page
    served by another program on this computer (or a `null` origin: a sandboxed frame, a file) could
    otherwise drive the app."""
    headers = {k.lower(): v for k, v in headers.items()}
    origin = headers.get("origin")
    if origin is None:
        return False
    hosts = {headers.get("host", ""), headers.get("x-forwarded-host", "").split(",")[0]}  # a proxy may rename Host
    return urlparse(origin.strip()).netloc.lower() not in {host.strip().lower() for host in hosts if host.strip()}


def client_address() -> str:
    """Where the browser connects from, for slowing down sign-in guesses per address."""
    address: object = None
    with contextlib.suppress(Exception):  # no request (AppTest, bare run)
        address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"


def is_local_request() -> bool:
    """True only for a browser on this computer talking to the app directly (`request_is_local`)."""
    return request_is_local(_headers(), st.context.ip_address)


def request_is_local(headers: dict[str, str], address: str | None) -> bool:
    """Every condition must hold: the TCP peer is a loopback address (`st.context.ip_address` is
    None for loopback), the browser asked for a loopback host name (a page elsewhere cannot reach us
    by DNS rebinding), and no proxy header is present (a reverse proxy on this computer would make
    remote users look local). A script run with no web request at all (AppTest) counts as local.
    """
    headers = {k.lower(): v for k, v in headers.items()}
    if not headers:
        return True
    if proxied(headers) or cross_origin(headers):
        return False
    if _host_name(headers.get("host", "")) not in LOOPBACK_NAMES:
        return False
    if address is None:
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _secrets_section(name: str) -> dict[str, Any]:
    try:
        if name in st.secrets:
            return dict(st.secrets[name])
    except Exception:  # noqa: BLE001 — no secrets file, or one that does not parse
        pass
    return {}


def oidc_providers() -> list[str | None]:
    """The identity providers of `[auth]` in secrets.toml: None is the unnamed default provider."""
    section = _secrets_section("auth")
    if not section:
        return []
    named = [key for key, value in section.items() if isinstance(value, dict)]
    default = [None] if "client_id" in section or "server_metadata_url" in section else []
    return default + named


def oidc_settings() -> OidcSettings:
    """Claim names and role words from `[access]` in secrets.toml."""
    try:
        return OidcSettings.from_mapping(_secrets_section("access"))
    except UsageError as exc:
        st.warning(escape_markdown(exc), icon=":material/warning:")
        return OidcSettings()


def _user_info() -> dict[str, Any]:
    try:
        return dict(st.user.to_dict())
    except Exception:  # noqa: BLE001 — no script context
        return {}


# ---------------------------------------------------------------------------------------------------
# The gate


GATE = "_gate"  # why there is no identity this run: "sign_in", "setup", "busy" or a refusal message


def identify(db_path: Path) -> Identity | None:
    """The signed-in user of this session, or None (then `gate_page` says why and what to do).

    Renders nothing: the frame routes every URL to `gate_page` while this is None, so a link to a
    page opens the sign-in first and the page after it.
    """
    try:
        identity = _identify(db_path)
    except DatabaseBusyError:
        st.session_state[GATE] = "busy"
        return None
    if identity is None:
        st.session_state.pop(IDENTITY, None)
        return None
    st.session_state[IDENTITY] = identity
    return identity


def _identify(db_path: Path) -> Identity | None:
    user = _user_info()
    previous: Identity | None = st.session_state.get(IDENTITY)
    st.session_state[GATE] = "sign_in"
    if cross_origin(_headers()):
        st.session_state[GATE] = t("cross_origin")
        return None
    if user.get("is_logged_in") is True:
        subject = str(user.get("sub"))
        first = (previous is None or previous.source != "oidc") and st.session_state.get("_refused_sub") != subject
        try:
            return identity_from_oidc(user, db_path, oidc_settings(), record=first)
        except AccessError as exc:
            st.session_state["_refused_sub"] = subject  # audited once per session, not on every click
            st.session_state[GATE] = in_language(str(exc), lang())
            return None
    if previous is not None and previous != LOCAL_ADMINISTRATOR and previous.source == "local":
        fresh = current_identity(db_path, previous)
        if fresh is not None:
            return fresh
        st.session_state["_signed_out_reason"] = t("session_ended")
    if not oidc_providers() and not data.database_state(db_path).accounts_configured:
        if is_local_request():
            return LOCAL_ADMINISTRATOR
        st.session_state[GATE] = "setup"
    return None


def gate_page(db_path: Path) -> None:
    """What a visitor without an identity sees: the sign-in page, how to set up access, a refusal
    from after the identity provider, or a busy database."""
    reason = st.session_state.get(GATE, "sign_in")
    if reason == "sign_in":
        sign_in_page(db_path)
    elif reason == "setup":
        setup_page()
    elif reason == "busy":
        st.title(t("app_title"), anchor=False)
        st.error(t("db_busy"), icon=":material/hourglass_top:")
    else:
        st.title(t("app_title"), anchor=False)
        st.error(escape_markdown(reason), icon=":material/block:")
        if st.button(t("sign_out"), icon=":material/logout:", key="oidc_refused_logout"):
            st.logout()


def refused_page(db_path: Path, identity: Identity, key: str) -> None:
    """A page the role may not open, reached by its URL: refused, and audited. It is not in the menu."""
    record(db_path, identity, "page_refused", target=key, outcome="refused")
    st.title(t("app_title"), anchor=False)
    st.error(t("page_refused"), icon=":material/block:")


def setup_page() -> None:
    """Reached from another computer with no access configured: no data, and how to set it up."""
    st.title(t("app_title"), anchor=False)
    st.warning(t("setup_needed"), icon=":material/lock:")
    st.markdown(t("setup_steps"))


def sign_in_page(db_path: Path) -> None:
    """The local-account form (when local accounts exist) and a button per identity provider."""
    st.title(t("app_title"), anchor=False)
    st.subheader(t("sign_in"), anchor=False)
    reason = st.session_state.pop("_signed_out_reason", None)
    if reason:
        st.info(escape_markdown(reason), icon=":material/info:")
    providers = oidc_providers()
    for provider in providers:
        label = t("sign_in_with", provider=escape_markdown(provider)) if provider else t("sign_in_company")
        if st.button(label, icon=":material/badge:", type="primary", key=f"login_{provider or 'default'}"):
            st.login(provider) if provider else st.login()
    try:
        has_local = local_accounts_exist(db_path)
    except DatabaseBusyError:
        st.error(t("db_busy"), icon=":material/hourglass_top:")
        return
    if not has_local:
        if not providers:
            st.info(t("no_accounts"), icon=":material/info:")
        return
    with st.form("sign_in_form", clear_on_submit=True, border=True):
        name = st.text_input(t("account_name"), key="sign_in_name", autocomplete="username")
        password = st.text_input(
            t("password"), type="password", key="sign_in_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("sign_in"), icon=":material/login:", type="primary")
    if submitted:
        try:
            identity = authenticate_local(db_path, name, password, client=client_address())
        except AccessError as exc:
            st.error(escape_markdown(in_language(str(exc), lang())), icon=":material/block:")
            return
        except (DatabaseBusyError, AnalyticsError):
            st.error(t("db_busy"), icon=":material/hourglass_top:")
            return
        st.session_state[IDENTITY] = identity
        st.rerun()


def user_box(db_path: Path, identity: Identity) -> None:
    """In the sidebar: who is signed in, as what, and the way out."""
    with st.sidebar:
        st.divider()
        departments = escape_markdown("、".join(identity.departments))
        st.caption(
            t(
                "signed_in_as",
                name=escape_markdown(person_name(identity.display_name)),
                role=role_label(identity.role, lang()),
            )
            + (f"（{departments}）" if departments else "")
        )
        if identity == LOCAL_ADMINISTRATOR:
            st.caption(t("local_admin_note"))
            return
        if st.button(t("sign_out"), icon=":material/logout:", key="sign_out"):
            record(db_path, identity, "sign_out")
            st.session_state.pop(IDENTITY, None)
            if identity.source == "oidc":
                # The browser leaves for the provider's sign-out. st.stop(), not st.rerun(): a new
                # run clears the outgoing queue, which can drop the redirect before it is sent.
                st.logout()
                st.stop()
            st.rerun()


def person_name(name: object) -> str:
    """A stored person's name as shown: the built-in local administrator and the sample data's loader
    are named in the reader's language (they are the app's words, not a person's)."""
    if name in (LOCAL_ADMINISTRATOR.name, LOCAL_ADMINISTRATOR.display_name):
        return t("local_admin_name")
    if name == SAMPLE_LOADER:
        return t("loaded_by_sample")
    return "" if name is None else str(name)


SAMPLE_LOADER = "示例数据"
"""`loaded_by` of the sample company's loads (analytics/bootstrap.py)."""


def record(db_path: Path, identity: Identity, action: str, **fields: Any) -> None:
    """One audit row; a busy database must not break the page (logged, and shown as a toast when
    there is a page to show it on: a deferred download runs outside the script)."""
    try:
        audit_log.log(db_path, action, identity, **fields)
    except AnalyticsError:
        LOG.warning("audit of %s by %s not written: database busy", action, identity.name)
        with contextlib.suppress(Exception):  # no script run to show it in (a deferred download)
            st.toast(t("audit_busy"), icon=":material/warning:")
