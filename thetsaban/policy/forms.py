"""Forms of the recommendation editor and of its timeline."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from thetsaban import dates, thai
from thetsaban.accounts.models import User
from thetsaban.directory.models import Organisation
from thetsaban.directory.pickers import ORGANISATIONS
from thetsaban.permissions import is_staff
from thetsaban.pickers import PickerField, PickerMultipleField
from thetsaban.places.models import Lgu
from thetsaban.places.pickers import LGUS
from thetsaban.policy.choices import APPROVAL_STATUSES, RecommendationStatus
from thetsaban.policy.models import Recommendation, RecommendationActor, RecommendationUpdate
from thetsaban.policy.services import INITIAL_STATUSES
from thetsaban.practices.models import Practice, Theme
from thetsaban.practices.pickers import PRACTICES
from thetsaban.transfers.models import Issue, TransferProject

_TEXT_AREA = forms.Textarea(attrs={"rows": 4})


class RecommendationForm(forms.ModelForm):
    """A recommendation: what, why, who, by when, toward what target; evidence links."""

    lgu_list = PickerMultipleField(
        LGUS, separator=",", queryset=Lgu.objects.all(), label=_("LGUs"), required=False,
        help_text=_("The LGUs the recommendation comes from: name, short name (ทน.สงขลา) or code "
                    "of each, separated by commas."))

    class Meta:
        model = Recommendation
        formfield_callback = dates.formfield
        fields = [
            "level", "themes", "title", "issue", "sub_issue", "problem", "effect",
            "recommendation", "lgu_codes", "issues", "projects", "practices", "documents",
            "owner", "status", "planned_start", "planned_end", "actual_start", "actual_end",
            "target_what", "target_amount", "target_date", "target_source", "source",
        ]
        widgets = {
            "problem": _TEXT_AREA, "effect": _TEXT_AREA, "recommendation": _TEXT_AREA,
            "documents": forms.Textarea(attrs={"rows": 3}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Left empty, the first line of the recommendation.")
        self.fields["themes"].queryset = Theme.objects.restrict(user, "view")
        self.fields["issues"].queryset = Issue.objects.restrict(user, "view").select_related("project")
        self.fields["projects"].queryset = TransferProject.objects.restrict(user, "view")
        self.fields["practices"] = PickerMultipleField(
            PRACTICES, separator=";", required=False, label=self.fields["practices"].label,
            queryset=Practice.objects.restrict(user, "view").published(),
            help_text=_("Type part of each title or the LGU's name and choose; separate practices with “;”."))
        if is_staff(user):
            self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("username")
        else:
            del self.fields["owner"]
        if self.instance.pk:
            # Status and progress change through the timeline, with a date and a reason.
            del self.fields["status"]
        else:
            self.fields["status"].choices = [(s.value, s.label) for s in RecommendationStatus
                                             if s in INITIAL_STATUSES]
            self.fields["status"].help_text = _("A draft is seen only by you and the staff.")
        self.fields["lgu_list"].queryset = Lgu.objects.restrict(user, "view")
        if self.instance.pk:
            self.initial["lgu_list"] = list(self.instance.lgus.all())

    def clean(self):
        data = super().clean()
        for name in Recommendation.TEXT_FIELDS:
            if isinstance(data.get(name), str):
                data[name] = thai.clean(data[name])
        return data


ActorFormSet = inlineformset_factory(
    Recommendation, RecommendationActor, fields=["organisation", "role", "note"], extra=2,
    can_delete=True)


def actor_formset(data=None, instance=None):
    """The agencies and partners of a recommendation, choosing among all organisations."""
    formset = ActorFormSet(data, instance=instance, prefix="actors")
    for form in formset.forms + [formset.empty_form]:
        form.fields["organisation"] = PickerField(
            ORGANISATIONS, label=form.fields["organisation"].label, required=False,
            queryset=Organisation.objects.restrict(None, "view"),
            help_text=_("Type part of the name or the abbreviation, and choose."))
    return formset


def actors_from(formset) -> list[tuple]:
    """(organisation, role, note) of the formset's filled, not deleted rows."""
    actors = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE") or not data.get("organisation") or not data.get("role"):
            continue
        actors.append((data["organisation"], data["role"], data.get("note", "")))
    return actors


class UpdateForm(forms.ModelForm):
    """A dated step on the timeline, optionally changing the status or progress, with a file."""

    class Meta:
        model = RecommendationUpdate
        formfield_callback = dates.formfield
        fields = ["date", "text", "status", "progress", "attachment"]
        widgets = {"text": _TEXT_AREA}

    def __init__(self, *args, approval_refusal: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False
        self.fields["progress"].help_text = _("From 0 to 100; leave empty to keep it.")
        self.approval_refusal = approval_refusal
        if approval_refusal:
            # The statuses that say the recommendation was accepted need another person: they
            # are not offered (and refused with the reason if sent anyway).
            status = self.fields["status"]
            status.widget.choices = [c for c in status.choices if c[0] not in APPROVAL_STATUSES]
            status.help_text = approval_refusal

    def clean_status(self):
        status = self.cleaned_data.get("status")
        if self.approval_refusal and status in APPROVAL_STATUSES:
            raise forms.ValidationError(self.approval_refusal)
        return status
