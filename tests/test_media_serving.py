"""Public uploads are served without their originals: only renditions of images are reachable."""

import importlib

import pytest

from django.urls import clear_url_caches


@pytest.fixture
def laptop_urls(settings):
    """The URLs as `make run` has them (DEBUG on: Django serves /media/ itself)."""
    settings.DEBUG = True
    urls = importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(urls)
    clear_url_caches()


def test_renditions_are_served_but_never_the_original_image(laptop_urls, make_image, client):
    image = make_image("Fête de quartier")
    rendition = image.get_rendition("max-320x200")

    assert client.get(rendition.url).status_code == 200
    assert image.file.name.startswith("original_images/")
    assert client.get(f"/media/{image.file.name}").status_code == 404
