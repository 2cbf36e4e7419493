from django import forms
from django.utils.translation import gettext_lazy as _

from thetsaban.dates import ThaiDateField
from thetsaban.newsroom.models import Agreement, JointUndertaking, NewsPost
from thetsaban.pickers import PickerField, PickerMultipleField
from thetsaban.places.pickers import LGUS
from thetsaban.practices.pickers import PRACTICES


class NewsPostForm(forms.ModelForm):
    """A news post; the choices of centre and of linked records are those the writer may see."""

    practices = PickerMultipleField(PRACTICES, label=_("Practices"), required=False, separator=";",
                                    help_text=_("Published practices the news is about, separated by “;”."))

    class Meta:
        model = NewsPost
        fields = ["centre", "status", "title", "summary", "body", "image", "image_alt", "themes", "practices",
                  "transfers", "events", "recommendations"]
        widgets = {"themes": forms.CheckboxSelectMultiple, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, choices: dict, league: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset
        self.fields["centre"].required = not league
        self.fields["centre"].empty_label = _("The league (no centre)") if league else None
        if self.instance.pk:
            self.initial["practices"] = list(self.instance.practices.all())


class UndertakingForm(forms.ModelForm):
    """A joint undertaking; members are typed with suggestions (the national list is long)."""

    start_date = ThaiDateField(label=_("Start date"), required=False)
    lead_lgu = PickerField(LGUS, label=_("Lead LGU"))
    members = PickerMultipleField(LGUS, label=_("Member LGUs"), required=False, separator=";",
                                  help_text=_("Names, short names or codes, separated by “;”."))
    practices = PickerMultipleField(PRACTICES, label=_("Shared practices"), required=False, separator=";")
    indicators = forms.ModelMultipleChoiceField(
        label=_("Shared indicators"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Indicators of the data hub reported by LGUs: the page shows each partner LGU’s "
                    "approved value side by side."))

    class Meta:
        model = JointUndertaking
        fields = ["title", "purpose", "lead_lgu", "start_date", "members", "practices", "indicators"]

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset
        if self.instance.pk:
            self.initial["members"] = list(self.instance.members.all())
            self.initial["practices"] = list(self.instance.practices.all())
            self.initial["indicators"] = list(self.instance.indicators.all())


class AgreementForm(forms.ModelForm):
    signed_on = ThaiDateField(label=_("Signed"), required=False)

    class Meta:
        model = Agreement
        fields = ["title", "signed_on", "file"]
