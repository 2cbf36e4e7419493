"""Shared data of the newsroom tests: the learning centres and their staff (South: the LGU's
region; North: the other LGU's), themes and a published practice, a published league post, a
South draft, and a joint undertaking led by the editor's LGU with the outsider's LGU as member."""

import io
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from thetsaban.learning.tests.base import LearningTestCase
from thetsaban.newsroom import services
from thetsaban.newsroom.choices import PostStatus
from thetsaban.newsroom.models import JointUndertaking, NewsPost
from thetsaban.places.models import Lgu, LguType
from thetsaban.practices.models import Theme
from thetsaban.practices.tests.base import make_practice

MEDIA = tempfile.mkdtemp(prefix="newsroom-tests-")


def png(name="picture.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_post(centre=None, *, status=PostStatus.PUBLISHED, acting_user=None, links=None, **fields) -> NewsPost:
    values = {"title": "ข่าวการคัดแยกขยะ", "summary": "เทศบาลเริ่มคัดแยกขยะต้นทาง", "body": "ย่อหน้าแรก\n\nย่อหน้าที่สอง"}
    values.update(fields)
    post = NewsPost(centre=centre, status=status, **values)
    if status == PostStatus.PUBLISHED and "published_at" not in fields:
        post.published_at = timezone.now()
    return services.save_post(post, acting_user=acting_user, links=links)


@override_settings(MEDIA_ROOT=MEDIA)
class NewsroomTestCase(LearningTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.waste = Theme.objects.create(code="waste", name_th="การจัดการขยะ", name_en="Waste management")
        cls.water = Theme.objects.create(code="water", name_th="การจัดการน้ำ", name_en="Water management")
        cls.practice = make_practice(cls.lgu, themes=("waste",), title_th="ธนาคารขยะชุมชน")
        cls.league_post = make_post(title="ข่าวของสมาคม", links={"themes": [cls.waste], "practices": [cls.practice],
                                                               "events": [cls.event]})
        cls.south_draft = make_post(cls.south, status=PostStatus.DRAFT, title="ร่างข่าวภาคใต้",
                                    acting_user=cls.south_staff)
        cls.neighbour = Lgu.objects.create(code="TEST-SK2", name_th="เทศบาลเมืองคอหงส์", lgu_type=LguType.TOWN,
                                           province=cls.lgu.province, latitude="7.0100", longitude="100.5100")
        cls.undertaking = services.save_undertaking(
            JointUndertaking(title="ศูนย์กำจัดขยะรวม", purpose="กำจัดขยะร่วมกัน", lead_lgu=cls.lgu),
            acting_user=cls.editor, members=[cls.neighbour, cls.other_lgu], practices=[cls.practice])
