from django.urls import path

from heritage import coverage_views

app_name = "heritage_coverage"
urlpatterns = [
    path("", coverage_views.report, name="report"),
    path("coverage.csv", coverage_views.export_csv, name="csv"),
    path("coverage.xlsx", coverage_views.export_xlsx, name="xlsx"),
]
