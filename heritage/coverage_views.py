"""Admin screens of the coverage report: the page and its CSV and XLSX exports."""

import csv
import io
from functools import wraps

from django.http import HttpResponse, HttpResponseForbidden
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from heritage.access import user_is_officer
from heritage.coverage import coverage, report_teams, sees_national_coverage
from heritage.importing.values import neutralise_formula
from heritage.models import Province

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class NotYourProvince(Exception):
    """The report asked for is of a scope the user may not read."""


def refusing_other_provinces(view):
    """``view``, answering 403 with a reason when the scope asked for is not the user's.

    Wagtail's admin turns a PermissionDenied into a redirect to the
    dashboard, which would hide why a shared link did not open.
    """

    @wraps(view)
    def checked(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotYourProvince:
            return HttpResponseForbidden(
                _("This coverage report is of a province you do not work in."),
                content_type="text/plain; charset=utf-8",
            )

    return checked


def user_may_see_coverage(user):
    """Officers of a province team, and archive administrators."""
    return user_is_officer(user) and (sees_national_coverage(user) or report_teams(user).exists())


def _scope(request):
    """The province the report is of (``None``: the nation) and the provinces to pick from.

    An officer sees their team's province; asking for another one, or for
    the national view, is refused with a 403 rather than quietly ignored,
    so a link shared across provinces says plainly why it does not open.
    """
    user = request.user
    if not user_may_see_coverage(user):
        raise NotYourProvince
    slug = request.GET.get("province", "")
    if sees_national_coverage(user):
        choices = list(Province.objects.current().order_by("name_vi"))
        if not slug:
            return None, choices
    else:
        choices = [team.province for team in report_teams(user)]
        if not slug:
            return choices[0], choices
    for province in choices:
        if province.slug == slug:
            return province, choices
    raise NotYourProvince


@refusing_other_provinces
def report(request):
    """The coverage report of the officer's province, or of any scope for an administrator."""
    province, choices = _scope(request)
    figures = coverage(province)
    return TemplateResponse(
        request,
        "heritage/admin/coverage_report.html",
        {
            "figures": figures,
            "choices": choices,
            "province": province,
            "national": sees_national_coverage(request.user),
            "title": page_title(province),
        },
    )


def _cell(value):
    return neutralise_formula(value) if isinstance(value, str) else value


def _filename(province, extension):
    return f"coverage-{province.slug if province else 'national'}.{extension}"


@refusing_other_provinces
def export_csv(request):
    """The report's tables in one CSV file, each table under its title, a blank line between."""
    province, _choices = _scope(request)
    out = io.StringIO()
    writer = csv.writer(out)
    for number, table in enumerate(coverage(province).tables()):
        if number:
            writer.writerow([])
        writer.writerow([_cell(table.title)])
        writer.writerow([_cell(heading) for heading in table.columns])
        writer.writerows([[_cell(value) for value in row] for row in table.rows])
    # The byte-order mark makes spreadsheet programs read the Vietnamese as UTF-8.
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(province, "csv")}"'
    return response


@refusing_other_provinces
def export_xlsx(request):
    """The report's tables in one workbook, a sheet per table."""
    from openpyxl import Workbook

    province, _choices = _scope(request)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in coverage(province).tables():
        # Sheet titles: at most 31 characters, none of []:*?/\ .
        sheet = workbook.create_sheet(table.title[:31])
        sheet.append([_cell(heading) for heading in table.columns])
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
        sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(province, "xlsx")}"'
    return response


def page_title(province):
    """The report's heading: the province's, or the nation's."""
    if province is None:
        return _("Coverage report: the whole archive")
    return _("Coverage report: %(province)s") % {"province": province.display_name}
