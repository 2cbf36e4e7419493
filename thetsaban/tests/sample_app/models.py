from django.db import models
from django.urls import reverse

from thetsaban.permissions import RestrictedQuerySet


class NoteQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Anyone may see a public note; nobody may change one."""
        return self.filter(public=True) if action == "view" else self.none()


class Note(models.Model):
    """A note: the smallest record that is listed, searched and taken part on."""

    title = models.CharField(max_length=100)
    public = models.BooleanField(default=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sample_app:detail", args=[self.pk])
