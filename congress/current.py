"""What every page starts from, read once, in one query: the current congress and its information
pages for the menu (and the about page the home page links to).

Every page shows the congress and the menu, so both come from one statement, written out and read
with a plain cursor (building it with the ORM would cost more than running it). The congress and
the pages are made into model instances (with Django's own converters for each column) when they
are first used.

The pages come as one JSON array in a scalar subquery (json_agg on PostgreSQL, json_group_array
on SQLite), so a menu never costs a query of its own.
"""

import json

from django.db import connection
from django.db.models import Q
from django.http import Http404

from .models import Congress, Page, PublicationStatus

_ATTRIBUTE = "_request_row"

# The page the home page links to under "Over de VNG", read with the pages in the menu.
ABOUT_PAGE_SLUG = "over-de-vng"
# The columns of each page in the JSON array, in this order.
PAGE_FIELDS = ("id", "congress_id", "title", "slug", "summary", "show_in_navigation", "order")


def _pages_subquery(vendor, quote):
    """A scalar subquery: the published pages of congress `c` that are in the menu or are the
    about page, as one JSON array of arrays (None where there are none)."""
    table = quote(Page._meta.db_table)
    columns = [quote(Page._meta.get_field(name).column) for name in PAGE_FIELDS]
    where = (
        f"p.{quote('congress_id')} = c.{quote('id')} AND p.{quote('status')} = %s "
        f"AND (p.{quote('show_in_navigation')} OR p.{quote('slug')} = %s)"
    )
    if vendor == "postgresql":
        row = ", ".join(f"p.{column}" for column in columns)
        return f"(SELECT json_agg(json_build_array({row}))::text FROM {table} p WHERE {where})"
    if vendor == "sqlite":
        row = ", ".join(f"p.{column}" for column in columns)
        return f"(SELECT json_group_array(json_array({row})) FROM {table} p WHERE {where})"
    return None  # another database: the pages are read with the ORM when they are needed


class ColumnConverter:
    """Turns a value read with a plain cursor into what the ORM would give for this column: the
    database backend's converters, then the field's, as Django's SQL compiler applies them."""

    def __init__(self, column, connection):
        self.column = column
        self.converters = connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        )

    def __call__(self, value, connection):
        for converter in self.converters:
            value = converter(value, self.column, connection)
        return value


class _RowReader:
    """The one statement, and what turns its columns into model instances."""

    def __init__(self, connection):
        quote = connection.ops.quote_name
        self.fields = Congress._meta.concrete_fields
        columns = ", ".join(f"c.{quote(field.column)}" for field in self.fields)
        pages = _pages_subquery(connection.vendor, quote)
        self.reads_pages = pages is not None
        # Always one row: without a current congress, its columns and the pages are NULL.
        self.sql = (
            f"SELECT {pages or 'NULL'}, {columns} FROM (SELECT 1 AS one) AS o "
            f"LEFT JOIN {quote(Congress._meta.db_table)} c ON c.{quote('is_current')} = %s"
        )
        self.params = [PublicationStatus.PUBLISHED, ABOUT_PAGE_SLUG] if pages else []
        self.columns = [field.get_col(Congress._meta.db_table) for field in self.fields]
        self.converters = [ColumnConverter(column, connection) for column in self.columns]

    def convert(self, index, value, connection):
        return self.converters[index](value, connection)

    def read(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [*self.params, True])
            pages, *values = cursor.fetchone()
        return RequestRow(self, connection, pages, values)


class RequestRow:
    """The row read for one request; the congress and pages are made on first use."""

    def __init__(self, reader, connection, pages, values):
        self._reader = reader
        self._connection = connection
        self._pages_json = pages
        self._values = values

    def congress(self):
        if not hasattr(self, "_congress"):
            self._congress = None
            if self._values[0] is not None:
                reader, connection = self._reader, self._connection
                converted = [
                    reader.convert(i, value, connection) for i, value in enumerate(self._values)
                ]
                self._congress = Congress.from_db(
                    connection.alias, [field.attname for field in reader.fields], converted
                )
        return self._congress

    def pages(self):
        """The published pages in the menu and the about page, in the pages' own order."""
        if not hasattr(self, "_pages"):
            congress = self.congress()
            if congress is None:
                self._pages = []
            elif not self._reader.reads_pages:
                self._pages = list(
                    Page.objects.published()
                    .filter(congress=congress)
                    .filter(Q(show_in_navigation=True) | Q(slug=ABOUT_PAGE_SLUG))
                    .only("congress", "title", "slug", "summary", "show_in_navigation", "order")
                    .order_by("order", "title", "pk")
                )
            else:
                rows = json.loads(self._pages_json) if self._pages_json else []
                pages = [
                    Page.from_db(self._connection.alias, list(PAGE_FIELDS), row) for row in rows
                ]
                for page in pages:
                    page.show_in_navigation = bool(page.show_in_navigation)
                self._pages = sorted(pages, key=lambda page: (page.order, page.title, page.pk))
        return self._pages


_readers = {}


def request_row(request):
    """The row of this request (read on first use, then kept on the request)."""
    row = getattr(request, _ATTRIBUTE, None)
    if row is None:
        reader = _readers.get(connection.vendor) or _readers.setdefault(
            connection.vendor, _RowReader(connection)
        )
        row = reader.read(connection)
        setattr(request, _ATTRIBUTE, row)
    return row


def current_congress(request):
    """The congress the site shows, or None when no edition is marked current."""
    return request_row(request).congress()


def current_congress_or_404(request):
    congress = current_congress(request)
    if congress is None:
        raise Http404("No current congress.")
    return congress


def navigation_pages(request):
    """The published information pages in the menu of the current congress."""
    return [page for page in request_row(request).pages() if page.show_in_navigation]


def about_page(request):
    """The published "Over de VNG" page of the current congress, or None."""
    return next(
        (page for page in request_row(request).pages() if page.slug == ABOUT_PAGE_SLUG), None
    )
