from datetime import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.models import User
from thetsaban.dates import ThaiDateField, formfield
from thetsaban.privacy.choices import IdentityMethod, RequestKind
from thetsaban.privacy.models import Breach


class RequestForm(forms.Form):
    """A member's request about their own personal data."""

    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=RequestKind.choices,
                             widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("Details"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a correction: what is wrong and what it should say. For an objection: "
                    "which use of your data, and why."))


class RecordRequestForm(RequestForm):
    """Staff record a request someone made by letter, e-mail or in person."""

    account = forms.CharField(
        label=_("Member's account"), max_length=254, required=False,
        help_text=_("Username or e-mail address of the account, if the person has one."))
    subject_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    subject_email = forms.EmailField(
        label=_("E-mail"), required=False,
        help_text=_("For someone without an account: the address their reports and messages carry."))
    identity_method = forms.ChoiceField(
        label=_("Identity checked by"),
        choices=[c for c in IdentityMethod.choices if c[0] != IdentityMethod.SIGNED_IN])
    identity_note = forms.CharField(
        label=_("Identity check"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Describe the identity check: what you saw or received.")},
        help_text=_("What you saw or received, such as the last four digits of the ID card."))
    received_on = ThaiDateField(label=_("Received on"), required=False,
                                help_text=_("Empty: today. The 30 days to answer count from it."))

    def clean_account(self):
        text = self.cleaned_data["account"].strip()
        if not text:
            return None
        matches = list(User.objects.filter(Q(username__iexact=text) | Q(email__iexact=text))[:2])
        if len(matches) != 1:
            raise forms.ValidationError(
                _("Member's account: no single account has the username or e-mail “%(text)s”."),
                params={"text": text})
        return matches[0]

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Received on: the day cannot be in the future."))
        return day

    def received_at(self):
        day = self.cleaned_data.get("received_on")
        if not day or day == timezone.localdate():
            return None
        return timezone.make_aware(datetime.combine(day, datetime.min.time()))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("complete", _("Complete the request")), ("refuse", _("Refuse the request"))])
    outcome = forms.CharField(
        label=_("What was done"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the person. For an erasure, completing it erases them now."))
    refusal_reason = forms.CharField(
        label=_("Reason for refusal"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The ground in the law, such as a legal obligation to keep the data."))


def _moment(day, time):
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time or datetime.min.time()))


class BreachForm(forms.ModelForm):
    """A breach as staff record it; moments are a Buddhist Era date and a time."""

    discovered_on = ThaiDateField(label=_("Discovered on"))
    discovered_time = forms.TimeField(label=_("at (time)"), help_text=_("24-hour clock, such as 14:30."))
    pdpc_notified_on = ThaiDateField(label=_("PDPC notified on"), required=False)
    pdpc_notified_time = forms.TimeField(label=_("at (time)"), required=False)
    subjects_notified_on = ThaiDateField(label=_("People affected notified on"), required=False)

    class Meta:
        model = Breach
        fields = ["title", "description", "data_affected", "people_affected", "risk", "measures",
                  "no_notice_reason"]
        formfield_callback = formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        breach = self.instance
        for name in ("discovered", "pdpc_notified", "subjects_notified"):
            moment = getattr(breach, f"{name}_at")
            if moment:
                local = timezone.localtime(moment)
                self.fields[f"{name}_on"].initial = local.date()
                if f"{name}_time" in self.fields:
                    self.fields[f"{name}_time"].initial = local.time().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        breach = self.instance
        breach.discovered_at = _moment(data.get("discovered_on"), data.get("discovered_time"))
        breach.pdpc_notified_at = _moment(data.get("pdpc_notified_on"), data.get("pdpc_notified_time"))
        breach.subjects_notified_at = _moment(data.get("subjects_notified_on"), None)
        now = timezone.now()
        if breach.discovered_at and breach.discovered_at > now:
            self.add_error("discovered_on", _("Discovered on: the moment cannot be in the future."))
        if breach.pdpc_notified_at and breach.discovered_at and breach.pdpc_notified_at < breach.discovered_at:
            self.add_error("pdpc_notified_on", _("PDPC notified on: it cannot be before the breach was discovered."))
        return data
