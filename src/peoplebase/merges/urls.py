"""Merge pages: the merge form under /contacts/merge/, history and undo under /merges/."""

from django.urls import path

from peoplebase.merges import views

app_name = "merges"
urlpatterns = [
    path("contacts/merge/", views.merge_page, name="merge_page"),
    path("merges/", views.merge_list, name="merge_list"),
    path("merges/settings/", views.merge_settings, name="merge_settings"),
    path("merges/<int:merge_id>/", views.merge_detail, name="merge_detail"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
]
