"""/lettre/ and its links. The URL names are global (no namespace): templates of other apps
link to `digest_subscribe`, and e-mails already sent carry these paths."""

from django.urls import path

from letter import views

urlpatterns = [
    path("", views.subscribe_view, name="digest_subscribe"),
    path("merci/", views.subscribe_sent_view, name="digest_subscribe_sent"),
    path("confirmer/<str:token>/", views.confirm_view, name="digest_confirm"),
    path("desinscription/<str:token>/", views.unsubscribe_view, name="digest_unsubscribe"),
]
