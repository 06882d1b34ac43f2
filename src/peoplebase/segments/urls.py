"""Saved view actions posted from the contact list (opening a view is `/contacts/?view=<id>`)."""

from django.urls import path

from peoplebase.segments import views

app_name = "segments"
urlpatterns = [
    path("", views.view_create, name="view_create"),
    path("<int:view_id>/update/", views.view_update, name="view_update"),
    path("<int:view_id>/delete/", views.view_delete, name="view_delete"),
]
