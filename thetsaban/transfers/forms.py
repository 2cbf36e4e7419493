"""Forms of transfer projects: the project, its status, each part of it, reports and the import."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thetsaban import dates
from thetsaban.directory.models import Person
from thetsaban.directory.pickers import PERSONS
from thetsaban.permissions import editable_lgu_ids, is_staff
from thetsaban.pickers import PickerField, PickerMultipleField
from thetsaban.places.models import Lgu
from thetsaban.places.pickers import LGUS
from thetsaban.practices.models import Practice, Theme
from thetsaban.tabular import max_upload_bytes, too_big_message
from thetsaban.transfers.choices import ActivityProgress, LogframeLevel, ProjectStatus
from thetsaban.transfers.models import (
    FinalEvaluation,
    Indicator,
    Issue,
    LogbookEntry,
    LogframeItem,
    Milestone,
    MonitoringReport,
    StudyVisit,
    TaskforceMember,
    TransferProject,
)

IMPORT_EXTENSIONS = (".csv", ".txt", ".xlsx")
_AREA = forms.Textarea(attrs={"rows": 3})


def LguField(**kwargs):
    """An LGU typed by code, name, short name or abbreviation (ทน.สงขลา), with suggestions."""
    kwargs.setdefault("help_text", _("Type the LGU's name, short name (ทน.สงขลา) or code, and choose."))
    return PickerField(LGUS, queryset=Lgu.objects.all(), **kwargs)


class PracticeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, practice):
        return f"{practice.title} ({practice.lgu.name})"


class ProjectForm(forms.ModelForm):
    """A transfer project; an editor chooses among their LGUs, staff name any LGU."""

    class Meta:
        model = TransferProject
        formfield_callback = dates.formfield
        fields = ["title", "target_lgu", "source_practice", "source_note", "theme", "language",
                  "motivation", "motivation_text", "planned_start", "planned_end"]
        widgets = {"motivation_text": _AREA}
        field_classes = {"source_practice": PracticeChoiceField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if is_staff(user):
            self.fields["target_lgu"] = LguField(label=_("adopting LGU"))
            self.fields["target_lgu"].queryset = Lgu.objects.restrict(user, "view")
        else:
            self.fields["target_lgu"].queryset = Lgu.objects.filter(pk__in=editable_lgu_ids(user))
        self.fields["source_practice"].queryset = (
            Practice.objects.restrict(user, "view").published().select_related("lgu").order_by("sort_title"))
        self.fields["theme"].queryset = Theme.objects.all()
        self.fields["motivation"].help_text = _(
            "Why does the LGU do this: because of a KPI, or to respond to its citizens?")


class StatusForm(forms.Form):
    """A status change, offered only among the statuses the project may move to."""

    status = forms.ChoiceField(label=_("New status"))
    on = dates.ThaiDateField(label=_("Date"), required=False, help_text=_("Fills the actual start or end date; empty means today."))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ProjectStatus(s).label) for s in allowed]


class ProjectPartForm(forms.ModelForm):
    """A part of one project; choices of related rows are limited to that project."""

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.user = user
        self.instance.project = project


class LogframeItemForm(ProjectPartForm):
    class Meta:
        model = LogframeItem
        formfield_callback = dates.formfield
        fields = ["level", "parent", "text", "responsible", "starts_on", "ends_on", "budget_baht",
                  "assumptions", "risks", "position"]
        widgets = {"text": _AREA, "assumptions": _AREA, "risks": _AREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = LogframeItem.objects.filter(project=self.project).exclude(level=LogframeLevel.ACTIVITY)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class IndicatorForm(ProjectPartForm):
    class Meta:
        model = Indicator
        formfield_callback = dates.formfield
        fields = ["item", "name", "unit", "baseline", "target", "target_date", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = LogframeItem.objects.filter(project=self.project)


class TaskforceMemberForm(ProjectPartForm):
    class Meta:
        model = TaskforceMember
        fields = ["person", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = PickerField(
            PERSONS, label=TaskforceMember._meta.get_field("person").verbose_name.capitalize(),
            queryset=Person.objects.restrict(self.user, "view"),
            help_text=_("Type part of the name and choose; people are added to the directory first."))


class MilestoneForm(ProjectPartForm):
    class Meta:
        model = Milestone
        formfield_callback = dates.formfield
        fields = ["title", "due_on", "achieved_on"]


class LogbookEntryForm(ProjectPartForm):
    """The coach's logbook line: kept short, so that it is quick to fill in after a visit."""

    class Meta:
        model = LogbookEntry
        formfield_callback = dates.formfield
        fields = ["date", "activity", "milestone", "outcome", "next_step"]
        widgets = {"activity": _AREA, "outcome": _AREA, "next_step": _AREA}
        help_texts = {
            "activity": _("What was done, with whom."),
            "outcome": _("What came of it."),
            "next_step": _("What happens next, and who does it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.filter(project=self.project)
        self.fields["milestone"].required = False
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())


class StudyVisitForm(ProjectPartForm):
    host_lgu = LguField(label=_("visited LGU"), required=False,
                        help_text=_("Empty means the LGU the practice comes from."))

    class Meta:
        model = StudyVisit
        formfield_callback = dates.formfield
        fields = ["visited_on", "host_lgu", "participants", "participant_count", "purpose", "findings"]
        widgets = {"purpose": _AREA, "findings": _AREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_lgu"].queryset = Lgu.objects.restrict(self.user, "view")
        self.fields["participants"] = PickerMultipleField(
            PERSONS, separator=";", required=False,
            label=StudyVisit._meta.get_field("participants").verbose_name.capitalize(),
            queryset=Person.objects.restrict(self.user, "view"),
            help_text=_("Type part of each name and choose; separate people with “;”."))


class IssueForm(ProjectPartForm):
    class Meta:
        model = Issue
        formfield_callback = dates.formfield
        fields = ["level", "problem", "effect", "recommendation", "lgu_code", "raised_on", "position"]
        widgets = {"problem": _AREA, "effect": _AREA, "recommendation": _AREA}


class EvaluationForm(ProjectPartForm):
    rating = forms.TypedChoiceField(label=_("rating (1–5)"), required=False, coerce=int,
                                    empty_value=None,
                                    choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)])

    class Meta:
        model = FinalEvaluation
        formfield_callback = dates.formfield
        fields = ["summary", "achievements", "lessons", "sustainability", "rating", "evaluated_on"]
        widgets = {"summary": _AREA, "achievements": _AREA,
                   "lessons": _AREA, "sustainability": _AREA}


class ReportForm(ProjectPartForm):
    """A monitoring report: a narrative, and the matrix mirroring the logframe as extra fields."""

    class Meta:
        model = MonitoringReport
        formfield_callback = dates.formfield
        fields = ["period_start", "period_end", "narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, indicators=(), activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.activities = list(activities)
        readings, statuses = {}, {}
        if self.instance.pk:
            readings = {r.indicator_id: r for r in self.instance.readings.all()}
            statuses = {s.item_id: s for s in self.instance.activity_statuses.all()}
        for indicator in self.indicators:
            reading = readings.get(indicator.pk)
            self.fields[f"actual_{indicator.pk}"] = forms.DecimalField(
                label=indicator.name, required=False, max_digits=14, decimal_places=2,
                initial=reading.actual if reading else None)
            self.fields[f"actual_comment_{indicator.pk}"] = forms.CharField(
                label=_("comment"), required=False, initial=reading.comment if reading else "")
        for item in self.activities:
            status = statuses.get(item.pk)
            self.fields[f"progress_{item.pk}"] = forms.ChoiceField(
                label=item.text[:120], required=False,
                choices=[("", "—")] + list(ActivityProgress.choices),
                initial=status.progress if status else "")
            self.fields[f"progress_comment_{item.pk}"] = forms.CharField(
                label=_("comment"), required=False, initial=status.comment if status else "")

    def indicator_rows(self):
        return [(ind, self[f"actual_{ind.pk}"], self[f"actual_comment_{ind.pk}"]) for ind in self.indicators]

    def activity_rows(self):
        return [(item, self[f"progress_{item.pk}"], self[f"progress_comment_{item.pk}"])
                for item in self.activities]

    def matrix(self):
        """The readings and statuses given, for services.save_report()."""
        from thetsaban.transfers.services import Progress, Reading

        data = self.cleaned_data
        readings = [Reading(ind, data[f"actual_{ind.pk}"], data.get(f"actual_comment_{ind.pk}", ""))
                    for ind in self.indicators if data.get(f"actual_{ind.pk}") is not None]
        statuses = [Progress(item, data[f"progress_{item.pk}"], data.get(f"progress_comment_{item.pk}", ""))
                    for item in self.activities if data.get(f"progress_{item.pk}")]
        return readings, statuses


class ImportForm(forms.Form):
    """Upload of transfer projects (CSV or XLSX)."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Windows-874/TIS-620) or Excel .xlsx with a header row, as the "
                    "export writes it."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(too_big_message(), code="too_big")
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."), code="extension")
        return upload
