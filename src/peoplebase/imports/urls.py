"""Import wizard pages under /contacts/import/."""

from django.urls import path

from peoplebase.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_start, name="start"),
    path("<int:job_id>/", views.import_job, name="job"),
    path("<int:job_id>/map/", views.import_map, name="map"),
    path("<int:job_id>/options/", views.import_options, name="options"),
    path("<int:job_id>/preview/", views.import_preview, name="preview"),
    path("<int:job_id>/cancel/", views.import_cancel, name="cancel"),
    path("<int:job_id>/undo/", views.import_undo, name="undo"),
    path("<int:job_id>/rejected.csv", views.import_rejected, name="rejected"),
]
