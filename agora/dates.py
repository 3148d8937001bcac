"""Calendar arithmetic shared by the retention rules of every app."""

import calendar
import datetime
from typing import TypeVar

DateLike = TypeVar("DateLike", datetime.date, datetime.datetime)


def months_before(moment: DateLike, months: int) -> DateLike:
    """The same day (or the month's last day) `months` months earlier; dates and datetimes."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))
