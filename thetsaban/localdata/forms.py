from django import forms
from django.utils.translation import gettext_lazy as _

from thetsaban.tabular import max_upload_bytes


class ObservationImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"),
                           help_text=_("Columns: indicator, lgu (or subdistrict), period, category, value, "
                                       "comment. Periods may be 2569, FY2569, 2569Q1 or 2569-03."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            from thetsaban.tabular import too_big_message

            raise forms.ValidationError(too_big_message())
        return upload


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment for the LGU"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
