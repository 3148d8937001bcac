"""Image renditions come from their own cache, and reading them there does not write them again."""

import pytest

from django.core.cache import caches


@pytest.fixture
def event_with_image(make_event, make_image):
    return make_event(
        "Repair café", image=make_image("Atelier réparation"), image_alt="Un grille-pain ouvert"
    )


def test_renditions_read_from_the_cache_are_not_written_back(client, event_with_image, monkeypatch):
    """Pages prefetch their renditions with the page; an image shown elsewhere (a body block, a
    template of its own) asks the renditions cache, and what it reads there is not written back
    (agora.rendition_cache, wagtail/wagtail#14541)."""
    from django.template import engines

    from wagtail.images import get_image_model

    picture = engines["django"].from_string(
        '{% load wagtailimages_tags %}{% picture image format-{avif,jpeg} max-480x360 alt="Un grille-pain" %}'
    )
    image_id = event_with_image.image_id
    picture.render({"image": get_image_model().objects.get(pk=image_id)})  # creates and stores them
    renditions = caches["renditions"]
    reads, writes = [], []
    read = renditions.get_many
    monkeypatch.setattr(
        renditions, "get_many", lambda keys, **kw: reads.append(found := read(keys, **kw)) or found
    )
    monkeypatch.setattr(renditions, "set_many", lambda data, *a, **kw: writes.append(data))
    monkeypatch.setattr(renditions, "set", lambda key, value, *a, **kw: writes.append({key: value}))

    html = picture.render({"image": get_image_model().objects.get(pk=image_id)})

    assert 'type="image/avif"' in html and 'alt="Un grille-pain"' in html
    assert reads and all(reads), "the renditions came from the cache"
    assert writes == []


def test_first_view_stores_the_renditions_it_made(client, event_with_image):
    client.get(event_with_image.url)

    image = event_with_image.image
    rendition = image.renditions.first()
    key = rendition.construct_cache_key(image, rendition.focal_point_key, rendition.filter_spec)
    assert caches["renditions"].get(key) is not None


def test_card_picture_is_the_markup_of_wagtails_picture_tag(event_with_image):
    from django.template import engines

    render = engines["django"].from_string
    context = {"image": event_with_image.image}
    wagtails = render(
        "{% load wagtailimages_tags %}{% picture image format-{avif,webp,jpeg} fill-{320x200,640x400} "
        'sizes="(max-width: 40rem) 100vw, 20rem" alt="Un grille-pain" loading="lazy" class="card__image" %}'
    ).render(context)
    cards = render('{% load cards %}{% card_picture image "Un grille-pain" %}').render(context)

    assert cards == wagtails
    assert cards.count("<source") == 2 and 'alt="Un grille-pain"' in cards
