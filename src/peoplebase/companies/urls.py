"""Company pages under /companies/."""

from django.urls import path

from peoplebase.companies import views

app_name = "companies"
urlpatterns = [
    path("", views.company_list, name="company_list"),
    path("new/", views.company_create, name="company_create"),
    path("<int:company_id>/", views.company_detail, name="company_detail"),
    path("<int:company_id>/edit/", views.company_edit, name="company_edit"),
    path("<int:company_id>/archive/", views.company_archive, name="company_archive"),
    path("<int:company_id>/restore/", views.company_restore, name="company_restore"),
    path("<int:company_id>/delete/", views.company_delete, name="company_delete"),
]
