from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class LearningConfig(hooks.ThetsabanAppConfig):
    """The learning network: the five regional centres, their events, certificates and courses."""

    name = "thetsaban.learning"
    label = "learning"
    verbose_name = _("Learning network")
    urls = (("learning/", "thetsaban.learning.urls"),)
    api = ("thetsaban.learning.api",)
    demo = (_("learning network"), "thetsaban.learning.demo.load")
    privacy = "thetsaban.learning.privacy"
    coach_page = (
        hooks.CoachPageSection("learning/coach_courses.html", "thetsaban.learning.sections.coach_courses", 50),
    )
    navigation = (
        hooks.NavLink("learning:index", _("Learning network"), 75),
    )
