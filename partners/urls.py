"""URLs of the partner workspace, mounted at /espace-partenaires/ (French paths)."""

from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("connexion/", views.WorkspaceLoginView.as_view(), name="login"),
    path("deconnexion/", views.logout, name="logout"),
    # Shared folders and files
    path("dossiers/", views.folder_list, name="folder_list"),
    path("dossiers/nouveau/", views.folder_create, name="folder_create"),
    path("dossiers/<int:pk>/", views.folder_detail, name="folder_detail"),
    path("dossiers/<int:pk>/ajouter/", views.folder_upload, name="folder_upload"),
    path("dossiers/<int:pk>/partage/", views.folder_shares, name="folder_shares"),
    path("dossiers/<int:pk>/supprimer/", views.folder_delete, name="folder_delete"),
    path("fichiers/<int:pk>/", views.file_detail, name="file_detail"),
    path("fichiers/<int:pk>/nouvelle-version/", views.file_new_version, name="file_new_version"),
    path("fichiers/<int:pk>/telecharger/", views.file_download, name="file_download"),
    path("fichiers/<int:pk>/supprimer/", views.file_delete, name="file_delete"),
    path("versions/<int:pk>/telecharger/", views.version_download, name="version_download"),
    # Job-seeker follow-up
    path("personnes/", views.record_list, name="record_list"),
    path("personnes/nouvelle/", views.record_create, name="record_create"),
    path("personnes/<int:pk>/", views.record_detail, name="record_detail"),
    path("personnes/<int:pk>/modifier/", views.record_edit, name="record_edit"),
    path("personnes/<int:pk>/notes/nouvelle/", views.note_create, name="note_create"),
    path("personnes/<int:pk>/accords/nouveau/", views.consent_create, name="consent_create"),
    path("personnes/<int:pk>/export/", views.record_export, name="record_export"),
    path("personnes/<int:pk>/export.json", views.record_export_json, name="record_export_json"),
    path("personnes/<int:pk>/effacer/", views.record_erase, name="record_erase"),
    path("personnes/<int:pk>/journal/", views.record_log, name="record_log"),
    path("notes/<int:pk>/modifier/", views.note_edit, name="note_edit"),
    path("accords/<int:pk>/retirer/", views.consent_withdraw, name="consent_withdraw"),
]
