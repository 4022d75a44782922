"""The self-checks in the store: add, list and delete sign checks, strength checks and counts.

The same contract as ``diary.db.store`` (keyword-only functions over a ``Session`` the caller opened
with ``store.write_session``; validated ``*Create`` models in, table rows out), kept in a module of
its own so that each stays one a person can read. What the tables share (ids by prefix, inserts
that refuse an id in use, date ranges) is ``diary.db.rows``.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from diary.db import rows
from diary.db.check_models import (
    SignCheck,
    SignCheckCreate,
    StrengthCheck,
    StrengthCheckCreate,
    TwitchCount,
    TwitchCountCreate,
)

#: Where a person sees the checks and their ids (named in "no such id" messages).
LISTING = "twitch checks"


def _remove(session: Session, row: rows.Row) -> rows.Row:
    session.delete(row)
    session.flush()
    return row


# --- sign checks ----------------------------------------------------------------------------------


def add_sign_check(*, session: Session, check: SignCheckCreate) -> SignCheck:
    """Store a weekly warning-sign check (unanswered signs stay "not asked")."""
    return rows.insert_new(session, SignCheck, check.columns(), "sign check")


def list_sign_checks(
    *,
    session: Session,
    since: dt.date | None = None,
    until: dt.date | None = None,
    newest_first: bool = False,
) -> list[SignCheck]:
    """Sign checks dated within [since, until], oldest first (same date: in the order made)."""
    query = rows.within(select(SignCheck), col(SignCheck.date), since, until)
    order = (col(SignCheck.date), col(SignCheck.created_at), col(SignCheck.id))
    query = query.order_by(*(o.desc() for o in order) if newest_first else order)
    return list(session.exec(query).all())


def find_sign_check(*, session: Session, ident: str) -> SignCheck:
    """The sign check with this id, or the only one whose id starts with it."""
    return rows.find_by_id(
        session=session, table=SignCheck, ident=ident, noun="sign check", listing=LISTING
    )


def delete_sign_check(*, session: Session, ident: str) -> SignCheck:
    """Remove a sign check; returns it so the caller can show it."""
    return _remove(session, find_sign_check(session=session, ident=ident))


# --- strength checks ------------------------------------------------------------------------------


def add_strength_check(*, session: Session, check: StrengthCheckCreate) -> StrengthCheck:
    """Store a strength check (tests not done stay unknown)."""
    return rows.insert_new(session, StrengthCheck, check.columns(), "strength check")


def list_strength_checks(
    *,
    session: Session,
    since: dt.date | None = None,
    until: dt.date | None = None,
    newest_first: bool = False,
) -> list[StrengthCheck]:
    """Strength checks dated within [since, until], oldest first (same date: in the order made)."""
    query = rows.within(select(StrengthCheck), col(StrengthCheck.date), since, until)
    order = (col(StrengthCheck.date), col(StrengthCheck.created_at), col(StrengthCheck.id))
    query = query.order_by(*(o.desc() for o in order) if newest_first else order)
    return list(session.exec(query).all())


def find_strength_check(*, session: Session, ident: str) -> StrengthCheck:
    """The strength check with this id, or the only one whose id starts with it."""
    return rows.find_by_id(
        session=session, table=StrengthCheck, ident=ident, noun="strength check", listing=LISTING
    )


def delete_strength_check(*, session: Session, ident: str) -> StrengthCheck:
    """Remove a strength check; returns it so the caller can show it."""
    return _remove(session, find_strength_check(session=session, ident=ident))


# --- twitch counts --------------------------------------------------------------------------------


def add_twitch_count(*, session: Session, count: TwitchCountCreate) -> TwitchCount:
    """Store a timed twitch count."""
    return rows.insert_new(session, TwitchCount, count.columns(), "twitch count")


def list_twitch_counts(
    *,
    session: Session,
    since: dt.date | None = None,
    until: dt.date | None = None,
    site: str | None = None,
    newest_first: bool = False,
) -> list[TwitchCount]:
    """Counts whose local date is within [since, until], optionally at one body site, in time
    order."""
    local_day = rows.local_date(TwitchCount.counted_at_utc, TwitchCount.utc_offset_min)
    query = rows.within(select(TwitchCount), local_day, since, until)
    if site is not None:
        query = query.where(TwitchCount.body_site == site)
    order = (col(TwitchCount.counted_at_utc), col(TwitchCount.id))
    query = query.order_by(*(o.desc() for o in order) if newest_first else order)
    return list(session.exec(query).all())


def find_twitch_count(*, session: Session, ident: str) -> TwitchCount:
    """The count with this id, or the only one whose id starts with it."""
    return rows.find_by_id(
        session=session, table=TwitchCount, ident=ident, noun="twitch count", listing=LISTING
    )


def delete_twitch_count(*, session: Session, ident: str) -> TwitchCount:
    """Remove a twitch count; returns it so the caller can show it."""
    return _remove(session, find_twitch_count(session=session, ident=ident))
