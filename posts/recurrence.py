"""Occurrences of events: one date, a weekly or monthly rule until a date, and extra dates.

Times are wall-clock times in Europe/Paris: a workshop "every Wednesday at 14:00" stays at
14:00 across the change to summer time, so rules are expanded on local naive datetimes and
made aware afterwards.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule

PARIS = ZoneInfo("Europe/Paris")

NONE = ""
WEEKLY_RULE = "weekly"
MONTHLY_RULE = "monthly"
FREQUENCIES = {WEEKLY_RULE: WEEKLY, MONTHLY_RULE: MONTHLY}


@dataclass(frozen=True)
class Occurrence:
    """One dated happening of an event. `event` is the page; start and end are aware datetimes."""

    event: object
    start: datetime
    end: datetime

    @property
    def all_day(self) -> bool:
        return self.event.all_day

    @property
    def start_date(self) -> date:
        return self.start.astimezone(PARIS).date()

    @property
    def end_date(self) -> date:
        return self.end.astimezone(PARIS).date()

    @property
    def spans_several_days(self) -> bool:
        return self.end_date > self.start_date


def local_starts(
    start: datetime,
    frequency: str,
    until: date | None,
    extra_dates: list[date],
) -> list[datetime]:
    """Every local (naive, Europe/Paris) start of an event, sorted, without duplicates."""
    local_start = start.astimezone(PARIS).replace(tzinfo=None)
    starts = {local_start}
    if frequency in FREQUENCIES and until and until >= local_start.date():
        rule = rrule(
            FREQUENCIES[frequency],
            dtstart=local_start,
            until=datetime.combine(until, time.max),
        )
        starts.update(rule)
    for extra in extra_dates:
        starts.add(datetime.combine(extra, local_start.time()))
    return sorted(starts)


def expand(event, *, after: datetime | None = None, before: datetime | None = None) -> list[Occurrence]:
    """The occurrences of `event` that end after `after` and start before `before`."""
    duration = event.end - event.start
    occurrences = []
    extra = [item.date for item in event.extra_dates.all()]
    for local in local_starts(event.start, event.recurrence, event.recurrence_until, extra):
        start = local.replace(tzinfo=PARIS)
        end = start + duration
        if after is not None and end < after:
            continue
        if before is not None and start >= before:
            continue
        occurrences.append(Occurrence(event, start, end))
    return occurrences


def expand_all(events, *, after=None, before=None, reverse=False) -> list[Occurrence]:
    occurrences = [occ for event in events for occ in expand(event, after=after, before=before)]
    occurrences.sort(key=lambda occ: (occ.start, occ.event.title), reverse=reverse)
    return occurrences


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min).replace(tzinfo=PARIS)
    return start, start + timedelta(days=1)
