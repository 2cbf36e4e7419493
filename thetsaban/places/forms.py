from django import forms
from django.utils.translation import gettext_lazy as _

from thetsaban.tabular import max_upload_bytes, too_big_message

IMPORT_EXTENSIONS = (".csv", ".txt", ".xlsx")


class LguImportForm(forms.Form):
    """Upload of the national list of LGUs (CSV or XLSX)."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Windows-874/TIS-620) or Excel .xlsx, with a header row: "
                    "code, name_th, name_en, short_name, type, province, population, website, "
                    "latitude, longitude."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(too_big_message(), code="too_big")
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(
                _("Upload a .csv or .xlsx file."), code="extension")
        return upload
