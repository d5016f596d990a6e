"""The last day a clearance request meets the host nation's lead time.

Aircraft requests count working days of the host nation: weekends and its public holidays (the
`holidays` package's calendar of the post's host country) do not count. Other kinds count
calendar days.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from .models import ClearanceLeadTime


@lru_cache(maxsize=512)
def _host_holidays(country_code: str, year: int) -> frozenset:
    """The host country's public holidays of a year and the one before (a lead time may span New Year)."""
    try:
        return frozenset(holidays.country_holidays(country_code, years=[year - 1, year]))
    except NotImplementedError:  # a country the package has no calendar for: weekends only
        return frozenset()


def working_days_before(day: dt.date, count: int, country_code: str) -> dt.date:
    """The working day `count` working days before `day` in the host country."""
    off = _host_holidays(country_code, day.year)
    current = day
    while count > 0:
        current -= dt.timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            count -= 1
    return current


def submit_by(post, kind: str, starts_on: dt.date) -> dt.date:
    """The last day a request of this kind for travel on `starts_on` can go to the host nation."""
    return submit_by_with(ClearanceLeadTime.for_kind(post.pk, kind), post.host_country.code, starts_on)


def submit_by_with(lead_time: tuple[int, bool], country_code: str, starts_on: dt.date) -> dt.date:
    """submit_by for a lead time already read: (days, counted in working days?)."""
    days, working = lead_time
    if working:
        return working_days_before(starts_on, days, country_code)
    return starts_on - dt.timedelta(days=days)
