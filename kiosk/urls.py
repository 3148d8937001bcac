"""Under /kiosque/ (agora.urls)."""

from django.urls import path

from kiosk import views

urlpatterns = [
    path("", views.kiosk_home, name="kiosk_home"),
    path("reinitialiser/", views.kiosk_reset, name="kiosk_reset"),
    path("quitter/", views.kiosk_leave, name="kiosk_leave"),
]
