"""Shape a flat, time-ordered list of sessions into the programme's days and time slots."""

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from django.utils import timezone


@dataclass
class TimeSlot:
    start: datetime
    sessions: list = field(default_factory=list)


@dataclass
class Day:
    date: date
    slots: list = field(default_factory=list)

    @property
    def session_count(self):
        return sum(len(slot.sessions) for slot in self.slots)


def by_day_and_time(sessions):
    """Days in order, each with its start times in order, each with its sessions.

    `sessions` must already be ordered by start time; the cost is linear in their number.
    """
    days = []
    for day, day_sessions in groupby(sessions, key=lambda s: timezone.localtime(s.start).date()):
        slots = [
            TimeSlot(start=start, sessions=list(slot_sessions))
            for start, slot_sessions in groupby(day_sessions, key=lambda s: s.start)
        ]
        days.append(Day(date=day, slots=slots))
    return days
