"""Pieces shared by the account and admin routes: the store session, the caller's name.

``Db`` closes its transaction *before* the response is sent (FastAPI's
``scope="function"``), so a client that got "done" can rely on the write
being committed, and a failure while committing is reported as an error
instead of happening after a success page went out.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from treatywatch.web.deps import db, principal

Db = Annotated[Session, Depends(db, scope="function")]


def actor(request: Request) -> str:
    """The logged-in username: the actor of every audit entry a request writes."""
    who = principal(request)
    if who.username is None:
        raise HTTPException(401, "log in to do this", {"WWW-Authenticate": "Bearer"})
    return who.username
