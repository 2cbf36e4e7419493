from django.utils.translation import gettext_lazy as _

from thetsaban import hooks


class ParticipationConfig(hooks.ThetsabanAppConfig):
    name = "thetsaban.participation"
    label = "participation"
    privacy = "thetsaban.participation.privacy"
    verbose_name = _("Participation")
    urls = (("participation/", "thetsaban.participation.urls"),)
    api = ("thetsaban.participation.api",)
    search = "thetsaban.participation.search"
    demo = (_("proposals and comments (example data)"), "thetsaban.participation.demo.load")
    # Bottom-up proposals get comments, followers and supporters; enough supporters bring one to staff.
    participation_targets = {"proposal": hooks.ParticipationTarget("participation.Proposal", moderated=True,
                                                                   endorsable=True)}
    navigation = (
        hooks.NavLink("participation:proposals", _("Proposals"), 70),
        hooks.NavLink("participation:me", _("My page"), 5, audience="signed_in"),
        hooks.NavLink("participation:proposal_queue", _("Proposals to decide"), 125, audience="staff"),
        hooks.NavLink("participation:moderation", _("Moderation"), 130, audience="moderator"),
    )

    def ready(self):
        from thetsaban.participation import notify

        hooks.record_changed.connect(notify.on_record_changed, dispatch_uid="participation-followers")
