"""Forms an LGU editor or league staff use to keep an organisation and its roles."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thetsaban.directory.models import ContactDetail, Organisation, Post
from thetsaban.practices.models import Theme


class TopicsMixin(forms.ModelForm):
    """Topics offered from the themes the user may see."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Theme.objects.restrict(user, "view")
        self.fields["topics"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["topics"].choices)


class OrganisationForm(TopicsMixin):
    """What an organisation is called and what it does (its LGU and kind stay as they are)."""

    class Meta:
        model = Organisation
        fields = ["name_th", "name_en", "abbreviation", "other_names", "description", "topics"]
        widgets = {"other_names": forms.Textarea(attrs={"rows": 3}),
                   "description": forms.Textarea(attrs={"rows": 5})}


class PostForm(TopicsMixin):
    """A role: its label, what it is responsible for, and its topics."""

    class Meta:
        model = Post
        fields = ["label_th", "label_en", "responsibilities", "topics"]
        widgets = {"responsibilities": forms.Textarea(attrs={"rows": 4})}


# A tuple of its own: inline formsets append their foreign key to the form's field list.
CONTACT_FIELDS = ("kind", "value", "label", "visibility", "consent")


class ContactDetailForm(forms.ModelForm):
    """A contact detail of a post; publishing it needs the owner's consent (PDPA)."""

    class Meta:
        model = ContactDetail
        fields = list(CONTACT_FIELDS)
        help_texts = {"consent": _("Tick only if the owner agreed to show it at this level.")}


ContactDetailFormSet = forms.inlineformset_factory(
    Post, ContactDetail, form=ContactDetailForm, extra=1, can_delete=True)
