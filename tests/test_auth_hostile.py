"""Weak passwords, forwarded requests and pages of other sites: refused."""

from __future__ import annotations

import pytest

from analytics.auth.passwords import check_strength
from analytics.errors import UsageError
from analytics.ui import access


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("12345678", "至少 10 个字符"),
        ("1234567890123", "不能全是数字"),
        ("Password123", "最常见的密码"),
        ("woaini1314", "最常见的密码"),
        ("abababababab", "至少要有 4 个不同的字符"),
        ("Wang.Xiaoming", "不能与账号名相同"),
        ("gnimoaix.gnaw", "不能与账号名相同"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(password: str, reason: str) -> None:
    with pytest.raises(UsageError, match=reason):
        check_strength(password, "wang.xiaoming")


def test_a_password_of_ten_characters_of_several_kinds_is_accepted() -> None:
    check_strength("Lake-tea-42", "wang.xiaoming")


LOCAL = {"Host": "127.0.0.1:8501"}


@pytest.mark.parametrize(
    "header",
    [
        "X-Client-IP",
        "True-Client-IP",
        "X-Original-Forwarded-For",
        "X-Forwarded-Host",
        "X-Real-IP",
        "CF-Connecting-IP",
        "X-Cluster-Client-IP",
        "Fastly-Client-IP",
        "X-Originating-IP",
        "X-Remote-Addr",
        "Via",
    ],
)
def test_any_forwarding_header_means_the_request_is_not_local(header: str) -> None:
    """Without accounts, a local request is the administrator: a proxy on this computer must not make
    a remote user one, whichever header it uses to say whom it forwards."""
    assert access.request_is_local(LOCAL, None) is True
    assert access.request_is_local({**LOCAL, header: "10.0.0.8"}, None) is False


@pytest.mark.parametrize(
    ("origin", "cross"),
    [
        ("http://127.0.0.1:8501", False),
        ("http://localhost:3000", True),  # another program's page on this computer
        ("http://127.0.0.1:8502", True),
        ("null", True),  # a sandboxed frame or a file
        ("https://evil.example", True),
    ],
)
def test_a_connection_opened_by_another_sites_page_is_refused(origin: str, cross: bool) -> None:
    headers = {**LOCAL, "Origin": origin}
    assert access.cross_origin(headers) is cross
    assert access.request_is_local(headers, None) is not cross


def test_a_proxy_that_renames_the_host_keeps_its_own_origin_valid() -> None:
    headers = {
        "Host": "127.0.0.1:8501",
        "X-Forwarded-Host": "workbench.corp.example",
        "Origin": "https://workbench.corp.example",
    }
    assert access.cross_origin(headers) is False
    assert access.request_is_local(headers, None) is False  # still forwarded: not the local administrator
