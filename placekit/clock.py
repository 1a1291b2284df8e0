"""The place's clock: the times people read and type are in the place's time zone.

A server often runs on UTC; a team in England in summer would otherwise see "Saved at"
an hour out, and a demand captured at 9:15 would count in the 8 o'clock hour. Times are
stored in UTC and shown in ``PLACEKIT_TZ`` (an IANA name), by default Europe/London.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger("placekit")

TZ_ENV = "PLACEKIT_TZ"
DEFAULT_TZ = "Europe/London"


def zone() -> ZoneInfo:
    name = os.environ.get(TZ_ENV, "").strip() or DEFAULT_TZ
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("%s=%r is not a time zone; using %s", TZ_ENV, name, DEFAULT_TZ)
        return ZoneInfo(DEFAULT_TZ)


def now() -> dt.datetime:
    """The time now, as the place's clocks show it."""
    return dt.datetime.now(zone())


def local(moment: dt.datetime) -> dt.datetime:
    """A stored moment (UTC if it carries no zone) as the place's clocks showed it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone())
