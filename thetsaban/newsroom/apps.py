from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class NewsroomConfig(hooks.ThetsabanAppConfig):
    """The newsroom (news of the league and the learning centres, with feeds) and the joint
    undertakings of LGUs."""

    name = "thetsaban.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")
    urls = (("news/", "thetsaban.newsroom.urls"),)
    api = ("thetsaban.newsroom.api",)
    demo = (_("news and joint undertakings"), "thetsaban.newsroom.demo.load")
    privacy = "thetsaban.newsroom.privacy"
    navigation = (
        hooks.NavLink("newsroom:list", _("News"), 77),
    )
    lgu_page = (
        hooks.LguPageSection("newsroom/lgu_undertakings.html", "thetsaban.newsroom.sections.lgu_undertakings", 50),
    )
