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


@pytest.mark.parametrize(
    "spelling",
    [
        "/media//{name}",
        "/media/./{name}",
        "/media/images/../{name}",
        "/media/%2F{name}",
        "/media/%2E/{name}",
        "/media/images/%2E%2E/{name}",
        "/media/uploaded_files/{file}",
    ],
)
def test_original_images_are_never_served_whatever_the_path_spelling(
    laptop_urls, make_image, client, settings, spelling
):
    image = make_image("Fête de quartier")
    rendition = image.get_rendition("max-320x200")
    file = image.file.name.split("/", 1)[1]
    # The same bytes kept aside as Wagtail's multiple uploader does, before the form is complete.
    kept_aside = settings.MEDIA_ROOT / "uploaded_files" / file
    kept_aside.parent.mkdir(exist_ok=True)
    with image.file.open("rb") as original:
        kept_aside.write_bytes(original.read())

    url = spelling.format(name=image.file.name, file=file)

    assert client.get(url).status_code == 404
    assert client.get(rendition.url).status_code == 200
