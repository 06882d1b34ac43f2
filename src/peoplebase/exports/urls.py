"""Export pages under /exports/."""

from django.urls import path

from peoplebase.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="export_list"),
    path("contacts/", views.export_start, name="export_start"),
    path("<int:export_id>/download/", views.export_download, name="export_download"),
]
