"""Settings pages under /settings/: users, API tokens, custom fields and the workspace."""

from django.urls import path

from peoplebase.customfields import views as custom_field_views
from peoplebase.users import views

app_name = "users"
urlpatterns = [
    path("", views.settings_home, name="settings_home"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:user_id>/", views.user_edit, name="user_edit"),
    path("tokens/", views.token_list, name="token_list"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("workspace/", views.workspace_settings, name="workspace_settings"),
    path("custom-fields/", custom_field_views.custom_field_list, name="custom_field_list"),
    path(
        "custom-fields/<int:field_id>/",
        custom_field_views.custom_field_edit,
        name="custom_field_edit",
    ),
    path(
        "custom-fields/<int:field_id>/archive/",
        custom_field_views.custom_field_archive,
        name="custom_field_archive",
    ),
]
