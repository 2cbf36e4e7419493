"""Generated example practices in realistic Thai, for load tests and the search benchmark.

Everything made here is example data: practices carry is_example=True and "(ข้อมูลตัวอย่าง)"
in their source note, and the LGUs made for them have codes EX-00001... and names with
"ตัวอย่าง". Nothing here describes a real municipality or a real person.
"""

import random
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext

from thetsaban import thai
from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu, Province
from thetsaban.places.pickers import LGUS
from thetsaban.practices.choices import Maturity, Recognition, ReviewStatus, Tier
from thetsaban.practices.models import Practice, PracticeResult, PracticeStep, Theme
from thetsaban.search.services import bulk_index

EXAMPLE_NOTE = "(ข้อมูลตัวอย่าง) สร้างโดยคำสั่ง generate_example_data"
LGU_PREFIX = "EX-"
BATCH = 1000

# Each topic: theme, (Thai title, English title) cores, problems, activities, outputs,
# results (indicator, unit, baseline range, change), partners.
TOPICS = {
    "waste": {
        "theme": "environment",
        "titles": [("การคัดแยกขยะต้นทางโดยชุมชน", "Community waste separation at source"),
                   ("ธนาคารขยะรีไซเคิลในโรงเรียนและชุมชน", "Recycling waste banks in schools and communities"),
                   ("ลดขยะพลาสติกในตลาดสด", "Reducing plastic waste in fresh markets"),
                   ("ปุ๋ยหมักจากขยะอินทรีย์ครัวเรือน", "Compost from household organic waste")],
        "problems": ["ปริมาณขยะมูลฝอยเพิ่มขึ้นทุกปีจนบ่อฝังกลบใกล้เต็ม",
                     "ครัวเรือนไม่คัดแยกขยะก่อนทิ้ง ทำให้ค่าใช้จ่ายในการเก็บขนสูง",
                     "ขยะพลาสติกอุดตันท่อระบายน้ำในช่วงฤดูฝน"],
        "activities": ["สำรวจปริมาณและองค์ประกอบขยะในแต่ละชุมชน", "จัดตั้งธนาคารขยะประจำชุมชน",
                       "อบรมแกนนำครัวเรือนเรื่องการคัดแยกขยะ", "จัดจุดรับขยะอันตรายจากบ้านเรือน",
                       "ทำข้อตกลงกับผู้ค้าในตลาดเพื่อลดถุงพลาสติก", "ส่งเสริมการทำปุ๋ยหมักในครัวเรือน"],
        "results": [("ปริมาณขยะที่ส่งไปฝังกลบ", "ตันต่อวัน", (40, 120), -0.3),
                    ("จำนวนครัวเรือนที่คัดแยกขยะ", "ครัวเรือน", (200, 3000), 1.5)],
    },
    "water": {
        "theme": "environment",
        "titles": [("การจัดการน้ำเสียชุมชนด้วยบ่อบำบัดธรรมชาติ", "Community wastewater treatment with natural ponds"),
                   ("ฟื้นฟูคลองสายหลักโดยการมีส่วนร่วม", "Participatory restoration of the main canal"),
                   ("ประปาหมู่บ้านที่ได้มาตรฐาน", "Village water supply up to standard")],
        "problems": ["น้ำเสียจากบ้านเรือนไหลลงคลองโดยไม่ผ่านการบำบัด",
                     "คุณภาพน้ำในคลองต่ำจนส่งกลิ่นเหม็นในฤดูแล้ง",
                     "ประชาชนบางส่วนยังขาดน้ำประปาที่สะอาดและเพียงพอ"],
        "activities": ["ตรวจวัดคุณภาพน้ำร่วมกับสถาบันการศึกษา", "ติดตั้งถังดักไขมันในครัวเรือนและร้านอาหาร",
                       "ขุดลอกคลองและปลูกพืชบำบัดน้ำ", "จัดตั้งอาสาสมัครเฝ้าระวังคุณภาพน้ำ",
                       "ปรับปรุงระบบกรองน้ำประปาหมู่บ้าน"],
        "results": [("ค่าบีโอดีของน้ำในคลอง", "มก./ลิตร", (15, 40), -0.5),
                    ("ครัวเรือนที่มีถังดักไขมัน", "ครัวเรือน", (50, 800), 2.0)],
    },
    "budget": {
        "theme": "budget",
        "titles": [("งบประมาณแบบมีส่วนร่วมของประชาชน", "Participatory budgeting"),
                   ("การจัดเก็บภาษีที่ดินและสิ่งปลูกสร้างอย่างมีประสิทธิภาพ", "Efficient land and building tax collection"),
                   ("การลงทุนร่วมกับภาคเอกชนในตลาดเทศบาล", "Joint investment with the private sector in the municipal market")],
        "problems": ["รายได้ของเทศบาลไม่เพียงพอต่อภารกิจที่เพิ่มขึ้น",
                     "ประชาชนไม่ทราบว่างบประมาณถูกใช้ไปกับโครงการใด",
                     "การจัดเก็บภาษีท้องถิ่นยังไม่ครบถ้วนและล่าช้า"],
        "activities": ["จัดเวทีประชาคมเพื่อจัดลำดับความสำคัญของโครงการ", "เผยแพร่ข้อมูลงบประมาณบนเว็บไซต์เทศบาล",
                       "ปรับปรุงแผนที่ภาษีและทะเบียนทรัพย์สิน", "จัดทำแผนพัฒนาท้องถิ่นร่วมกับชุมชน",
                       "ศึกษาความเป็นไปได้ของการลงทุนร่วม"],
        "results": [("รายได้จากภาษีท้องถิ่น", "ล้านบาท", (5, 80), 0.25),
                    ("โครงการที่มาจากข้อเสนอของประชาชน", "โครงการ", (2, 20), 1.0)],
    },
    "participation": {
        "theme": "participation",
        "titles": [("สภาเด็กและเยาวชนร่วมวางแผนพัฒนาเมือง", "Children and youth council in city planning"),
                   ("เวทีประชาคมออนไลน์และออฟไลน์", "Online and offline community forums"),
                   ("แผนชุมชนโดยชุมชนเพื่อชุมชน", "Community plans by and for the community")],
        "problems": ["ประชาชนมีส่วนร่วมในการวางแผนน้อยและมักเป็นกลุ่มเดิม",
                     "คนรุ่นใหม่ไม่สนใจกิจกรรมของเทศบาล",
                     "ข้อเสนอของชุมชนไม่ได้ถูกนำไปใช้ในแผนพัฒนา"],
        "activities": ["จัดประชุมกลุ่มย่อยในทุกชุมชน", "เปิดช่องทางรับฟังความคิดเห็นผ่านแอปพลิเคชัน",
                       "อบรมผู้นำชุมชนเรื่องการจัดทำแผนชุมชน", "คืนข้อมูลผลการดำเนินงานให้ชุมชนทุกไตรมาส"],
        "results": [("ผู้เข้าร่วมเวทีประชาคม", "คน", (100, 1500), 0.8),
                    ("ชุมชนที่มีแผนชุมชนฉบับปรับปรุง", "ชุมชน", (3, 40), 0.6)],
    },
    "eservice": {
        "theme": "governance",
        "titles": [("บริการอิเล็กทรอนิกส์แบบเบ็ดเสร็จ", "One-stop electronic services"),
                   ("ระบบรับเรื่องร้องเรียนผ่านโทรศัพท์มือถือ", "Complaints by mobile phone"),
                   ("ลดขั้นตอนการขออนุญาตก่อสร้าง", "Fewer steps for building permits")],
        "problems": ["ประชาชนต้องเดินทางมาติดต่อที่สำนักงานหลายครั้ง",
                     "เรื่องร้องเรียนตกหล่นและติดตามผลไม่ได้",
                     "การขออนุญาตใช้เวลานานและเอกสารซ้ำซ้อน"],
        "activities": ["ทบทวนและลดขั้นตอนการให้บริการ", "พัฒนาระบบรับคำร้องออนไลน์",
                       "อบรมเจ้าหน้าที่ให้ใช้ระบบสารสนเทศ", "เชื่อมโยงฐานข้อมูลทะเบียนราษฎร์และภาษี",
                       "สำรวจความพึงพอใจของผู้รับบริการ"],
        "results": [("ระยะเวลาให้บริการเฉลี่ย", "นาที", (30, 120), -0.6),
                    ("ความพึงพอใจของผู้รับบริการ", "ร้อยละ", (60, 80), 0.15)],
    },
    "elderly": {
        "theme": "participation",
        "titles": [("ศูนย์ดูแลผู้สูงอายุกลางวันในชุมชน", "Community day-care centre for older people"),
                   ("อาสาสมัครดูแลผู้สูงอายุที่บ้าน", "Home-care volunteers for older people"),
                   ("โรงเรียนผู้สูงอายุ", "School for older people")],
        "problems": ["จำนวนผู้สูงอายุที่อยู่ลำพังเพิ่มขึ้นอย่างรวดเร็ว",
                     "ผู้สูงอายุติดเตียงเข้าไม่ถึงการฟื้นฟูสุขภาพ",
                     "ครอบครัวขาดความรู้ในการดูแลผู้สูงอายุ"],
        "activities": ["สำรวจข้อมูลผู้สูงอายุรายครัวเรือน", "อบรมอาสาสมัครดูแลผู้สูงอายุ",
                       "จัดกิจกรรมส่งเสริมสุขภาพทุกสัปดาห์", "ประสานโรงพยาบาลส่งเสริมสุขภาพตำบล",
                       "จัดหาอุปกรณ์ช่วยเหลือผู้พิการและผู้สูงอายุ"],
        "results": [("ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน", "คน", (50, 900), 1.2),
                    ("อาสาสมัครที่ผ่านการอบรม", "คน", (10, 200), 1.0)],
    },
    "market": {
        "theme": "budget",
        "titles": [("ฟื้นฟูตลาดเก่าเป็นแหล่งเรียนรู้", "Reviving an old market as a place of learning"),
                   ("ตลาดนัดสีเขียวของเกษตรกร", "Green farmers' market"),
                   ("ถนนคนเดินวัฒนธรรม", "Cultural walking street")],
        "problems": ["ตลาดเก่าทรุดโทรมและผู้ค้าลดลง", "ผู้ค้ามีหลายกลุ่มและขาดการรวมตัว",
                     "สินค้าเกษตรในท้องถิ่นขาดช่องทางจำหน่าย"],
        "activities": ["จัดตั้งคณะกรรมการตลาดจากผู้ค้าทุกกลุ่ม", "ปรับปรุงภูมิทัศน์และความสะอาดของตลาด",
                       "ประชาสัมพันธ์ตลาดผ่านสื่อสังคมออนไลน์", "จัดทำแผนพัฒนาตลาดร่วมกับชุมชน"],
        "results": [("จำนวนผู้ค้า", "ราย", (20, 300), 0.5), ("รายได้เฉลี่ยของผู้ค้า", "บาทต่อวัน", (500, 3000), 0.3)],
    },
    "flood": {
        "theme": "environment",
        "titles": [("ระบบเตือนภัยน้ำท่วมโดยชุมชน", "Community flood early warning"),
                   ("แผนรับมือภัยพิบัติระดับชุมชน", "Community disaster preparedness plans"),
                   ("พื้นที่รับน้ำและสวนสาธารณะ", "Retention areas and public parks")],
        "problems": ["น้ำท่วมขังในเขตเมืองทุกฤดูฝน", "ชุมชนริมน้ำได้รับความเสียหายซ้ำซาก",
                     "ข้อมูลระดับน้ำไม่ถึงประชาชนทันเวลา"],
        "activities": ["ติดตั้งเครื่องวัดระดับน้ำและระบบแจ้งเตือน", "ซ้อมแผนอพยพร่วมกับชุมชน",
                       "ขุดลอกท่อระบายน้ำก่อนฤดูฝน", "จัดทำแผนที่เสี่ยงภัยของชุมชน"],
        "results": [("ครัวเรือนที่ได้รับผลกระทบจากน้ำท่วม", "ครัวเรือน", (100, 2000), -0.4),
                    ("เวลาแจ้งเตือนล่วงหน้า", "ชั่วโมง", (1, 6), 2.0)],
    },
    "tourism": {
        "theme": "budget",
        "titles": [("การท่องเที่ยวโดยชุมชน", "Community-based tourism"),
                   ("เส้นทางท่องเที่ยวเชิงประวัติศาสตร์ของเมือง", "Historic city trail"),
                   ("โฮมสเตย์มาตรฐานของชุมชน", "Community homestays up to standard")],
        "problems": ["นักท่องเที่ยวผ่านเมืองไปโดยไม่แวะพัก", "รายได้จากการท่องเที่ยวไม่กระจายถึงชุมชน",
                     "แหล่งท่องเที่ยวขาดการดูแลและข้อมูลสื่อความหมาย"],
        "activities": ["สำรวจทุนทางวัฒนธรรมของชุมชน", "อบรมมัคคุเทศก์ท้องถิ่น",
                       "จัดทำป้ายและแผนที่สื่อความหมาย", "ส่งเสริมผลิตภัณฑ์ชุมชนเป็นของที่ระลึก"],
        "results": [("นักท่องเที่ยวที่พักค้างคืน", "คนต่อปี", (1000, 20000), 0.4),
                    ("รายได้ของชุมชนจากการท่องเที่ยว", "ล้านบาท", (1, 15), 0.5)],
    },
}

PARTNERS = ["มหาวิทยาลัยในพื้นที่", "โรงพยาบาลส่งเสริมสุขภาพตำบล", "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัด",
            "ภาคเอกชนในพื้นที่", "มูลนิธิและสมาคมในท้องถิ่น", "สถานศึกษาในเขตเทศบาล", "อาสาสมัครสาธารณสุขประจำหมู่บ้าน"]
PEOPLE = ["ผู้นำชุมชน", "เจ้าหน้าที่กองสาธารณสุขและสิ่งแวดล้อม", "เจ้าหน้าที่กองคลัง", "อาสาสมัครในชุมชน",
          "ครูและนักเรียน", "ผู้ค้าในตลาด", "คณะกรรมการชุมชน", "ผู้สูงอายุและครอบครัว", "สมาชิกสภาเทศบาล"]
FACTORS = ["ผู้บริหารให้ความสำคัญและติดตามอย่างต่อเนื่อง", "ชุมชนมีส่วนร่วมตั้งแต่การวางแผนจนถึงการประเมินผล",
           "มีการประชาสัมพันธ์อย่างสม่ำเสมอ", "เจ้าหน้าที่มีความอดทนและมุ่งมั่น",
           "มีภาคีเครือข่ายช่วยสนับสนุนด้านวิชาการ", "ใช้ข้อมูลจริงของพื้นที่ในการตัดสินใจ"]
CHALLENGES = ["งบประมาณมีจำกัดในปีแรก", "ผู้รับผิดชอบโครงการย้ายตำแหน่งระหว่างดำเนินการ",
              "บางชุมชนยังไม่เห็นความสำคัญในช่วงแรก", "ระเบียบการเบิกจ่ายไม่เอื้อต่อการทำงานร่วมกับภาคประชาชน",
              "ระบบสารสนเทศเดิมเชื่อมโยงกันไม่ได้"]
COMMUNITIES = ["บ้านใหม่", "ตลาดเก่า", "ริมคลอง", "หนองบัว", "ท่าน้ำ", "วัดกลาง", "สันติสุข", "ร่วมใจ", "ศรีเมือง", "บ่อทอง"]

LGU_KINDS = [(LguType.SUBDISTRICT_MUNICIPALITY, "เทศบาลตำบลตัวอย่าง", "Example Subdistrict Municipality"),
             (LguType.TOWN, "เทศบาลเมืองตัวอย่าง", "Example Town Municipality"),
             (LguType.CITY, "เทศบาลนครตัวอย่าง", "Example City Municipality")]


def _sentence(rng, topic, lgu_name):
    """One sentence of a practice's narrative."""
    choice = rng.randrange(6)
    if choice == 0:
        return f"{lgu_name}ประสบปัญหา{rng.choice(topic['problems'])} ส่งผลกระทบต่อคุณภาพชีวิตของประชาชนในชุมชน{rng.choice(COMMUNITIES)}"
    if choice == 1:
        return f"เทศบาลร่วมกับ{rng.choice(PARTNERS)}และ{rng.choice(PEOPLE)}{rng.choice(topic['activities'])}"
    if choice == 2:
        indicator, unit, _range, _change = rng.choice(topic["results"])
        return f"ผลการดำเนินงานพบว่า{indicator}เปลี่ยนแปลงอย่างชัดเจน โดยวัดเป็น{unit}ทุกไตรมาส"
    if choice == 3:
        return f"ปัจจัยความสำเร็จสำคัญคือ{rng.choice(FACTORS)} และ{rng.choice(FACTORS)}"
    if choice == 4:
        return f"อุปสรรคที่พบคือ{rng.choice(CHALLENGES)} จึงปรับแผนการทำงานให้เหมาะสมตามสถานการณ์"
    return f"ในระยะต่อไปเทศบาลจะขยายผลไปยังชุมชน{rng.choice(COMMUNITIES)}และแลกเปลี่ยนเรียนรู้กับเทศบาลอื่นผ่านศูนย์เครือข่ายการเรียนรู้"


def _text(rng, topic, lgu_name, low, high):
    target = rng.randint(low, high)
    parts, length = [], 0
    while length < target:
        sentence = _sentence(rng, topic, lgu_name)
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)


def ensure_example_lgus(count: int, rng) -> list[Lgu]:
    """The example LGUs EX-00001..EX-count, creating the missing ones (in bulk)."""
    provinces = list(Province.objects.order_by("code").values_list("pk", flat=True))
    if not provinces:
        raise ValueError("No province is loaded; run load_demo first.")
    codes = [f"{LGU_PREFIX}{i:05d}" for i in range(1, count + 1)]
    existing = set(Lgu.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = []
    for i, code in enumerate(codes, start=1):
        if code in existing:
            continue
        lgu_type, name_th, name_en = LGU_KINDS[i % len(LGU_KINDS)]
        name_th = f"{name_th} {i}"
        missing.append(Lgu(
            code=code, name_th=name_th, name_en=f"{name_en} {i} (example data)",
            short_name="", lgu_type=lgu_type, province_id=provinces[i % len(provinces)],
            sort_name=thai.sort_key(name_th),
        ))
    created = Lgu.objects.bulk_create(missing, batch_size=BATCH)
    if created:
        created_ids = list(Lgu.objects.filter(code__in=[c.code for c in created]).values_list("pk", flat=True))
        bulk_index("lgu", created_ids)
        LGUS.refresh_words(created_ids, replace=False)  # the LGU picker's name words
    return list(Lgu.objects.filter(code__in=codes).order_by("code").only("pk", "name_th"))


def _practice(rng, lgu, themes, base_time):
    topic_key = rng.choice(list(TOPICS))
    topic = TOPICS[topic_key]
    title_th, title_en = rng.choice(topic["titles"])
    suffix = rng.random()
    if suffix < 0.3:
        community = rng.choice(COMMUNITIES)
        title_th = f"{title_th} ชุมชน{community}"
    elif suffix < 0.45:
        phase = rng.randint(2, 4)
        title_th, title_en = f"{title_th} ระยะที่ {phase}", f"{title_en}, phase {phase}"
    start = date(2012, 1, 1) + timedelta(days=rng.randrange(365 * 13))
    published = base_time - timedelta(minutes=rng.randrange(60 * 24 * 365 * 5))
    recognition = rng.choices(
        [Recognition.NONE, Recognition.LOCAL, Recognition.NATIONAL, Recognition.PROGRAMME],
        weights=[70, 12, 10, 8])[0]
    practice = Practice(
        lgu_id=lgu.pk, title_th=title_th, title_en=f"{title_en} (example data)",
        sort_title=thai.sort_key(title_th),
        summary=_text(rng, topic, lgu.name_th, 500, 1500),
        situation_before=_text(rng, topic, lgu.name_th, 150, 400),
        objectives="เพื่อ" + rng.choice(topic["activities"]) + " และเพื่อ" + rng.choice(topic["activities"]),
        resources=f"งบประมาณของเทศบาล {rng.randint(5, 500) * 1000:,} บาท และการสนับสนุนจาก{rng.choice(PARTNERS)}",
        budget_baht=rng.randint(5, 500) * 1000,
        start_date=start, start_year=start.year, end_date=None if rng.random() < 0.5 else start + timedelta(days=rng.randint(90, 1500)),
        transferability=f"เทศบาลอื่นนำไปใช้ได้หาก{rng.choice(FACTORS)}",
        lessons=_text(rng, topic, lgu.name_th, 100, 300),
        failures=rng.choice(CHALLENGES),
        maturity=rng.choice(Maturity.values), recognition=recognition,
        recognition_detail="รางวัลตัวอย่าง (ข้อมูลตัวอย่าง)" if recognition else "",
        status=ReviewStatus.PUBLISHED, tier=rng.choice(Tier.values),
        submitted_at=published - timedelta(days=7), published_at=published,
        is_example=True, source_note=EXAMPLE_NOTE,
    )
    theme_codes = {topic["theme"], "participation"}
    steps = []
    for position, activity in enumerate(rng.sample(topic["activities"], k=min(len(topic["activities"]), rng.randint(3, 5))), start=1):
        steps.append(PracticeStep(
            position=position, title=activity,
            description=_sentence(rng, topic, lgu.name_th),
            output=f"ได้{rng.choice(['ข้อมูลพื้นฐาน', 'แผนปฏิบัติการ', 'คู่มือการดำเนินงาน', 'เครือข่ายอาสาสมัคร', 'ข้อตกลงร่วมกัน'])}ของชุมชน{rng.choice(COMMUNITIES)}",
            people=", ".join(rng.sample(PEOPLE, k=2)),
            budget=f"{rng.randint(1, 200) * 1000:,} บาท",
            lessons=rng.choice(FACTORS),
        ))
    results = []
    for indicator, unit, (low, high), change in rng.sample(topic["results"], k=rng.randint(1, 2)):
        baseline = rng.randint(low, high)
        results.append(PracticeResult(
            description=f"{indicator}เปลี่ยนแปลงหลังดำเนินโครงการ", indicator=indicator,
            baseline=str(baseline), value=str(max(0, round(baseline * (1 + change)))), unit=unit,
        ))
    return practice, [themes[c] for c in sorted(theme_codes)], steps, results


def generate(count: int, seed: int = 1, progress=None, lgu_count: int | None = None) -> list[int]:
    """Create `count` published example practices (deterministic for a seed); returns their ids.

    `progress(n)` counts practices created, `progress(n, stage)` those indexed (the command's
    progress bars)."""
    from thetsaban.practices.demo import load_themes
    rng = random.Random(seed)
    with transaction.atomic():
        load_themes()
        themes = {t.code: t.pk for t in Theme.objects.all()}
        lgus = ensure_example_lgus(lgu_count or min(count, max(10, min(5000, count // 20))), rng)
    base_time = datetime(2025, 1, 1, tzinfo=UTC)
    ids: list[int] = []
    ThemeLink = Practice.themes.through
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        with transaction.atomic():
            built = [_practice(rng, rng.choice(lgus), themes, base_time) for _ in range(size)]
            practices = Practice.objects.bulk_create([b[0] for b in built])
            links, steps, results = [], [], []
            for practice, (_p, theme_ids, practice_steps, practice_results) in zip(practices, built, strict=True):
                links += [ThemeLink(practice_id=practice.pk, theme_id=t) for t in theme_ids]
                for child in practice_steps + practice_results:
                    child.practice_id = practice.pk
                steps += practice_steps
                results += practice_results
            ThemeLink.objects.bulk_create(links)
            PracticeStep.objects.bulk_create(steps)
            PracticeResult.objects.bulk_create(results)
            ids += [p.pk for p in practices]
        if progress:
            progress(size)
    # bulk_create skips the signals that keep the index current, so index in bulk here.
    bulk_index("practice", ids, progress=(lambda n: progress(n, gettext("search index"))) if progress else None)
    return ids


def generate_for_command(count: int, *, lgus: int | None = None, seed: int = 1, progress=None) -> int:
    """`generate_example_data --practices N`: published example practices, indexed; how many."""
    return len(generate(count, seed=seed, lgu_count=lgus, progress=progress))
