"""Demo data from the seed document: the league, its partners and the pilot LGUs' offices.

Every role below is quoted from, or composed only of, the seed deck
(../shared/seed/policy-recommendations.th.txt; English rendering in policy-recommendations.en.md).
The deck names no people, so no person is created: roles (posts) say who does what, and only
the organisations' official public websites are given as contacts.
"""

from django.db import transaction

from thetsaban.directory import services
from thetsaban.directory.choices import ContactKind, OrganisationKind, Visibility
from thetsaban.directory.models import ContactDetail, Organisation, Post
from thetsaban.places.models import Lgu
from thetsaban.practices.models import Theme

ALL_THEMES = ["governance", "environment", "budget", "participation"]

# Each organisation: code, names, kind, description (Thai from the deck, then its English
# rendering), topics, public website (only official sites known for certain), and posts as
# (Thai label, English label, responsibilities, topics).
ORGANISATIONS = [
    {
        "code": "nmlt",
        "name_th": "สันนิบาตเทศบาลแห่งประเทศไทย",
        "name_en": "National Municipal League of Thailand",
        "abbreviation": "ส.ท.ท.",
        "other_names": "สทท\nNMLT\nLeague of Municipalities of Thailand",
        "kind": OrganisationKind.LEAGUE,
        "topics": ALL_THEMES,
        "description": (
            "บทบาทของ สทท.: การเสริม Best Practices และการทำระบบ Coaches; "
            "สร้างความเข้มแข็งและเสริมบทบาทของศูนย์เครือข่ายการเรียนรู้ด้านการจัดการเมืองและสิ่งแวดล้อม ทั้ง 5 ภาค; "
            "ให้ท้องถิ่นทำเยอะ จนกลายมาเป็น Agenda ของ สทท. ต่อไป\n\n"
            "NMLT's role: strengthen best practices and build the coach system; strengthen the "
            "learning-network centres for city and environmental management in all 5 regions; "
            "localities doing a lot, until it becomes NMLT's agenda."
        ),
        "posts": [
            ("หนุนเสริมและสร้าง Best Practice", "Supporting and creating best practices",
             "ส.ท.ท. ต้องหนุนเสริม Best Practice ได้อย่างไรเพื่อให้เกิดการทำงานอย่างต่อเนื่อง\n"
             "ส.ท.ท. จะสร้าง Best Practice ใหม่ได้อย่างไร\n"
             "ใน อปท. มี BPs เยอะมาก ควรจัดทำ List และนำ List นี้ ลง WEB เพื่อบอกรายละเอียด "
             "และเข้าไปดูข้อมูลได้",
             ALL_THEMES),
            ("ระบบ Coach (วิทยากรพี่เลี้ยง)", "Coach system (mentors)",
             "ส.ท.ท. ต้องสนับสนุนการเพิ่มจำนวน Coach อย่างน้อย 1 เทศบาล : 1 Coach\n"
             "การให้ Coaches ทำงานข้ามถิ่น ควรมีการขึ้นทะเบียน เพื่อให้เกิดการทำงานแบบ Pool "
             "ร่วมกันทั่วประเทศ การสร้าง Coaches ควรดูแลสัดส่วนให้กระจายตามพื้นที่",
             ALL_THEMES),
            ("ศูนย์เครือข่ายการเรียนรู้ด้านการจัดการเมืองและสิ่งแวดล้อม ทั้ง 5 ภาค",
             "Learning-network centres for city and environmental management, all 5 regions",
             "ส.ท.ท. ต้องสร้างความเข้มแข็งและเสริมบทบาทของศูนย์เครือข่ายการเรียนรู้"
             "ด้านการจัดการเมืองและสิ่งแวดล้อม ทั้ง 5 ภาค\n"
             "การแลกเปลี่ยนร่วมกันผ่านเครือข่าย อาทิ ศูนย์การเรียนรู้ทั้ง 5 ภาค",
             ["governance", "environment"]),
            ("ร่วมพัฒนาระบบ E-Gov ของท้องถิ่น", "Joint development of local E-Gov",
             "ทน.สงขลา ขอการสนับสนุนจาก สทท ในการร่วมพัฒนาระบบ E-Gov",
             ["governance"]),
            ("Project list นวัตกรรมที่น่าสนใจ", "Project list of interesting innovations",
             "สทท หรือ DELGOSEA น่าจะหานวัตกรรมที่น่าสนใจเพิ่มเติม แล้วมาทำเป็น Project list "
             "โดย สกถ ยินดีให้การสนับสนุน",
             ALL_THEMES),
        ],
    },
    {
        "code": "delgosea",
        "name_th": "DELGOSEA",
        "name_en": "Partnership for Democratic Local Governance in Southeast Asia",
        "abbreviation": "DELGOSEA",
        "other_names": ("โครงการความร่วมมือเพื่อส่งเสริมธรรมาภิบาลในการจัดการเมือง "
                        "สำหรับองค์กรปกครองส่วนท้องถิ่นในภูมิภาคเอเชียตะวันออกเฉียงใต้"),
        "kind": OrganisationKind.INTERNATIONAL,
        "topics": ALL_THEMES,
        "description": (
            "โครงการความร่วมมือเพื่อส่งเสริมธรรมาภิบาลในการจัดการเมือง สำหรับองค์กรปกครองส่วนท้องถิ่น"
            "ในภูมิภาคเอเชียตะวันออกเฉียงใต้ ดำเนินงานในประเทศไทยร่วมกับ สทท.\n\n"
            "A partnership project that promoted good governance in city management for local "
            "governments in Southeast Asia (EU-funded), run in Thailand with NMLT."
        ),
        "posts": [
            ("Project list นวัตกรรมที่น่าสนใจ", "Project list of interesting innovations",
             "สทท หรือ DELGOSEA น่าจะหานวัตกรรมที่น่าสนใจเพิ่มเติม แล้วมาทำเป็น Project list "
             "โดย สกถ ยินดีให้การสนับสนุน",
             ALL_THEMES),
        ],
    },
    {
        "code": "kpi",
        "name_th": "สถาบันพระปกเกล้า",
        "name_en": "King Prajadhipok's Institute",
        "abbreviation": "KPI",
        "other_names": "",
        "kind": OrganisationKind.ACADEMIC,
        "topics": ["governance", "participation"],
        "website": "https://www.kpi.ac.th",
        "description": (
            "ภาคีเครือข่าย: จัดทำข้อเสนอต่อรัฐบาลเพื่อสนับสนุนท้องถิ่น; Capacity Building "
            "การจัดอบรมเสริมสร้างศักยภาพ; การทำวิจัย\n\n"
            "Partner network: prepares proposals to government to support local government; "
            "capacity building (training); research."
        ),
        "posts": [
            ("จัดทำข้อเสนอต่อรัฐบาลเพื่อสนับสนุนท้องถิ่น",
             "Proposals to government in support of local government",
             "จัดทำข้อเสนอต่อรัฐบาลเพื่อสนับสนุนท้องถิ่น", ["governance"]),
            ("Capacity Building การจัดอบรมเสริมสร้างศักยภาพ", "Capacity building (training)",
             "การจัดอบรมเสริมสร้างศักยภาพ", ["governance", "participation"]),
            ("การทำวิจัย", "Research", "การทำวิจัย", []),
        ],
    },
    {
        "code": "opdc",
        "name_th": "สำนักงานคณะกรรมการพัฒนาระบบราชการ",
        "name_en": "Office of the Public Sector Development Commission",
        "abbreviation": "กพร.",
        "other_names": "OPDC",
        "kind": OrganisationKind.AGENCY,
        "topics": ["governance"],
        "website": "https://www.opdc.go.th",
        "description": (
            "ทน.สงขลา ขาดผู้เชี่ยวชาญด้านซอฟต์แวร์และงบประมาณจำกัด: ขอรับการสนับสนุนจาก กพร.; "
            "โครงการของ ทน.สงขลา – ความร่วมมือของ กพร. และมหาวิทยาลัย\n\n"
            "Songkhla City Municipality lacks software experts and budget: it asks OPDC for "
            "support; Songkhla's project continues as a cooperation between OPDC and a university."
        ),
        "posts": [
            ("สนับสนุนซอฟต์แวร์และ E-Gov ของ ทน.สงขลา",
             "Support for software and E-Gov in Songkhla City Municipality",
             "ขาดผู้เชี่ยวชาญด้านซอฟต์แวร์ งบประมาณจำกัด (SK): ขอรับการสนับสนุนจาก กพร.\n"
             "โครงการของ ทน.สงขลา – ความร่วมมือของ กพร. และมหาวิทยาลัย",
             ["governance"]),
        ],
    },
    {
        "code": "ondc",
        "name_th": "สำนักงานคณะกรรมการการกระจายอำนาจให้แก่องค์กรปกครองส่วนท้องถิ่น",
        "name_en": "Office of the Decentralisation to Local Government Organisation Committee",
        "abbreviation": "สกถ.",
        "other_names": "ONDC",
        "kind": OrganisationKind.AGENCY,
        "topics": ALL_THEMES,
        "website": "https://www.odloc.go.th",
        "description": (
            "สทท หรือ DELGOSEA น่าจะหานวัตกรรมที่น่าสนใจเพิ่มเติม แล้วมาทำเป็น Project list "
            "โดย สกถ ยินดีให้การสนับสนุน\n\n"
            "Willing to support the project list of interesting innovations that NMLT or "
            "DELGOSEA should make."
        ),
        "posts": [
            ("สนับสนุน Project list นวัตกรรมท้องถิ่น",
             "Support for the project list of local innovations",
             "สทท หรือ DELGOSEA น่าจะหานวัตกรรมที่น่าสนใจเพิ่มเติม แล้วมาทำเป็น Project list "
             "โดย สกถ ยินดีให้การสนับสนุน",
             ALL_THEMES),
        ],
    },
    {
        "code": "oag",
        "name_th": "สำนักงานการตรวจเงินแผ่นดิน",
        "name_en": "Office of the Auditor General",
        "abbreviation": "สตง.",
        "other_names": "State Audit Office\nOAG",
        "kind": OrganisationKind.AGENCY,
        "topics": ["budget", "environment"],
        "website": "https://www.audit.go.th",
        "description": (
            "ความร่วมมือแบบสหการ: ในกรอบกฎหมายได้กำหนดไว้บ้าง แต่ระเบียบของ สตง. ยังไม่เอื้อ "
            "ขณะนี้ได้มีความพยายามแก้ไขอยู่\n\n"
            "Inter-municipal cooperation (joint undertakings): the legal framework provides for "
            "it in part, but the State Audit Office's rules are not yet supportive; efforts to "
            "amend them are under way."
        ),
        "posts": [
            ("ระเบียบเกี่ยวกับความร่วมมือแบบสหการ (กิจการร่วมกันของท้องถิ่น)",
             "Rules on joint undertakings of local governments",
             "ระเบียบของ สตง. ยังไม่เอื้อต่อความร่วมมือแบบสหการ ขณะนี้ได้มีความพยายามแก้ไขอยู่; "
             "ท้องถิ่นไม่สามารถร่วมกันทำงานได้ โดยเฉพาะในการจัดการสิ่งแวดล้อมข้ามพรมแดน "
             "(Transboundary) (CR)",
             ["budget", "environment"]),
        ],
    },
    {
        "code": "academic-regional",
        "name_th": "สถาบันการศึกษาอื่นๆ ในพื้นที่แต่ละภาค",
        "name_en": "Other academic institutions in each region",
        "abbreviation": "",
        "other_names": "สถาบันวิชาการ\nมหาวิทยาลัย",
        "kind": OrganisationKind.ACADEMIC,
        "topics": ALL_THEMES,
        "description": (
            "ภาคีเครือข่าย (กลุ่มสถาบันการศึกษาในแต่ละภาค ไม่ใช่สถาบันเดียว): Capacity Building "
            "การจัดอบรมเสริมสร้างศักยภาพ; การทำวิจัยร่วมกับองค์กรปกครองส่วนท้องถิ่น และการจัดทำ"
            "หลักสูตรท้องถิ่น; การสนับสนุนและร่วมเป็นวิทยากรพี่เลี้ยงเพื่อร่วมขับเคลื่อนโครงการ; "
            "ดึงสถาบันวิชาการมาช่วย โดยเฉพาะการทำฐานข้อมูลกลางของท้องถิ่น\n\n"
            "Partner network (the academic institutions of each region as a group): capacity "
            "building (training); research with local governments and local curricula; support "
            "and act as mentors (coaches); help build a central database of local governments."
        ),
        "posts": [
            ("Capacity Building การจัดอบรมเสริมสร้างศักยภาพ", "Capacity building (training)",
             "การจัดอบรมเสริมสร้างศักยภาพ", ["governance", "participation"]),
            ("การทำวิจัยร่วมกับ อปท. และการจัดทำหลักสูตรท้องถิ่น",
             "Research with local governments, and local curricula",
             "การทำวิจัยร่วมกับองค์กรปกครองส่วนท้องถิ่น และการจัดทำหลักสูตรท้องถิ่น\n"
             "ดึงสถาบันวิชาการมาช่วย โดยเฉพาะการทำฐานข้อมูลกลางของท้องถิ่น",
             []),
            ("วิทยากรพี่เลี้ยง (Coach) ร่วมขับเคลื่อนโครงการ", "Mentors (coaches) for the projects",
             "การสนับสนุนและร่วมเป็นวิทยากรพี่เลี้ยงเพื่อร่วมขับเคลื่อนโครงการ\n"
             "สถาบันวิชาการเข้ามาเป็นพี่เลี้ยงให้กับเทศบาล",
             ALL_THEMES),
        ],
    },
    {
        "code": "civil-society",
        "name_th": "ภาคประชาสังคม – มูลนิธิ สมาคมต่างๆ",
        "name_en": "Civil society (foundations, associations)",
        "abbreviation": "",
        "other_names": "มูลนิธิ\nสมาคม",
        "kind": OrganisationKind.CIVIL_SOCIETY,
        "topics": ["participation"],
        "description": (
            "ภาคีเครือข่าย (กลุ่มมูลนิธิ สมาคมต่างๆ): ร่วมสนับสนุนการทำงานขององค์กรปกครองส่วนท้องถิ่น "
            "โดยเฉพาะในประเด็นเฉพาะด้าน; ร่วมให้ข้อคิดเห็น สร้างการเรียนรู้ในระดับชุมชน; "
            "ช่วยผลักดันและขับเคลื่อนข้อเสนอเชิงนโยบาย\n\n"
            "Partner network (foundations and associations as a group): support local "
            "governments, especially on specialised issues; give opinions and build learning at "
            "community level; help push and drive the policy proposals."
        ),
        "posts": [
            ("สนับสนุน อปท. ในประเด็นเฉพาะด้าน", "Support on specialised issues",
             "ร่วมสนับสนุนการทำงานขององค์กรปกครองส่วนท้องถิ่น โดยเฉพาะในประเด็นเฉพาะด้าน", []),
            ("สร้างการเรียนรู้ในระดับชุมชน", "Learning at community level",
             "ร่วมให้ข้อคิดเห็น สร้างการเรียนรู้ในระดับชุมชน", ["participation"]),
            ("ผลักดันข้อเสนอเชิงนโยบาย", "Pushing the policy proposals",
             "ช่วยผลักดันและขับเคลื่อนข้อเสนอเชิงนโยบาย", ["participation"]),
        ],
    },
    {
        "code": "media",
        "name_th": "สื่อมวลชน",
        "name_en": "Mass media",
        "abbreviation": "",
        "other_names": "สื่อ",
        "kind": OrganisationKind.MEDIA,
        "topics": ["participation"],
        "description": (
            "ภาคีเครือข่าย (สื่อมวลชนเป็นกลุ่ม): ร่วมสนับสนุนการทำงานขององค์กรปกครองส่วนท้องถิ่น "
            "ในการสร้างความรู้ความเข้าใจที่ถูกต้อง; เผยแพร่กิจกรรมที่ดำเนินการอยู่; "
            "ช่วยผลักดันและขับเคลื่อนข้อเสนอเชิงนโยบาย; การ ปชส.โครงการผ่านสื่อ\n\n"
            "Partner network (the media as a group): help local governments build correct "
            "knowledge and understanding; publicise the activities under way; help push and "
            "drive the policy proposals; publicise the projects through the media."
        ),
        "posts": [
            ("สร้างความรู้ความเข้าใจที่ถูกต้อง", "Building correct knowledge and understanding",
             "ร่วมสนับสนุนการทำงานขององค์กรปกครองส่วนท้องถิ่น ในการสร้างความรู้ความเข้าใจที่ถูกต้อง",
             ["participation"]),
            ("เผยแพร่กิจกรรมที่ดำเนินการอยู่", "Publicising the activities under way",
             "เผยแพร่กิจกรรมที่ดำเนินการอยู่\nการ ปชส.โครงการผ่านสื่อ", ["participation"]),
            ("ผลักดันข้อเสนอเชิงนโยบาย", "Pushing the policy proposals",
             "ช่วยผลักดันและขับเคลื่อนข้อเสนอเชิงนโยบาย", ["participation"]),
        ],
    },
]

LEAD_UNIT_TH = "หน่วยงานหลักของโครงการนำร่อง"
LEAD_UNIT_EN = "Lead unit of the pilot project"

# The pilot LGUs of the places demo, by code: the deck's abbreviation and code, and the pilot
# project with its theme(s) from the deck's first slide.
PILOT_LGUS = {
    "DEMO-SK": ("ทน.สงขลา", "SK", "ปรับปรุงประสิทธิภาพการให้บริการประชาชน",
                ["governance", "participation"]),
    "DEMO-CR": ("ทน.เชียงราย", "CR", "การบูรณาการความร่วมมือระหว่างเครือข่ายเมือง",
                ["governance", "participation"]),
    "DEMO-YL": ("ทน.ยะลา", "YL", "การให้บริการสาธารณะ โดยการมีส่วนร่วมของชุมชน",
                ["governance", "participation"]),
    "DEMO-KLAENG": ("ทต.เมืองแกลง", "", "เมืองคาร์บอนต่ำ", ["environment", "participation"]),
    "DEMO-UDON": ("ทน.อุดรธานี", "", "การจัดการน้ำเสียของเมือง", ["environment", "participation"]),
    "DEMO-PK": ("ทน.ปากเกร็ด", "PK", "การอนุรักษ์และพัฒนาตลาดเก่าอย่างมีส่วนร่วมอย่างยั่งยืน",
                ["budget", "participation"]),
}


def _link_topics(obj, codes, themes, update) -> None:
    """Add the topics that exist now and are missing (themes may be loaded after this app)."""
    wanted = {themes[c].pk for c in codes if c in themes}
    have = {t.pk for t in obj.topics.all()}
    if wanted - have:
        update(obj, acting_user=None, topics=sorted(wanted | have))


def _organisation(spec: dict, themes: dict) -> tuple[Organisation, int]:
    fields = {k: v for k, v in spec.items() if k not in ("code", "topics", "posts", "website")}
    organisation = Organisation.objects.filter(code=spec["code"]).first()
    added = 0
    if organisation is None:
        organisation = services.create_organisation(acting_user=None, code=spec["code"], **fields)
        added += 1
    _link_topics(organisation, spec.get("topics", []), themes, services.update_organisation)
    if spec.get("website"):
        added += _public_contact(organisation, ContactKind.WEBSITE, spec["website"])
    for label_th, label_en, responsibilities, topics in spec.get("posts", []):
        post = Post.objects.filter(organisation=organisation, label_th=label_th).first()
        if post is None:
            post = services.create_post(acting_user=None, organisation=organisation,
                                        label_th=label_th, label_en=label_en,
                                        responsibilities=responsibilities)
            added += 1
        _link_topics(post, topics, themes, services.update_post)
    return organisation, added


def _public_contact(organisation, kind, value) -> int:
    if ContactDetail.objects.filter(organisation=organisation, kind=kind, value=value).exists():
        return 0
    services.create_contact_detail(acting_user=None, organisation=organisation, kind=kind,
                                   value=value, label="", visibility=Visibility.PUBLIC,
                                   consent=True)
    return 1


def _lgu_office_spec(lgu: Lgu) -> dict:
    abbreviation, deck_code, project, topics = PILOT_LGUS[lgu.code]
    return {
        "code": "lgu-" + lgu.code.lower(),
        "name_th": lgu.name_th,
        "name_en": lgu.name_en,
        "abbreviation": abbreviation,
        "other_names": deck_code,
        "kind": OrganisationKind.LGU_ADMINISTRATION,
        "lgu": lgu,
        "topics": topics,
        "description": f"เทศบาลนำร่อง: {project}",
        "posts": [(LEAD_UNIT_TH, LEAD_UNIT_EN, f"โครงการนำร่อง: {project}", topics)],
    }


@transaction.atomic
def load() -> int:
    """Create the demo records that are missing; returns how many were added."""
    # The practices app owns the themes; its idempotent loader runs first so that topics link on
    # the first load even though load_demo loads the directory before the practices.
    # Upward (practices sits above directory): a reasoned exception in .importlinter.
    from thetsaban.practices.demo import load_themes

    load_themes()
    themes = {t.code: t for t in Theme.objects.all()}
    added = 0
    for spec in ORGANISATIONS:
        added += _organisation(spec, themes)[1]
    # The places demo owns the LGUs; an LGU it has not loaded is skipped.
    for lgu in Lgu.objects.filter(code__in=PILOT_LGUS).order_by("code"):
        added += _organisation(_lgu_office_spec(lgu), themes)[1]
    return added
