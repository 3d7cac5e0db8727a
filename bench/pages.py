"""In-process measurements for bench/bench.py, run inside Django with the bench's settings.

For each page: the number of SQL queries, the time of a render that misses the page cache and its
part spent in the database, and the size of the answer as HTML and gzipped. Each time is the
fastest of several renders (the cache emptied before each), taken in rounds over all pages: a
moment of noise on a shared machine then slows one render of many pages, not every render of one
page, and the fastest render is the one least disturbed. The programme pages, whose times the
bench compares, get more rounds.

Prints one JSON object: {"paths": {name: path}, "pages": {name: {...}}}.
"""

import gzip
import json
import os
import sys
import time

import django

RENDERS = int(os.environ.get("BENCH_RENDERS", "5"))
# The pages whose render times bench.py compares (issue 7: linear cost, filters cheaper).
COMPARED = {"programme", "programme, filtered", "programme, 2nd day"}
COMPARED_RENDERS = int(os.environ.get("BENCH_COMPARED_RENDERS", "15"))


def main():
    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from programme.models import Session, SessionKind, Speaker

    session = (
        Session.objects.filter(kind=SessionKind.AFTERNOON, session_speakers__isnull=False)
        .order_by("start", "pk")
        .first()
    )
    speaker = Speaker.objects.filter(session_links__session=session).order_by("pk").first()
    paths = {
        "home": "/",
        "programme": "/programma/",
        "programme, filtered": "/programma/?dag=2023-06-13&soort=middagsessie",
        "programme, 2nd day": "/programma/?dag=2023-06-14",
        "session": session.get_absolute_url(),
        "speakers": "/sprekers/",
        "speaker": speaker.get_absolute_url(),
        "venues": "/locaties/",
        "venue": "/locaties/martiniplaza/",
        "schedule.json": "/programma/schedule.json",
        "schedule.xml": "/programma/schedule.xml",
        "programme.ics": "/programma.ics",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    times = {name: [] for name in paths}
    sql_times = {name: [] for name in paths}
    answers = {}
    sql_seconds = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds[0] += time.perf_counter() - started

    for round_number in range(max(RENDERS, COMPARED_RENDERS)):
        for name, path in paths.items():
            if round_number >= (COMPARED_RENDERS if name in COMPARED else RENDERS):
                continue
            cache.clear()
            sql_seconds[0] = 0.0
            with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timed):
                started = time.perf_counter()
                response = client.get(path)
                times[name].append(time.perf_counter() - started)
            sql_times[name].append(sql_seconds[0])
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
            answers[name] = (response.content, len(queries))
    pages = {}
    for name, (body, query_count) in answers.items():
        pages[name] = {
            "queries": query_count,
            "miss_ms": min(times[name]) * 1000,
            # Of a miss, the time in the database (queries sent and answers read) and the rest
            # (Python: views and templates), each the fastest of the renders.
            "sql_ms": min(sql_times[name]) * 1000,
            "python_ms": min(
                total - sql for total, sql in zip(times[name], sql_times[name], strict=True)
            )
            * 1000,
            "html_bytes": len(body),
            "gzip_bytes": len(gzip.compress(body, compresslevel=6)),
            "sessions_shown": body.count(b'class="session-card '),
        }
    json.dump({"paths": paths, "pages": pages}, sys.stdout)


if __name__ == "__main__":
    main()
