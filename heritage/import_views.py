"""Admin screens for importing a field-survey sheet: upload, progress, report."""

from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from heritage.access import user_is_officer
from heritage.importing import bundle
from heritage.models import ImportRun, Team
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


def detail(request, pk):
    """Progress while the import runs, then its counts and errors."""
    _check(request)
    run = get_object_or_404(_visible_runs(request.user), pk=pk)
    return TemplateResponse(request, "heritage/admin/import_detail.html", {"run": run})


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
