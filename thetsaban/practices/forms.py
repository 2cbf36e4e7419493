"""Forms of the practice editor and of the review queue."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from thetsaban import dates, thai
from thetsaban.directory.models import Organisation, Person
from thetsaban.directory.pickers import ORGANISATIONS, PERSONS
from thetsaban.permissions import editable_lgu_ids, is_staff
from thetsaban.pickers import PickerField, PickerMultipleField
from thetsaban.places.models import Lgu
from thetsaban.places.pickers import LGUS
from thetsaban.practices.choices import Tier
from thetsaban.practices.models import (
    ALLOWED_ATTACHMENTS,
    Practice,
    PracticeAttachment,
    PracticePartner,
    PracticeResult,
    PracticeStep,
    Theme,
)

_TEXT_AREA = forms.Textarea(attrs={"rows": 4})
_SHORT_AREA = forms.Textarea(attrs={"rows": 2})


class PracticeForm(forms.ModelForm):
    """The practice itself; the LGU is one the user edits for (any LGU for staff)."""

    class Meta:
        model = Practice
        formfield_callback = dates.formfield
        fields = [
            "lgu", "title_th", "title_en", "themes", "maturity", "summary", "situation_before",
            "objectives", "resources", "budget_baht", "start_date", "end_date",
            "transferability", "lessons", "failures", "recognition", "recognition_detail",
            "contacts",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "situation_before": _TEXT_AREA, "objectives": _TEXT_AREA, "resources": _TEXT_AREA,
            "transferability": _TEXT_AREA, "lessons": _TEXT_AREA, "failures": _TEXT_AREA,
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        lgus = Lgu.objects.restrict(user, "view").select_related("province")
        if is_staff(user):
            # Any of the ~7,800 LGUs: typed and suggested rather than a list.
            self.fields["lgu"] = PickerField(
                LGUS, queryset=lgus, label=self.fields["lgu"].label,
                help_text=_("Type the LGU's name, short name (ทน.สงขลา) or code, and choose."))
        else:
            # An editor's own few LGUs.
            self.fields["lgu"].queryset = lgus.filter(pk__in=editable_lgu_ids(user))
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["contacts"] = PickerMultipleField(
            PERSONS, separator=";", required=False, label=self.fields["contacts"].label,
            queryset=Person.objects.restrict(user, "view"),
            help_text=_("Type part of each name and choose; separate people with “;”."))

    def clean(self):
        data = super().clean()
        for name in ("title_th", "title_en", "summary"):
            if data.get(name):
                data[name] = thai.clean(data[name])
        if not (data.get("title_th") or "").strip() and "title_th" not in self.errors:
            self.add_error("title_th", _("Write the title in Thai."))
        return data


class StepForm(forms.ModelForm):
    class Meta:
        model = PracticeStep
        fields = ["position", "title", "description", "output", "people", "budget", "lessons"]
        widgets = {"description": _SHORT_AREA, "output": _SHORT_AREA, "people": _SHORT_AREA,
                   "lessons": _SHORT_AREA}


class ResultForm(forms.ModelForm):
    class Meta:
        model = PracticeResult
        fields = ["description", "indicator", "baseline", "value", "unit"]
        widgets = {"description": _SHORT_AREA}


class PartnerForm(forms.ModelForm):
    class Meta:
        model = PracticePartner
        fields = ["organisation", "name", "support", "detail"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = PickerField(
            ORGANISATIONS, required=False, label=self.fields["organisation"].label,
            queryset=Organisation.objects.restrict(None, "view"),
            help_text=_("Type part of the name or the abbreviation, and choose."))

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not (data.get("name") or "").strip():
            raise forms.ValidationError(_("Choose an organisation or write the partner's name."))
        return data


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = PracticeAttachment
        fields = ["kind", "title", "file"]
        widgets = {"file": forms.ClearableFileInput(
            attrs={"accept": ",".join(sorted(ALLOWED_ATTACHMENTS))})}


StepFormSet = inlineformset_factory(Practice, PracticeStep, form=StepForm, extra=2,
                                    can_delete=True)
ResultFormSet = inlineformset_factory(Practice, PracticeResult, form=ResultForm, extra=1,
                                      can_delete=True)
PartnerFormSet = inlineformset_factory(Practice, PracticePartner, form=PartnerForm, extra=1,
                                       can_delete=True)
AttachmentFormSet = inlineformset_factory(Practice, PracticeAttachment, form=AttachmentForm,
                                          extra=1, can_delete=True)

FORMSETS = (("steps", StepFormSet), ("results", ResultFormSet), ("partners", PartnerFormSet),
            ("attachments", AttachmentFormSet))


class PublishForm(forms.Form):
    """A reviewer publishes at a tier, optionally with a comment to the editor."""

    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    comment = forms.CharField(label=_("Comment to the editor"), required=False,
                              widget=_SHORT_AREA, max_length=4000)


class ReturnForm(forms.Form):
    """A reviewer returns a practice with the changes the editor should make."""

    comment = forms.CharField(label=_("What should change"), widget=_TEXT_AREA, max_length=4000)
