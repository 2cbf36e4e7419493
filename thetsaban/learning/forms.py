from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thetsaban.dates import ThaiDateField
from thetsaban.directory.models import Organisation
from thetsaban.directory.pickers import ORGANISATIONS
from thetsaban.learning.choices import RATING_CHOICES
from thetsaban.learning.models import Course, Event, Material, Module, staffed_centre_ids
from thetsaban.permissions import is_staff
from thetsaban.pickers import PickerField, PickerMultipleField
from thetsaban.places.models import LearningCentre, Lgu
from thetsaban.places.pickers import LGUS
from thetsaban.practices.models import ALLOWED_ATTACHMENTS, Practice, Theme
from thetsaban.practices.pickers import PRACTICES


class EventForm(forms.ModelForm):
    """An event of a centre: date in the Buddhist Era, times as hh:mm (local time)."""

    start_date = ThaiDateField(label=_("Start date"))
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"placeholder": "09:00"}))
    end_date = ThaiDateField(label=_("End date"))
    end_time = forms.TimeField(label=_("End time"), widget=forms.TimeInput(attrs={"placeholder": "16:00"}))
    # A typed box with suggestions rather than a list: the national list has thousands of LGUs.
    host_lgu = PickerField(LGUS, label=_("Host LGU"), required=False,
                           help_text=_("Its name, short name (ทน.สงขลา) or code; its place is shown on the map "
                                       "when the event has no position of its own."))

    practices = PickerMultipleField(PRACTICES, label=_("Practices studied"), required=False, separator=";",
                                    help_text=_("Published practices the event uses as cases, separated by “;”."))

    class Meta:
        model = Event
        fields = ["kind", "status", "title", "description", "place_name", "host_lgu", "latitude",
                  "longitude", "online_url", "capacity"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_lgu"].queryset = Lgu.objects.restrict(user, "view")
        self.fields["practices"].queryset = Practice.objects.restrict(user, "view").published()
        if self.instance.pk:
            self.initial["practices"] = list(self.instance.practices.all())
        if self.instance.pk:
            start, end = timezone.localtime(self.instance.starts_at), timezone.localtime(self.instance.ends_at)
            self.initial.update(start_date=start.date(), start_time=start.time(), end_date=end.date(),
                                end_time=end.time())

    def clean(self):
        data = super().clean()
        parts = [data.get(name) for name in ("start_date", "start_time", "end_date", "end_time")]
        if all(part is not None for part in parts):
            starts = timezone.make_aware(datetime.combine(parts[0], parts[1]))
            ends = timezone.make_aware(datetime.combine(parts[2], parts[3]))
            if ends < starts:
                self.add_error("end_date", _("End: the event must end after it starts."))
            self.instance.starts_at, self.instance.ends_at = starts, ends
        return data


class FeedbackForm(forms.Form):
    overall = forms.TypedChoiceField(label=_("Overall"), choices=RATING_CHOICES, coerce=int,
                                     widget=forms.RadioSelect)
    content = forms.TypedChoiceField(label=_("Content and speakers"), choices=RATING_CHOICES, coerce=int,
                                     widget=forms.RadioSelect)
    organisation = forms.TypedChoiceField(label=_("Organisation"), choices=RATING_CHOICES, coerce=int,
                                          widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea)


class GrantForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Username: no active account is called “%(name)s”."),
                                        params={"name": name})
        return user




class CourseForm(forms.ModelForm):
    """A course: league staff keep any (with or without a centre), a centre's staff their centre's."""

    provider = PickerField(ORGANISATIONS, label=_("Provider"), required=False,
                           help_text=_("The academic institution or partner from the directory: type part of "
                                       "its name or abbreviation, and choose."))

    class Meta:
        model = Course
        fields = ["title", "summary", "outcomes", "provider", "centre", "themes", "is_published"]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.restrict(user, "view")
        self.fields["themes"].queryset = Theme.objects.restrict(user, "view")
        centres = LearningCentre.objects.restrict(user, "view").select_related("region")
        if not is_staff(user):
            # A centre's staff keep their own centre's courses: the centre is required.
            centres = centres.filter(pk__in=staffed_centre_ids(user))
            self.fields["centre"].required = True
            self.fields["centre"].empty_label = None
        else:
            self.fields["centre"].help_text = _("Leave empty for a course of the league itself.")
        self.fields["centre"].queryset = centres
        self.fields["is_published"].help_text = _("Members see and enrol in published courses only.")


class ModuleForm(forms.ModelForm):
    """A module of a course, with the published practices it studies as cases."""

    practices = PickerMultipleField(PRACTICES, label=_("Case studies"), required=False, separator=";",
                                    help_text=_("Published practices the module studies, separated by “;”."))

    class Meta:
        model = Module
        fields = ["position", "title", "summary", "outcomes"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practices"].queryset = Practice.objects.restrict(user, "view").published()
        if self.instance.pk:
            self.initial["practices"] = list(self.instance.practices.all())


class MaterialForm(forms.ModelForm):
    """A module's material: a web link, or a file checked as the practices' attachments are (an
    allowed type whose content matches, at most MAX_UPLOAD_MB)."""

    class Meta:
        model = Material
        fields = ["title", "url", "file"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ALLOWED_ATTACHMENTS))})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].help_text = _("A web address (https://…), or leave empty and choose a file.")
        self.fields["file"].help_text = _("%(types)s; at most %(mb)s MB.") % {
            "types": ", ".join(sorted(ALLOWED_ATTACHMENTS)), "mb": settings.MAX_UPLOAD_MB}
