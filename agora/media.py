"""Public uploads served by Django itself on a laptop (DEBUG), as the reverse proxy serves them in
production: never the originals of images (only renditions are linked; an original may carry
the camera's metadata), nor the uploads Wagtail keeps aside while their form is incomplete.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

HIDDEN_FOLDERS = frozenset({"original_images", "uploaded_files"})


def serve_public_media(request, path):
    # Checked on the path the file system will see: "//", "./" or "../", percent-encoded or
    # not, must not lead around the check. Lower case: a laptop's disk may ignore case.
    path = posixpath.normpath(path).lstrip("/")
    if path.split("/", 1)[0].lower() in HIDDEN_FOLDERS:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
