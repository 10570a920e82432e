"""Accounts, sessions, CSRF, API tokens, login throttling and the audit log pages.

``router`` (included by ``create_app``) gathers the login, account and
admin routes; :func:`csrf_protect` is the app-wide CSRF dependency and
:func:`csrf_token` what templates put in forms.
"""

from fastapi import APIRouter

from treatywatch.web.auth import account, admin_audit, admin_users, login
from treatywatch.web.auth.csrf import csrf_protect, csrf_token

router = APIRouter()
for _module in (login, account, admin_users, admin_audit):
    router.include_router(_module.router)

__all__ = ["csrf_protect", "csrf_token", "router"]
