"""What HTTP caches (a browser's, a reverse proxy's, a CDN's) may keep of an answer to a query sent with
GET: an anonymous answer without errors is public for `get_cache_max_age_s`; anything that depends on
the caller, or failed, is kept by no cache."""

from __future__ import annotations

from starlette.responses import Response

from schema.request_record import current_record


def mark_cacheable(response: Response, max_age_s: int) -> None:
    record = current_record()
    public = record.caller == "anonymous" and not record.codes and response.status_code == 200
    if public and max_age_s > 0:
        response.headers["Cache-Control"] = f"public, max-age={max_age_s}"
    elif public:
        response.headers["Cache-Control"] = "public, no-cache"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    # The same URL answers differently with a token: a shared cache must not hand the anonymous answer
    # to a caller who sent one.
    response.headers["Vary"] = "Authorization"
