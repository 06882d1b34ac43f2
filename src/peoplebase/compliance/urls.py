from django.urls import path

from peoplebase.compliance import views

app_name = "compliance"

urlpatterns = [
    path("contacts/<int:contact_id>/export-data/", views.contact_export, name="contact_export"),
    path("contacts/<int:contact_id>/erase/", views.contact_erase, name="contact_erase"),
    path("settings/compliance/", views.compliance_settings, name="settings"),
    path("settings/compliance/erasures/<int:job_id>/", views.erasure_job, name="erasure_job"),
    path(
        "settings/compliance/erasures/<int:job_id>/resume/",
        views.erasure_job_resume,
        name="erasure_job_resume",
    ),
    path("settings/compliance/suppressions/", views.suppression_add, name="suppression_add"),
    path(
        "settings/compliance/suppressions/lift/",
        views.suppression_lift,
        name="suppression_lift",
    ),
    path("settings/compliance/officers/<int:user_id>/", views.officer_set, name="officer_set"),
]
