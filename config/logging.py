"""Log lines for stdout: one event, one line, whatever the message or traceback holds."""

import logging

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class OneLineFormatter(logging.Formatter):
    """A formatter that keeps each record on one line.

    Tracebacks and messages with line breaks (including ones a visitor smuggled into a logged
    value) are kept, with each break written as the two characters backslash and n, so log
    collectors see one event per line and nobody can forge a line of their own.
    """

    def __init__(self, fmt=LINE_FORMAT, datefmt=None, style="%", **kwargs):
        super().__init__(fmt, datefmt, style, **kwargs)

    def format(self, record):
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")
