"""Demo data: the seed's pilot municipalities take requests, with a catalogue and requests in every
state. The requests are made up for the demonstration and marked as example data."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from thetsaban.eservice import services
from thetsaban.eservice.choices import Datatype, Status
from thetsaban.eservice.models import Attribute, ResponseTemplate, Service, ServiceRequest
from thetsaban.places.models import Lgu

# The core subdistrict (geothai code) of each pilot municipality: approximate demo coverage.
PILOTS = {"DEMO-SK": "900101", "DEMO-CR": "570101", "DEMO-YL": "950101", "DEMO-KLAENG": "210301",
          "DEMO-UDON": "410101", "DEMO-PK": "120601"}

TEMPLATES = [
    ("รับเรื่องแล้ว", Status.ACKNOWLEDGED, "เทศบาลได้รับเรื่องของท่านแล้ว และส่งให้หน่วยงานที่รับผิดชอบดำเนินการ"),
    ("อยู่ระหว่างดำเนินการ", Status.IN_PROGRESS, "เจ้าหน้าที่กำลังดำเนินการแก้ไข จะแจ้งให้ทราบเมื่อแล้วเสร็จ"),
    ("แก้ไขแล้ว", Status.FIXED, "ดำเนินการแก้ไขเรียบร้อยแล้ว หากยังพบปัญหา กรุณาแจ้ง \"ยังไม่ได้แก้ไข\" ภายใน 14 วัน"),
]

# (service code, description, days ago, final status, offset in metres north, note)
STORIES = [
    ("street_lights", "(ตัวอย่าง) ไฟถนนดับสามต้นติดกัน หน้าโรงเรียน", 2, Status.OPEN, 0, ""),
    ("waste_collection", "(ตัวอย่าง) ขยะไม่ได้เก็บมาสามวัน ส่งกลิ่นเหม็น", 4, Status.ACKNOWLEDGED, 120, ""),
    ("drains_flooding", "(ตัวอย่าง) ท่อระบายน้ำอุดตัน ฝนตกแล้วน้ำท่วมขัง", 6, Status.IN_PROGRESS, 240, ""),
    ("roads_footpaths", "(ตัวอย่าง) หลุมบนถนนลึก รถจักรยานยนต์ล้ม", 9, Status.FIXED, 360, "ปะผิวถนนเรียบร้อยแล้ว"),
    ("trees", "(ตัวอย่าง) กิ่งไม้ใหญ่พาดสายไฟ", 12, Status.CLOSED, 480, "อยู่ในความรับผิดชอบของการไฟฟ้าส่วนภูมิภาค ได้แจ้งแล้ว"),
    ("street_lights", "(ตัวอย่าง) ไฟถนนดับ หน้าโรงเรียน อีกเรื่องหนึ่ง", 1, Status.DUPLICATE, 10, ""),
    ("water_supply", "(ตัวอย่าง) ท่อประปาแตก น้ำไหลนองถนน", 15, Status.REFERRED, 600, "การประปาส่วนภูมิภาค"),
    ("stray_animals", "(ตัวอย่าง) สุนัขจรจัดไล่กัดเด็กนักเรียน", 20, Status.FIXED, 720, "ทำหมันและฉีดวัคซีนแล้ว"),
    ("noise", "(ตัวอย่าง) เสียงดังจากร้านคาราโอเกะหลังเที่ยงคืน", 3, Status.OPEN, 840, ""),
]


@transaction.atomic
def load() -> int:
    """Add what is missing; return how many rows were added."""
    added = services.ensure_league_catalogue()
    for title, status, text in TEMPLATES:
        _template, created = ResponseTemplate.objects.get_or_create(lgu=None, title=title,
                                                                    defaults={"status": status, "text": text})
        added += created
    league_lights = Service.objects.get(lgu__isnull=True, code="street_lights")
    if not league_lights.attributes.exists():
        Attribute.objects.create(service=league_lights, code="pole", datatype=Datatype.STRING,
                                 description="หมายเลขเสาไฟ (ถ้ามี)", required=False, order=1)
        Attribute.objects.create(service=league_lights, code="symptom", datatype=Datatype.SINGLE,
                                 description="อาการ", required=True, order=2,
                                 values=[{"key": "off", "name": "ไม่ติด"}, {"key": "blink", "name": "กะพริบ"},
                                         {"key": "day", "name": "ติดตอนกลางวัน"}])
        added += 2
    for lgu in Lgu.objects.filter(code__in=PILOTS):
        if not hasattr(lgu, "jurisdiction"):
            services.join(lgu, subdistricts=[PILOTS[lgu.code]])
            added += 1
        if lgu.has_location and not ServiceRequest.objects.filter(lgu=lgu, example=True).exists():
            added += _stories(lgu)
    return added


def _stories(lgu) -> int:
    now = timezone.now()
    made = {}
    for code, text, days, status, north, note in STORIES:
        service = Service.objects.get(lgu=lgu, code=code)
        answers = {"symptom": "off"} if service.attributes.filter(code="symptom").exists() else {}
        item = services.submit_request(
            service=service, description=text, lat=float(lgu.latitude) + north / 111_320,
            lon=float(lgu.longitude), answers=answers, requested_at=now - timedelta(days=days), example=True)
        when = item.requested_at + timedelta(hours=5)
        if status != Status.OPEN:
            services.change_status(
                item, acting_user=None, client=None, status=status, when=when,
                note=note if status in (Status.FIXED, Status.CLOSED) else "",
                duplicate_of=made.get("street_lights") if status == Status.DUPLICATE else None,
                referred_to=note if status == Status.REFERRED else "")
        made.setdefault(code, item)
    return len(STORIES)
