from django import forms
from django.utils.translation import gettext_lazy as _

from thetsaban import dates, thai
from thetsaban.directory.models import Person
from thetsaban.directory.pickers import PERSONS
from thetsaban.localdata.models import (
    CommunityForest,
    CommunityGroup,
    Subdistrict,
    WasteFacility,
    WaterSource,
    is_steward,
)
from thetsaban.permissions import editable_lgu_ids
from thetsaban.pickers import PickerField
from thetsaban.places.models import Lgu
from thetsaban.places.pickers import LGUS
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


class RegistryRecordForm(forms.ModelForm):
    """A registry record: located in an LGU the user keeps (or, for data stewards, only in a
    subdistrict given by its code)."""

    subdistrict_code = forms.CharField(label=_("Subdistrict code"), required=False, max_length=6,
                                       help_text=_("Six digits (DOPA), for example 900101."))
    founded = dates.ThaiDateField(label=_("Founded or registered"), required=False)

    class Meta:
        fields = ["name_th", "name_en", "registration_number", "lgu", "status", "founded", "latitude",
                  "longitude", "notes"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        steward = is_steward(user)
        lgus = Lgu.objects.restrict(user, "view")
        if not steward:
            lgus = lgus.filter(pk__in=editable_lgu_ids(user))
        self.fields["lgu"] = PickerField(LGUS, label=_("LGU"), queryset=lgus, required=not steward,
                                         help_text=_("The LGU that keeps this record."))
        if self.instance.pk and self.instance.subdistrict_id:
            self.fields["subdistrict_code"].initial = self.instance.subdistrict.code
        if not steward and len(lgus) == 1 and not self.instance.pk:
            self.fields["lgu"].initial = lgus[0]
        if not steward:
            self.fields["subdistrict_code"].help_text = _("Optional: where in the LGU.")

    def clean_subdistrict_code(self):
        code = thai.fold(self.cleaned_data["subdistrict_code"])  # Thai digits read as Arabic ones
        if not code:
            return None
        subdistrict = Subdistrict.objects.restrict(None, "view").filter(code=code).first()
        if subdistrict is None:
            raise forms.ValidationError(_("No subdistrict has the code %(code)s.") % {"code": code})
        return subdistrict

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("lgu") and not cleaned.get("subdistrict_code") and not self.errors:
            raise forms.ValidationError(_("Give the LGU or the subdistrict."))
        self.instance.subdistrict = cleaned.get("subdistrict_code")
        return cleaned


class CommunityGroupForm(RegistryRecordForm):
    class Meta(RegistryRecordForm.Meta):
        model = CommunityGroup
        fields = ["name_th", "name_en", "group_type", "registration_number", "members", "lgu", "status",
                  "founded", "contact", "contact_consent", "notes"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["contact"] = PickerField(PERSONS, label=_("Contact person"), required=False,
                                             queryset=Person.objects.restrict(user, "view"),
                                             help_text=_("Someone in the directory."))


class CommunityForestForm(RegistryRecordForm):
    class Meta(RegistryRecordForm.Meta):
        model = CommunityForest
        fields = ["name_th", "name_en", "registration_number", "area_rai", "households", "lgu", "status",
                  "founded", "latitude", "longitude", "notes"]


class WaterSourceForm(RegistryRecordForm):
    class Meta(RegistryRecordForm.Meta):
        model = WaterSource
        fields = ["name_th", "name_en", "source_type", "registration_number", "capacity_m3", "households_served",
                  "lgu", "status", "founded", "latitude", "longitude", "notes"]


class WasteFacilityForm(RegistryRecordForm):
    class Meta(RegistryRecordForm.Meta):
        model = WasteFacility
        fields = ["name_th", "name_en", "facility_type", "registration_number", "capacity_tonnes", "lgu",
                  "status", "founded", "latitude", "longitude", "notes"]


REGISTRY_FORMS = {form._meta.model.REGISTRY: form for form in (CommunityGroupForm, CommunityForestForm,
                                                                 WaterSourceForm, WasteFacilityForm)}
