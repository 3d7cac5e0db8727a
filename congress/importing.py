"""Import and export of congress content as CSV and Excel files in /beheer/ (django-import-export).

A file always belongs to the current congress: a row is found by its slug within that congress,
related rows by their slugs (locations, themes, speakers) and a room by its name within the row's
location. Columns have Dutch headers; docs/import-export.md describes them. `CongressResource` is
the base of the resources in programme/resources.py and venues/resources.py, and
`ImportExportAdminMixin` gives a ModelAdmin an import with a preview and an export.

An import is all or nothing: it runs in one transaction and any error in any row rolls back every
row. The admin first shows a preview (a dry run) with what would be added, changed or skipped, and
every problem by row number (the spreadsheet's row: the header is row 1) and column, in Dutch.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import sanitize_separators
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm
from import_export.results import RowResult

from .current import current_congress

SEPARATOR = ";"
DATETIME_FORMAT = "%Y-%m-%d %H:%M"
# Also accepted on import: seconds, and the day-first form Dutch spreadsheet programs write back.
DATETIME_INPUT_FORMATS = [
    DATETIME_FORMAT,
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
]
YES = "ja"
NO = "nee"


class DutchCSV(base_formats.CSV):
    """CSV as Dutch spreadsheet programs write it: ';' between columns, UTF-8 with a BOM.

    On import a ',' between columns is recognised too (from the first line).
    """

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        in_stream = in_stream.removeprefix("\ufeff")
        header = in_stream.split("\n", 1)[0]
        kwargs.setdefault("delimiter", ";" if header.count(";") >= header.count(",") else ",")
        return super().create_dataset(in_stream, **kwargs)

    def export_data(self, dataset, **kwargs):
        kwargs.setdefault("delimiter", ";")
        return "\ufeff" + super().export_data(dataset, **kwargs)


FORMATS = [DutchCSV, base_formats.XLSX]


def is_empty(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


class TextWidget(widgets.CharWidget):
    """Text; an empty cell is an empty text. Numbers from a spreadsheet become their text."""

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


class ChoiceWidget(widgets.CharWidget):
    """One of `choices`, by its value or its label (any case). An empty cell gives None.

    With `saves_null_values=False` on the field, an empty cell keeps the current value (or the
    model's default for a new row).
    """

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        text = str(value).strip().lower()
        for choice_value, label in self.choices:
            if text in (str(choice_value).lower(), str(label).lower()):
                return choice_value
        raise ValueError(
            _("‘%(value)s’ is geen geldige keuze; kies uit: %(choices)s.")
            % {"value": value, "choices": ", ".join(str(choice) for choice, _label in self.choices)}
        )


class IntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        try:
            number = Decimal(sanitize_separators(str(value).strip()))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("‘%(value)s’ is geen geheel getal.") % {"value": value})
        return int(number)


class DecimalWidget(widgets.DecimalWidget):
    """A decimal number; a decimal comma (53,2) or point (53.2) both work."""

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        try:
            number = Decimal(sanitize_separators(str(value).strip()))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(_("‘%(value)s’ is geen getal.") % {"value": value})
        return number


class YesNoWidget(widgets.BooleanWidget):
    """'ja' or 'nee'; an empty cell is 'nee'."""

    TRUE_TEXTS = {YES, "j", "1", "true", "waar", "yes"}
    FALSE_TEXTS = {NO, "n", "0", "false", "onwaar", "no", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if text in self.TRUE_TEXTS:
            return True
        if text in self.FALSE_TEXTS:
            return False
        raise ValueError(_("Vul ‘ja’ of ‘nee’ in, niet ‘%(value)s’.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return YES if value else NO


class LocalDateTimeWidget(widgets.DateTimeWidget):
    """A moment as local time in Europe/Amsterdam: 'YYYY-MM-DD HH:MM' (Excel: a date cell)."""

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)
        self.formats = DATETIME_INPUT_FORMATS

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        try:
            moment = self._parse_value(value.strip() if isinstance(value, str) else value, datetime)
        except ValueError:
            raise ValueError(
                _("‘%(value)s’ is geen datum en tijd; schrijf bijvoorbeeld 2023-06-13 13:30.")
                % {"value": value}
            ) from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment


class CongressForeignKeyWidget(widgets.ForeignKeyWidget):
    """A row of `model` in the current congress, by its slug (empty: none)."""

    congress = None

    def __init__(self, model, field="slug", **kwargs):
        super().__init__(model, field=field, **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(congress=self.congress)

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        value = str(value).strip()
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("Er is geen %(model)s met slug ‘%(value)s’ in dit congres.")
                % {"model": self.model._meta.verbose_name, "value": value}
            ) from None


class CongressSlugListWidget(widgets.ManyToManyWidget):
    """Rows of `model` in the current congress, by their slugs separated by ';'.

    `ordered`: whether the order in the cell matters (speakers) or not (themes).
    """

    congress = None

    def __init__(self, model, *, ordered=False, **kwargs):
        super().__init__(model, separator=SEPARATOR, field="slug", **kwargs)
        self.ordered = ordered

    def clean(self, value, row=None, **kwargs):
        slugs = list(dict.fromkeys(split_list(value)))
        found = {
            obj.slug: obj
            for obj in self.model.objects.filter(congress=self.congress, slug__in=slugs)
        }
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise ValueError(
                _("Onbekend in dit congres (%(model)s): %(slugs)s.")
                % {"model": self.model._meta.verbose_name_plural, "slugs": ", ".join(unknown)}
            )
        return [found[slug] for slug in slugs]

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(self.keys(value))

    def keys(self, value):
        """The slugs of a list or related manager, in their order."""
        if value is None:
            return []
        items = value.all() if hasattr(value, "all") else value
        return [item.slug for item in items]

    def unchanged(self, new, old):
        return new == old if self.ordered else sorted(new) == sorted(old)


def split_list(value):
    """The items of a cell with values separated by ';', without blanks."""
    if is_empty(value):
        return []
    return [item.strip() for item in str(value).split(SEPARATOR) if item.strip()]


class CongressResource(resources.ModelResource):
    """A model with a `congress` and a `slug` unique within it, imported into the current congress.

    Subclasses declare every column as a field with a Dutch `column_name`.
    """

    def __init__(self, congress=None, **kwargs):
        super().__init__(**kwargs)
        self.congress = congress
        for field in self.fields.values():
            if hasattr(field.widget, "congress"):
                field.widget.congress = congress

    class Meta:
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return self._meta.model.objects.filter(congress=self.congress)

    def init_instance(self, row=None):
        return self._meta.model(congress=self.congress)

    def filter_export(self, queryset, **kwargs):
        return queryset.filter(congress=self.congress)

    def import_data(self, dataset, *args, rollback_on_validation_errors=True, **kwargs):
        """All or nothing: a row with an error rolls back every other row too."""
        return super().import_data(
            dataset, *args, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs
        )

    def before_import(self, dataset, **kwargs):
        """Refuse a file without the slug column or with unknown columns, before any row.

        Empty rows at the end (spreadsheet programs often leave some) are dropped; an empty row
        between others stays, and is reported, so that row numbers match the spreadsheet.
        """
        dataset.headers = [str(header or "").strip() for header in dataset.headers or []]
        while len(dataset) and all(is_empty(value) for value in dataset[-1]):
            del dataset[-1]
        known = {field.column_name for field in self.get_import_fields()}
        slug_column = self.fields["slug"].column_name
        problem = None
        if self.congress is None:
            problem = _("Er is geen huidig congres; maak eerst een congres de huidige editie.")
        elif unknown := [header for header in dataset.headers if header not in known]:
            problem = _("Onbekende kolom(men): %(columns)s. Bekende kolommen: %(known)s.") % {
                "columns": ", ".join(f"‘{header}’" for header in unknown),
                "known": ", ".join(field.column_name for field in self.get_import_fields()),
            }
        elif slug_column not in dataset.headers:
            problem = _("De kolom ‘%(column)s’ ontbreekt; die is nodig om rijen te herkennen.") % {
                "column": slug_column
            }
        if problem:
            del dataset[0 : len(dataset)]  # no rows to go through: the file itself is wrong
            raise ValueError(problem)

    def import_instance(self, instance, row, **kwargs):
        """Also check the list columns (themes, speakers, rooms) before the row is saved."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error))]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip a row that changes nothing, comparing list columns by their slugs."""
        if import_validation_errors:
            return False
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                new = field.widget.keys(field.clean(row))
                old = [] if original.pk is None else field.widget.keys(field.get_value(original))
                if not field.widget.unchanged(new, old):
                    return False
            elif field.get_value(instance) != field.get_value(original):
                return False
        return True

    def column_name_of(self, attribute):
        """The Dutch header of the column of a model field (for error messages)."""
        for field in self.fields.values():
            if attribute in (field.attribute, f"{field.attribute}_id"):
                return field.column_name
        try:
            return str(self._meta.model._meta.get_field(attribute).verbose_name)
        except Exception:
            return attribute


def describe_problems(result, resource):
    """Every problem of an import, in Dutch: "Regel 4, kolom ‘Begin’: …" (header = regel 1)."""
    problems = []
    for error in result.base_errors:
        problems.append(_("Bestand: %(error)s") % {"error": error.error})
    for number, errors in ((row.number, row.errors) for row in result.error_rows):
        for error in errors:
            problems.append(
                _("Regel %(line)d: deze regel kon niet worden verwerkt (%(error)s).")
                % {"line": number + 1, "error": error.error}
            )
    for row in result.invalid_rows:
        for attribute, messages_ in row.error_dict.items():
            for message in messages_:
                if attribute == NON_FIELD_ERRORS:
                    text = _("Regel %(line)d: %(message)s")
                else:
                    text = _("Regel %(line)d, kolom ‘%(column)s’: %(message)s")
                problems.append(
                    text
                    % {
                        "line": row.number + 1,
                        "column": resource.column_name_of(attribute),
                        "message": message,
                    }
                )
    return problems


def summarise(result):
    """How many rows an import adds, changes and leaves as they are."""
    return {
        "new": result.totals[RowResult.IMPORT_TYPE_NEW],
        "changed": result.totals[RowResult.IMPORT_TYPE_UPDATE],
        "skipped": result.totals[RowResult.IMPORT_TYPE_SKIP],
    }


class ImportExportAdminMixin(ImportExportMixin):
    """Import (with a preview) and export as CSV or Excel of the current congress's rows.

    Set `resource_classes` to one CongressResource. Import needs the permissions to add and to
    change (IMPORT_EXPORT_IMPORT_PERMISSION_CODE), export the permission to view.
    """

    import_template_name = "admin/import_export/import_with_preview.html"
    export_form_class = ExportForm
    formats = FORMATS

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"congress": current_congress(request)}

    def has_import_permission(self, request):
        return super().has_import_permission(request) and self.has_add_permission(request)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if isinstance(response, TemplateResponse) and context and context.get("result"):
            resource = self.get_import_resource_classes(request)[0](
                **self.get_import_resource_kwargs(request)
            )
            context["import_summary"] = summarise(context["result"])
            context["import_problems"] = describe_problems(context["result"], resource)
        return response

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The file changed since the preview or the data did: nothing was saved.
            resource = self.get_import_resource_classes(request)[0](
                **self.get_import_resource_kwargs(request)
            )
            messages.error(
                request,
                _("Er is niets geïmporteerd: %(problems)s")
                % {"problems": " ".join(describe_problems(result, resource))},
            )
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(
                reverse(f"admin:{app_label}_{model_name}_import", current_app=self.admin_site.name)
            )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        counts = summarise(result)
        messages.success(
            request,
            _(
                "Import klaar (%(model)s): %(new)d nieuw, %(changed)d gewijzigd, "
                "%(skipped)d ongewijzigd."
            )
            % {"model": self.model._meta.verbose_name_plural, **counts},
        )

    def get_export_filename(self, request, queryset, file_format):
        name = slugify(str(self.model._meta.verbose_name_plural))
        return f"{name}-{timezone.localdate().isoformat()}.{file_format.get_extension()}"
