from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class CoachingConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.coaching"
    label = "coaching"
    privacy = "thetsaban.coaching.privacy"
    verbose_name = _("Coach pool")
    urls = (("coaching/matching/", "thetsaban.coaching.matching_urls"), ("coaching/", "thetsaban.coaching.urls"))
    api = ("thetsaban.coaching.api", "thetsaban.coaching.matching_api")
    search = "thetsaban.coaching.search"
    demo = (_("coaches"), "thetsaban.coaching.demo.load")
    navigation = (
        hooks.NavLink("coaching:list", _("Coaches"), 40),
        hooks.NavLink("coaching:coverage", _("Coverage"), 50),
        hooks.NavLink("coaching:review_queue", _("Coach applications"), 120, audience="reviewer"),
        hooks.NavLink("matching:home", _("Matching"), 140, audience="staff"),
    )
    mypage = (hooks.MyPageSection("coaching/mypage_section.html", "thetsaban.coaching.mypage.section"),)
