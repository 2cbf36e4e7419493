"""Shared data for the e-service tests: both test LGUs take requests; a reporter and a neighbour."""

import io

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from thetsaban.accounts.models import User
from thetsaban.eservice import services
from thetsaban.eservice.choices import Datatype
from thetsaban.eservice.models import Attribute, Service
from thetsaban.testing import ThetsabanTestCase

# Points inside Songkhla's test boundary (a square around the city hall) and 20 m from it.
SK_LAT, SK_LON = 7.1898, 100.5954
NEAR_LAT, NEAR_LON = 7.18998, 100.5954
SK_BOUNDARY = {"type": "Polygon", "coordinates": [[[100.55, 7.15], [100.65, 7.15], [100.65, 7.25],
                                                   [100.55, 7.25], [100.55, 7.15]]]}


def jpeg(size=(64, 48), gps=False, name="photo.jpg", color=(200, 30, 30)) -> SimpleUploadedFile:
    """A small JPEG, with a GPS position in its EXIF when asked."""
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (7.0, 11.0, 23.0), 3: "E", 4: (100.0, 35.0, 43.0)}
        exif[0x010F] = "PhoneMaker"
    image.save(out, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


class EserviceTestCase(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        hashed = make_password(cls.password)
        cls.reporter = User.objects.create(username="reporter", email="reporter@example.org", password=hashed)
        cls.neighbour = User.objects.create(username="neighbour", email="neighbour@example.org", password=hashed)
        cls.jurisdiction = services.join(cls.lgu, boundary=SK_BOUNDARY, subdistricts=["900101"])
        cls.other_jurisdiction = services.join(cls.other_lgu, subdistricts=["570101"])
        cls.lights = Service.objects.get(lgu=cls.lgu, code="street_lights")
        cls.drains = Service.objects.get(lgu=cls.lgu, code="drains_flooding")
        cls.other_lights = Service.objects.get(lgu=cls.other_lgu, code="street_lights")
        cls.pole = Attribute.objects.create(service=cls.lights, code="pole", datatype=Datatype.STRING,
                                            description="เลขเสาไฟ", required=True, order=1)
        cls.kind = Attribute.objects.create(
            service=cls.lights, code="kind", datatype=Datatype.MULTI, description="อาการ", order=2,
            values=[{"key": "off", "name": "ไม่ติด"}, {"key": "blink", "name": "กะพริบ"}])

    def report(self, **kwargs):
        """A request to Songkhla's street lights, from the reporter."""
        values = {"service": self.lights, "description": "ไฟดับหน้าบ้าน", "lat": SK_LAT, "lon": SK_LON,
                  "answers": {"pole": "A-12"}, "reporter": self.reporter, "acting_user": self.reporter}
        values.update(kwargs)
        return services.submit_request(**values)
