"""Every writable related field of every API serializer offers only rows the user may see."""

from rest_framework import relations, serializers
from rest_framework.test import APIRequestFactory

from thetsaban.api import RestrictedRelatedFieldMixin, build_router
from thetsaban.testing import ThetsabanTestCase

HUGE = "99999999999999999999999"


def _serializer_classes():
    """The serializer classes the API's viewsets use, and those they nest."""
    seen = set()
    for _prefix, viewset, _basename in build_router().registry:
        for cls in {getattr(viewset, "serializer_class", None)} | {
                getattr(getattr(viewset, name), "kwargs", {}).get("serializer_class")
                for name in dir(viewset) if hasattr(getattr(viewset, name, None), "mapping")}:
            if cls is not None and issubclass(cls, serializers.BaseSerializer):
                seen.add(cls)
    return seen


class RelatedFieldTests(ThetsabanTestCase):
    def writable_related_fields(self, serializer, path=""):
        for name, field in serializer.fields.items():
            if isinstance(field, serializers.ListSerializer):
                field = field.child
            if isinstance(field, serializers.Serializer):
                yield from self.writable_related_fields(field, f"{path}{name}.")
                continue
            if isinstance(field, relations.ManyRelatedField):
                field = field.child_relation
            if isinstance(field, relations.RelatedField) and not field.read_only:
                yield f"{type(serializer).__name__}.{path}{name}", field

    def test_every_writable_related_field_is_restricted_per_request(self):
        request = APIRequestFactory().get("/")
        request.user = self.outsider
        loose = []
        for cls in _serializer_classes():
            serializer = cls(context={"request": request})
            loose += [name for name, field in self.writable_related_fields(serializer)
                      if not isinstance(field, RestrictedRelatedFieldMixin)]
        self.assertEqual(loose, [])

    def test_an_id_too_large_for_the_database_does_not_exist_and_a_word_is_the_wrong_type(self):
        self.login(self.staff)
        for value, message in ((int(HUGE), "does not exist"), (HUGE, "does not exist"),
                               ("abc", "Incorrect type")):
            with self.subTest(value=value):
                response = self.client.post("/api/v1/transfers/projects/",
                                            {"title": "x", "target_lgu": self.lgu.code, "source_practice": value},
                                            content_type="application/json")
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.json()["source_practice"][0])
