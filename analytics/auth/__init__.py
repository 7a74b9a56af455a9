"""Who may see what: sign-in, roles, department scope, secrecy levels, the audit log (issue 6).

- `Identity` (who signed in, role, departments, source) comes from `authenticate_local` (accounts of
  `python -m analytics users`) or `identity_from_oidc` (Streamlit's st.login and the company's
  identity provider);
- `scope_for(identity)` gives the `Scope` the query layer (`analytics.auth.queries`) takes: the
  departments passed to the metrics engine, GM calendar details, open secrecy levels, pages;
- `analytics.auth.masking` takes out of rows what a scope may not read;
- `analytics.auth.audit` records sign-ins, uploads, exports, settings and account changes.

No streamlit here: the app's sign-in page lives in analytics/ui.
"""

from analytics.auth.accounts import (
    Account,
    accounts_configured,
    add_account,
    authenticate_local,
    current_identity,
    list_accounts,
    local_accounts_exist,
    set_disabled,
    set_password,
    set_role,
)
from analytics.auth.identity import (
    ASSISTANT,
    DEPT_HEAD,
    GM,
    LOCAL_ADMINISTRATOR,
    ROLES,
    VIEWER,
    Identity,
    Scope,
    role_label,
    scope_for,
)
from analytics.auth.oidc import OidcSettings, identity_from_oidc

__all__ = [
    "ASSISTANT",
    "DEPT_HEAD",
    "GM",
    "LOCAL_ADMINISTRATOR",
    "ROLES",
    "VIEWER",
    "Account",
    "Identity",
    "OidcSettings",
    "Scope",
    "accounts_configured",
    "add_account",
    "authenticate_local",
    "current_identity",
    "identity_from_oidc",
    "list_accounts",
    "local_accounts_exist",
    "role_label",
    "scope_for",
    "set_disabled",
    "set_password",
    "set_role",
]
