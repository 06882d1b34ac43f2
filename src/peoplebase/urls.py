"""URL map: the web UI per app, the REST API under /api/v1."""

from django.urls import include, path

from peoplebase.api.router import api

urlpatterns = [
    path("", include("peoplebase.web.urls")),
    path("", include("peoplebase.merges.urls")),
    path("contacts/views/", include("peoplebase.segments.urls")),
    path("contacts/bulk/", include("peoplebase.bulk.urls")),
    path("contacts/import/", include("peoplebase.imports.urls")),
    path("exports/", include("peoplebase.exports.urls")),
    path("contacts/", include("peoplebase.contacts.urls")),
    path("companies/", include("peoplebase.companies.urls")),
    path("leads/", include("peoplebase.leads.urls")),
    path("settings/", include("peoplebase.users.urls")),
    # The queue under /duplicates/, its settings under /settings/deduplication/.
    path("", include("peoplebase.duplicates.urls")),
    path("api/v1/", api.urls),
    # GDPR pages live beside the contact and settings pages they belong to.
    path("", include("peoplebase.compliance.urls")),
]
