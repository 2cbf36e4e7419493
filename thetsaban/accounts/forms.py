from django import forms
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.choices import RequestedRole
from thetsaban.accounts.models import Profile, RoleRequest


def _lgu_choices(form, user):
    """The LGU field offers the LGUs `user` may see (the model is read from the field, so this
    app needs no import of the places app above it)."""
    field = form.fields["lgu"]
    field.queryset = field.queryset.model._default_manager.restrict(user, "view")


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)

    class Meta:
        model = Profile
        fields = ["first_name", "last_name", "affiliation", "lgu", "languages", "email_notifications"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        _lgu_choices(self, user)


class RoleRequestForm(forms.ModelForm):
    class Meta:
        model = RoleRequest
        fields = ["role", "lgu", "reason"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.user = user
        _lgu_choices(self, user)
        profile = Profile.objects.filter(user=user).first()
        if profile and profile.lgu_id and not self.is_bound:
            self.fields["lgu"].initial = profile.lgu_id

    def clean(self):
        data = super().clean()
        if data.get("role") != RequestedRole.LGU_EDITOR:
            # Only an LGU editor's request names an LGU.
            data["lgu"] = None
            self.instance.lgu = None
        elif not data.get("lgu"):
            self.add_error("lgu", _("Choose the LGU you want to edit for."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Grant")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Note to the member"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_("I understand that staff will delete or anonymise my account and that this "
                "cannot be undone."))
