from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Evaluation and selection")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the receivers
