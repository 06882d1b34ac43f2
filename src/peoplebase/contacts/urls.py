"""Contact pages: list, detail, create/edit and the actions posted from the detail page."""

from django.urls import path

from peoplebase.contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="contact_list"),
    path("count/", views.contact_count, name="contact_count"),
    path("new/", views.contact_create, name="contact_create"),
    path("duplicates/", views.contact_duplicates_check, name="contact_duplicates_check"),
    path("<int:contact_id>/", views.contact_detail, name="contact_detail"),
    path("<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:contact_id>/archive/", views.contact_archive, name="contact_archive"),
    path("<int:contact_id>/restore/", views.contact_restore, name="contact_restore"),
    path("<int:contact_id>/delete/", views.contact_delete, name="contact_delete"),
    path("<int:contact_id>/job-change/", views.contact_job_change, name="contact_job_change"),
    path("<int:contact_id>/tags/add/", views.contact_tag_add, name="contact_tag_add"),
    path("<int:contact_id>/tags/remove/", views.contact_tag_remove, name="contact_tag_remove"),
    path("<int:contact_id>/notes/add/", views.note_add, name="note_add"),
    path("notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
    path("notes/<int:note_id>/delete/", views.note_delete, name="note_delete"),
    path("<int:contact_id>/accounts/add/", views.relation_add, name="relation_add"),
    path("accounts/<int:relation_id>/remove/", views.relation_remove, name="relation_remove"),
]
