"""gunicorn's settings for `make bench` (bench/bench.py passes `-c bench/gunicorn.conf.py`).

Without `-c`, gunicorn would read the project's own gunicorn.conf.py from the working folder:
threaded workers (for TLS keep-alive and requests waiting on PostgreSQL or Redis) and an access log
line per request. The bench measures what a page costs against a static file on the same server,
so it runs plain sync workers (the number bench.py gives) and no access log, and keeps errors.
"""

wsgi_app = "config.wsgi:application"
worker_class = "sync"
max_requests = 0  # no worker replaced during the memory measurement
accesslog = None
errorlog = "-"
loglevel = "warning"
control_socket_disable = True
