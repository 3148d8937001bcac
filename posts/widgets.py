"""Admin choosers that send a form holding a malformed id back to the editor instead of failing.

Only a forged or damaged request gives a chooser something other than an object's id. The form
field refuses it, but Wagtail's chooser then looked the value up again to redraw the form, and a
value that is not a number failed that lookup with a server error; on SQLite, a number beyond 64
bits already failed in the form field. Such a value now stands for no object: the form comes
back with « Sélectionnez un choix valide ».
"""

from wagtail.admin.widgets import AdminPageChooser
from wagtail.images.widgets import AdminImageChooser

LARGEST_ID = 2**63 - 1
NO_OBJECT = "0"  # ids start at 1


def is_object_id(value) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and int(value) <= LARGEST_ID


class MalformedIdMixin:
    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if value is None or is_object_id(value):
            return value
        return NO_OBJECT


class ImageChooser(MalformedIdMixin, AdminImageChooser):
    pass


# Panels take these classes, not instances: a chooser needs the models loaded to be built.
class ActeurChooser(MalformedIdMixin, AdminPageChooser):
    def __init__(self, **kwargs):
        super().__init__(target_models=["posts.ActeurPage"], **kwargs)


class PortraitChooser(MalformedIdMixin, AdminPageChooser):
    def __init__(self, **kwargs):
        super().__init__(target_models=["posts.PortraitPage"], **kwargs)
