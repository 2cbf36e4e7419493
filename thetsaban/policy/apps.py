from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class PolicyConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.policy"
    label = "policy"
    verbose_name = _("Policy recommendations")
    urls = (("policy/", "thetsaban.policy.urls"),)
    api = ("thetsaban.policy.api",)
    search = "thetsaban.policy.search"
    demo = (_("policy recommendations"), "thetsaban.policy.demo.load")
    participation_targets = {"recommendation": hooks.ParticipationTarget("policy.Recommendation", endorsable=True)}
    navigation = (hooks.NavLink("policy:list", _("Recommendations"), 60),)
