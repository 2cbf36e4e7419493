"""Records named in Thai and English: the name shown follows the active language."""

from django.utils.translation import get_language


class BilingualName:
    """A mixin for a model with `name_th` and `name_en`: `name` in the active language, falling
    back to Thai when there is no English name."""

    @property
    def name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_th
