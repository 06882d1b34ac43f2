"""Review queue pages under /duplicates/ and Settings › Deduplication."""

from django.urls import path

from peoplebase.duplicates import views

app_name = "duplicates"
urlpatterns = [
    path("duplicates/", views.queue, name="queue"),
    path("duplicates/scan/", views.scan, name="scan"),
    path("duplicates/<int:suggestion_id>/dismiss/", views.dismiss, name="dismiss"),
    path("duplicates/<int:suggestion_id>/skip/", views.skip, name="skip"),
    path("settings/deduplication/", views.settings_page, name="settings"),
]
