"""The 342 Dutch municipalities of 2023 (on 1 January 2023), shipped as data with the project."""

from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "gemeenten-2023.txt"


@cache
def municipalities():
    with DATA_FILE.open(encoding="utf-8") as handle:
        return tuple(line.strip() for line in handle if line.strip())


def municipality_choices():
    return [(name, name) for name in municipalities()]
