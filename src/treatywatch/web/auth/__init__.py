"""The auth routes of the web app (``router`` is included by ``create_app``)."""

from fastapi import APIRouter

router = APIRouter()
