"""Forms of the e-service pages: reporting, handling a request, rejecting a fix, filters."""

import geothai
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thetsaban.eservice.choices import Status
from thetsaban.eservice.models import Service
from thetsaban.eservice.services import MAX_DESCRIPTION, MAX_PHOTOS
from thetsaban.pickers import PickerField
from thetsaban.places.pickers import LGUS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (photos)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most %(count)s photos.") % {"count": MAX_PHOTOS})
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def province_choices():
    return [("", "—")] + [(p.code, p.name_th) for p in geothai.provinces()]


class LocationForm(forms.Form):
    """Step one: where the problem is, as a point on the map or an address."""

    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    province = forms.ChoiceField(label=_("Province"), required=False, choices=province_choices)
    district = forms.CharField(label=_("District"), required=False, max_length=4,
                               widget=forms.Select(choices=[("", "—")]))
    subdistrict = forms.CharField(label=_("Subdistrict"), required=False, max_length=6,
                                  widget=forms.Select(choices=[("", "—")]))
    address = forms.CharField(label=_("House number, street, landmark"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = self.data.get("province") or ""
        district = self.data.get("district") or ""
        if province:
            self.fields["district"].widget.choices = [("", "—")] + [
                (d.code, d.name_th) for d in geothai.districts(province)]
        if district:
            self.fields["subdistrict"].widget.choices = [("", "—")] + [
                (s.code, s.name_th) for s in geothai.subdistricts(district)]

    def clean(self):
        data = super().clean()
        has_point = data.get("lat") is not None and data.get("lon") is not None
        code = data.get("subdistrict") or ""
        if code:
            subdistrict = geothai.subdistrict(code)
            if subdistrict is None:
                raise ValidationError({"subdistrict": _("Unknown subdistrict code %(code)s.") % {"code": code}})
            data["subdistrict_obj"] = subdistrict
        if not has_point and not code:
            raise ValidationError(_("Mark the place on the map, or choose the province, district and subdistrict."))
        return data

    def address_text(self) -> str:
        """The address as people write it: street, subdistrict, district, province."""
        data = self.cleaned_data
        parts = [data.get("address", "").strip()]
        subdistrict = data.get("subdistrict_obj")
        if subdistrict is not None:
            district = geothai.district(data["subdistrict"][:4])
            province = geothai.province(data["subdistrict"][:2])
            parts += [f"ต.{subdistrict.name_th}", f"อ.{district.name_th}" if district else "",
                      f"จ.{province.name_th}" if province else ""]
        return " ".join(part for part in parts if part)


class ReportForm(forms.Form):
    """Step two: what the problem is, photos and (optionally) how to reach the reporter."""

    service = forms.ModelChoiceField(label=_("What is the problem?"), queryset=None, empty_label=None)
    description = forms.CharField(label=_("Describe it"), max_length=MAX_DESCRIPTION, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_DESCRIPTION}))
    photos = MultipleFileField(label=_("Photos"), required=False)
    contact_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Your e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Your phone"), max_length=30, required=False)
    confirm_lgu = forms.BooleanField(label=_("Yes, this is the right local government"), required=False)
    send_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, services, must_confirm_lgu=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda service: service.name
        self.must_confirm_lgu = must_confirm_lgu
        if must_confirm_lgu:
            self.fields["confirm_lgu"].required = True


class HandleForm(forms.Form):
    """A staff member's change to a request: status, notes, the after photo."""

    status = forms.ChoiceField(label=_("New status"), required=False, choices=[("", _("(unchanged)"))] + list(Status.choices))
    template = forms.ModelChoiceField(label=_("Response template"), queryset=None, required=False)
    note = forms.CharField(label=_("Note to the citizen (public)"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    internal_note = forms.CharField(label=_("Internal note (staff only)"), required=False, max_length=4000,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("What was done, or why it is closed"), required=False, max_length=4000)
    after_photo = forms.FileField(label=_("After photo"), required=False,
                                  widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    duplicate_of = forms.IntegerField(label=_("Duplicate of request number"), required=False, min_value=1,
                                      max_value=2**31 - 1)
    referred_to = forms.CharField(label=_("Referred to"), required=False, max_length=200)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates

    def clean(self):
        data = super().clean()
        template = data.get("template")
        if template is not None and not data.get("note"):
            data["note"] = template.text
        if not (data.get("status") or data.get("note") or data.get("internal_note")):
            raise ValidationError(_("Choose a status or write a note."))
        return data


class AssignForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=None, required=False)
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=None, required=False)

    def __init__(self, *args, offices, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["user"].queryset = users


class RejectFixForm(forms.Form):
    reason = forms.CharField(label=_("What is still wrong?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    key = forms.CharField(required=False, widget=forms.HiddenInput)


class InboxLguForm(forms.Form):
    """League staff choose whose inbox to run among the LGUs that take requests: typed with the
    LGU autocomplete (name, type abbreviation or code), not a list of every LGU."""

    lgu = PickerField(LGUS, label=_("LGU"), required=False)

    def __init__(self, *args, lgus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lgu"].queryset = lgus


class BulkForm(forms.Form):
    """One status change for the requests ticked in the inbox."""

    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    note = forms.CharField(label=_("Note to the citizens (public)"), required=False, max_length=4000)

    def __init__(self, *args, ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, i) for i in ids]


class ServiceForm(forms.ModelForm):
    """An LGU's service: names, group, keywords, responsible office and SLA."""

    class Meta:
        model = Service
        fields = ["code", "name_th", "name_en", "group", "keywords", "description", "office", "ack_hours",
                  "fix_hours", "active"]

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        if self.instance.pk:
            self.fields["code"].disabled = True
