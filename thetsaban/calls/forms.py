from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from thetsaban.dates import ThaiDateField


class CallForm(forms.Form):
    title = forms.CharField(label=_l("Title"), max_length=200)
    description = forms.CharField(label=_l("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    deadline = ThaiDateField(label=_l("Deadline for entries (the end of this day)"))
    winners = forms.IntegerField(label=_l("Places recognised"), min_value=1, max_value=20, initial=1)
    themes = forms.ModelMultipleChoiceField(label=_l("Themes"), queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    criteria = forms.CharField(
        label=_l("Criteria"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_l("One criterion a line: its name, a vertical bar and its weight (1–100), "
                     "for example “Results | 40”."))

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        deadline = timezone.make_aware(datetime.combine(day, time(23, 59, 59)))
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline

    def clean_criteria(self):
        criteria = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), 1):
            if not line.strip():
                continue
            name, bar, weight = line.rpartition("|")
            try:
                weight = int(weight.strip())
            except ValueError:
                weight = None
            if not bar or not name.strip() or weight is None or not 1 <= weight <= 100:
                raise forms.ValidationError(
                    _("Line %(number)s (“%(line)s”): write the criterion’s name, a vertical bar and a "
                      "whole-number weight from 1 to 100.") % {"number": number, "line": line.strip()})
            criteria.append((name.strip(), weight))
        if not criteria:
            raise forms.ValidationError(_("Give at least one criterion with its weight."))
        return criteria


class JurorForm(forms.Form):
    username = forms.CharField(label=_l("Username of the juror"), max_length=150)


class DeclarationForm(forms.Form):
    note = forms.CharField(label=_l("Why (optional)"), max_length=500, required=False)


class UnpublishForm(forms.Form):
    reason = forms.CharField(label=_l("Reason for withdrawing the results"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_l("Shown on the call’s page and recorded in the audit trail."))
