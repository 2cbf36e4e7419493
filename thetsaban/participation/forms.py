"""Forms of participation: a comment, a proposal and a moderator's or reporter's reason.

Length caps and text cleaning live in services.py, so the forms only shape the input.
"""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from thetsaban.participation import services
from thetsaban.pickers import PickerField
from thetsaban.places.models import Lgu
from thetsaban.places.pickers import LGUS
from thetsaban.practices.models import Theme


class TextField(forms.CharField):
    """Text whose control characters (NUL included) the service removes, rather than refusing it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators = [v for v in self.validators
                           if not isinstance(v, ProhibitNullCharactersValidator)]


class CommentForm(forms.Form):
    text = TextField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": services.COMMENT_MAX}),
        help_text=_("Plain text, at most 5,000 characters."),
    )


class CommentEditForm(forms.Form):
    text = TextField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": services.COMMENT_MAX}),
        help_text=_("Plain text, at most 5,000 characters. The earlier version stays in the record's history."),
    )


class ReasonForm(forms.Form):
    reason = TextField(label=_("Reason"), widget=forms.TextInput(
        attrs={"maxlength": services.REASON_MAX}))


class ProposalForm(forms.Form):
    title = TextField(label=_("Title"), widget=forms.TextInput(
        attrs={"maxlength": services.TITLE_MAX}))
    problem = TextField(label=_("The problem"), widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("What goes wrong today, and for whom."))
    proposal = TextField(label=_("What should change"),
                               widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("What the league, a partner or the government should do."))
    themes = forms.ModelMultipleChoiceField(label=_("Themes"), required=False,
                                            queryset=Theme.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)
    # A typed box with suggestions rather than a list: the national list has thousands of LGUs.
    lgu = PickerField(LGUS, label=_("LGU"), required=False,
                      help_text=_("The municipality where the problem was seen, if any: its name, "
                                  "short name (ทน.สงขลา) or code."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.restrict(user, "view")
        self.fields["lgu"].queryset = Lgu.objects.restrict(user, "view")
