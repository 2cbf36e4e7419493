"""Forms of the coach application, the vetting queue, trainings and the import."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from thetsaban import dates, thai
from thetsaban.coaching.choices import TrainingKind
from thetsaban.coaching.models import Coach, Competency, Language
from thetsaban.directory.choices import Visibility
from thetsaban.directory.models import Organisation
from thetsaban.directory.pickers import ORGANISATIONS
from thetsaban.pickers import PickerField
from thetsaban.places.forms import LguImportForm
from thetsaban.places.models import Province
from thetsaban.practices.models import Theme


class ApplicationForm(forms.ModelForm):
    """A member's application to the coach pool, with how they appear in the directory."""

    name_th = forms.CharField(label=_("Your name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Your name (English)"), max_length=200, required=False)
    honorific = forms.CharField(label=_("Honorific"), max_length=40, required=False,
                                help_text=_("For example ดร., ผศ. or นาย."))
    listing_consent = forms.BooleanField(
        label=_("I agree to be listed in the coach registry and the directory"), required=False,
        help_text=_("Without your consent your name is shown to reviewers and league staff "
                    "only. You can withdraw it at any time."))
    visibility = forms.ChoiceField(
        label=_("Who may see my entry"), choices=Visibility.choices, initial=Visibility.MEMBERS)

    class Meta:
        model = Coach
        fields = ["themes", "languages", "home_province", "affiliation", "capacity",
                  "availability", "motivation"]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "motivation": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["languages"].queryset = Language.objects.all()
        self.fields["home_province"].queryset = Province.objects.select_related("region")
        self.fields["affiliation"] = PickerField(
            ORGANISATIONS, label=self.fields["affiliation"].label, required=False,
            queryset=Organisation.objects.restrict(user, "view"),
            help_text=_("Type part of the name or the abbreviation, and choose."))
        person = getattr(user, "person", None) if user is not None else None
        if person is not None:
            for name in ("name_th", "name_en", "honorific", "listing_consent", "visibility"):
                self.fields[name].initial = getattr(person, name)
        elif user is not None and not self.is_bound:
            self.fields["name_th"].initial = user.get_full_name()

    def clean_name_th(self):
        name = thai.clean(self.cleaned_data["name_th"])
        if not name:
            raise forms.ValidationError(_("Write your name in Thai."))
        return name

    def person_values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in
                ("name_th", "name_en", "honorific", "listing_consent", "visibility")}

    def coach_values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in
                ("home_province", "affiliation", "capacity", "availability", "motivation")}


class CompetencyForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = ["theme", "title", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 2})}


CompetencyFormSet = inlineformset_factory(
    Coach, Competency, form=CompetencyForm, extra=2, can_delete=True, max_num=30,
    validate_max=True)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=4000)


class ApproveForm(forms.Form):
    reason = forms.CharField(label=_("Note to the applicant (optional)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    provider = forms.ModelChoiceField(label=_("Provider"), required=False,
                                      queryset=Organisation.objects.order_by("sort_name"))
    completed_on = dates.ThaiDateField(label=_("Completed"), required=False)
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=100,
                                         required=False)


class CoachImportForm(LguImportForm):
    """Upload of a list of coaches (CSV or XLSX); the same file checks as the LGU import."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8 or Windows-874/TIS-620) or Excel .xlsx, with a header row: id, name_th, "
            "name_en, email, home_province, languages, themes, capacity, availability, "
            "affiliation, status, listing_consent, visibility.")
