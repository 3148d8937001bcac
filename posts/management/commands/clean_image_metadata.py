"""Re-encode the images stored before every upload was cleaned (see posts.images): run once
after upgrading; running it again changes nothing."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.images import get_image_model

from agora.commands import VerbosityCommand
from posts.images import clean_stored_image


class Command(VerbosityCommand):
    help = gettext_lazy(
        "Retire la position GPS, le numéro de série de l'appareil, les commentaires et le XMP des "
        "images déjà enregistrées, et efface leurs déclinaisons, qui seront redessinées sans eux."
    )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        cleaned = failed = 0
        images = get_image_model().objects.order_by("pk")
        for image in images.iterator():
            try:
                changed = clean_stored_image(image)
            except (OSError, ValidationError) as error:
                failed += 1
                message = error.messages[0] if isinstance(error, ValidationError) else str(error)
                self.stderr.write(
                    _("Image n° %(pk)s « %(title)s » laissée telle quelle : %(error)s")
                    % {"pk": image.pk, "title": image.title, "error": message}
                )
                continue
            if changed:
                cleaned += 1
                self.say(
                    _("  image n° %(pk)s « %(title)s » nettoyée") % {"pk": image.pk, "title": image.title},
                    level=2,
                )
        self.say(
            _("Images nettoyées : %(cleaned)s sur %(total)s ; en échec : %(failed)s.")
            % {"cleaned": cleaned, "total": images.count(), "failed": failed}
        )
