"""Review queue pages under /duplicates/."""

from django.urls import path

from peoplebase.duplicates import views

app_name = "duplicates"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("scan/", views.scan, name="scan"),
    path("<int:suggestion_id>/dismiss/", views.dismiss, name="dismiss"),
    path("<int:suggestion_id>/skip/", views.skip, name="skip"),
]
