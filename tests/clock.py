"""A clock the tests set: what timezone.now() answers, for Agora and for Wagtail alike."""

from datetime import date, datetime

from django.utils import timezone

from posts.recurrence import PARIS


class Clock:
    """Called like timezone.now(); a test moves it by assigning `moment`."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def freeze(monkeypatch, moment: datetime) -> Clock:
    clock = Clock(moment)
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def at(day: date | str, hour=14, minute=0) -> datetime:
    """That day at that hour, Paris time."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)
