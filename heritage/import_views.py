"""Admin screens for importing a field-survey sheet: upload, progress, report."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.models import Page

from heritage.access import user_is_officer
from heritage.importing import CREATED, UPDATED, bundle
from heritage.importing.template import template_csv, template_xlsx
from heritage.importing.values import column_label
from heritage.models import ImportRun, Team
from heritage.review import count_in_review, submit_for_review, translation_drafts
from media_pipeline.ingest import max_upload_bytes

MAX_SHEET_BYTES = 50 * 1024 * 1024


def user_may_import(user):
    return user_is_officer(user) and Team.objects.editable_by(user).exists()


def user_may_publish(user):
    return Team.objects.publishable_by(user).exists()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Sheet (CSV or XLSX), or a .zip of the sheet and its media"),
        help_text=gettext_lazy(
            "One row per record, with the columns of the field-survey template. "
            "To bring media files in, put the sheet and the files in one .zip and "
            "name each file in the media column by its path beside the sheet."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: check the rows without saving anything"), required=False
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publish the records (otherwise they arrive as drafts for review)"),
        required=False,
    )

    def __init__(self, *args, may_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish:
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in {".csv", ".xlsx", ".zip"}:
            raise forms.ValidationError(_("Give a .csv, .xlsx or .zip file."))
        if suffix == ".zip":
            if upload.size > max_upload_bytes():
                raise forms.ValidationError(
                    _("The .zip is larger than the limit of %(limit)s bytes.")
                    % {"limit": max_upload_bytes()}
                )
            try:
                bundle.check(upload)
            except bundle.BundleError as exc:
                raise forms.ValidationError(str(exc)) from exc
        elif upload.size > MAX_SHEET_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


def _visible_runs(user):
    runs = ImportRun.objects.select_related("created_by")
    return runs if user.is_superuser else runs.filter(created_by=user)


def _check(request):
    if not user_may_import(request.user):
        raise PermissionDenied


def index(request):
    """The upload form and the user's recent imports."""
    _check(request)
    may_publish = user_may_publish(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, may_publish=may_publish)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = ImportRun(
            original_filename=Path(upload.name).name,
            options={
                "dry_run": form.cleaned_data["dry_run"],
                "publish": bool(form.cleaned_data.get("publish")),
            },
            created_by=request.user,
        )
        run.file.save(run.original_filename, upload, save=False)
        run.save()
        from heritage.tasks import run_import

        transaction.on_commit(lambda: run_import.enqueue(run.pk))
        return redirect("heritage_import:detail", run.pk)
    return TemplateResponse(
        request,
        "heritage/admin/import_index.html",
        {
            "form": form,
            "runs": _visible_runs(request.user)[:20],
            "teams": Team.objects.editable_by(request.user),
        },
    )


TEMPLATE_TYPES = {
    "csv": (template_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        template_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def template(request, extension):
    """The blank sheet: every column, explained, and an example row in the user's province."""
    _check(request)
    build, content_type = TEMPLATE_TYPES[extension]
    team = Team.objects.editable_by(request.user).select_related("province").first()
    response = HttpResponse(build(team.province.name_vi), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-khao-sat.{extension}"'
    return response


IMPORTED_PER_PAGE = 100


def _imported_rows(run):
    """The report rows of the records the run created or updated, in the sheet's order."""
    if run.dry_run or run.status != ImportRun.Status.DONE:
        return []
    return [row for row in run.report if row["status"] in {CREATED, UPDATED} and row["page_id"]]


def detail(request, pk):
    """Progress while the import runs, then its counts, errors and the records it wrote."""
    _check(request)
    run = get_object_or_404(_visible_runs(request.user), pk=pk)
    rows = _imported_rows(run)
    listed = Paginator(rows, IMPORTED_PER_PAGE).get_page(request.GET.get("p"))
    pages = (
        Page.objects.filter(pk__in=[row["page_id"] for row in listed])
        .prefetch_workflow_states()
        .in_bulk()
    )
    imported = [(row, pages[row["page_id"]]) for row in listed if row["page_id"] in pages]
    errors = [{**error, "label": column_label(error["column"])} for error in run.errors]
    return TemplateResponse(
        request,
        "heritage/admin/import_detail.html",
        {
            "run": run,
            "errors": errors,
            "imported": imported,
            "listed": listed,
            "may_submit": not run.publish
            and count_in_review([row["page_id"] for row in rows]) < len(rows),
        },
    )


@require_POST
def submit(request, pk):
    """Send every draft the run created or updated to review, and say what was sent."""
    _check(request)
    run = get_object_or_404(_visible_runs(request.user), pk=pk, status=ImportRun.Status.DONE)
    page_ids = [row["page_id"] for row in _imported_rows(run)]
    pages = Page.objects.filter(pk__in=page_ids).specific().in_bulk()
    result = submit_for_review([pages[pk] for pk in page_ids if pk in pages], request.user)
    # A record's translations were written by the same rows: they go to review with it.
    translations = submit_for_review(translation_drafts(result.sent), request.user)
    sent = len(result.sent)
    text = ngettext(
        "Sent %(count)s record for review.", "Sent %(count)s records for review.", sent
    ) % {"count": sent}
    if translations.sent:
        text += " " + ngettext(
            "With %(count)s translation.",
            "With %(count)s translations.",
            len(translations.sent),
        ) % {"count": len(translations.sent)}
    result.refused += translations.refused
    if result.refused:
        text += " " + ngettext(
            "%(count)s record could not be sent: %(reasons)s",
            "%(count)s records could not be sent: %(reasons)s",
            len(result.refused),
        ) % {
            "count": len(result.refused),
            "reasons": "; ".join(f"{page.title} ({reason})" for page, reason in result.refused),
        }
        messages.warning(request, text)
    else:
        messages.success(request, text)
    return redirect("heritage_import:detail", run.pk)


def status(request, pk):
    """Progress as JSON, for the progress page to poll."""
    _check(request)
    run = get_object_or_404(_visible_runs(request.user), pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "total": run.total_rows,
            "processed": run.processed_rows,
            "percent": run.percent,
            "finished": run.is_finished,
            "counts": {
                "created": run.created_count,
                "updated": run.updated_count,
                "unchanged": run.unchanged_count,
                "failed": run.failed_count,
            },
        }
    )
