"""Bulk action pages under /contacts/bulk/."""

from django.urls import path

from peoplebase.bulk import views

app_name = "bulk"
urlpatterns = [
    path("", views.bulk_start, name="start"),
    path("<int:job_id>/", views.bulk_job, name="job"),
    path("<int:job_id>/cancel/", views.bulk_cancel, name="cancel"),
    path("<int:job_id>/download/", views.bulk_download, name="download"),
]
