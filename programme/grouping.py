"""Shape a flat, time-ordered list of sessions into the programme's days and time slots."""

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from django.utils import timezone


@dataclass
class TimeSlot:
    start: datetime
    sessions: list = field(default_factory=list)
    total: int = 0  # sessions at this time in the whole list, also on other pages
    continued: bool = False  # began on the previous page


@dataclass
class Day:
    date: date
    slots: list = field(default_factory=list)
    continued: bool = False  # began on the previous page

    @property
    def session_count(self):
        return sum(len(slot.sessions) for slot in self.slots)


def by_day_and_time(sessions, *, slot_sizes=None, previous_start=None):
    """Days in order, each with its start times in order, each with its sessions.

    `sessions` must already be ordered by start time; the cost is linear in their number. For one
    page of a longer list, `slot_sizes` ({start: sessions at that time in the whole list}) gives
    each time slot its full size, and `previous_start` (the start of the last session of the
    previous page) marks the day and time slot that began there as continued.
    """
    slot_sizes = slot_sizes or {}
    previous_day = timezone.localtime(previous_start).date() if previous_start else None
    days = []
    for day, day_sessions in groupby(sessions, key=lambda s: timezone.localtime(s.start).date()):
        slots = []
        for start, slot_sessions in groupby(day_sessions, key=lambda s: s.start):
            listed = list(slot_sessions)
            slots.append(
                TimeSlot(
                    start=start,
                    sessions=listed,
                    total=slot_sizes.get(start, len(listed)),
                    continued=not days and not slots and start == previous_start,
                )
            )
        days.append(Day(date=day, slots=slots, continued=not days and day == previous_day))
    return days


def start_before(slot_sizes, index):
    """The start of the session at position `index` of the list `slot_sizes` counts, or None."""
    if index < 0:
        return None
    seen = 0
    for start in sorted(slot_sizes):
        seen += slot_sizes[start]
        if index < seen:
            return start
    return None
