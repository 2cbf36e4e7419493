"""Demo data: every recommendation of the seed deck at its level, in Thai word for word.

Source: ../shared/seed/policy-recommendations.th.txt (English rendering beside it). Only the
slides' HTML fragments and bullets are removed; items a slide ran together are put on lines of
their own; the deck's LGU codes after an item ("(SK)") go to the source-LGU column. Nothing is
invented: agencies, time frames and targets stay empty where the deck names none — which is
exactly what the coverage page then shows. No example data is created.

Where the meeting's further points go (the deck gives them no level):
- ร่วมแลกเปลี่ยน (continuing the projects): networks, the learning centres and publicity
  through the media -> league (the league runs the network); academic institutions as mentors
  -> partner network; Songkhla's project with OPDC and a university -> project (SK).
- ข้อเสนอแนะเพิ่มเติม: waste management in Chiang Rai -> municipality (CR); academic help with a
  central database -> partner network; the project list of innovations, area networks and
  Songkhla's request for E-Gov support -> league; one shared IT/data system and a central IT
  base -> policy (the deck's policy table asks for a central agency for local E-Gov).
- ประเด็นแลกเปลี่ยนจากที่ประชุม: points needing understanding (2%, decentralisation), bottom-up
  policy, working from below, partnership, legal constraints and E-Gov -> policy; "until it
  becomes NMLT's agenda", recommendations for executives and NMLT's role -> league; what the
  four pilots found important and "ask why each pilot is done" -> project. The inter-municipal
  cooperation point says amendments are under way, so it is "under consideration".
The critique (ประเด็นวิพากษ์) is not a recommendation: it is the coverage page.
"""

import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from thetsaban import thai
from thetsaban.directory.models import Organisation
from thetsaban.hooks import EXAMPLE_MARK
from thetsaban.places.models import Lgu
from thetsaban.policy import services
from thetsaban.policy.choices import ActorRole, Level, RecommendationStatus
from thetsaban.policy.models import Recommendation
from thetsaban.practices.models import Practice, Theme
from thetsaban.transfers.models import Issue

SOURCE = ("ข้อเสนอแนะเชิงนโยบาย – โครงการความร่วมมือเพื่อส่งเสริมธรรมาภิบาลในการจัดการเมือง "
          "สำหรับองค์กรปกครองส่วนท้องถิ่นในภูมิภาคเอเชียตะวันออกเฉียงใต้ (DELGOSEA)")
MEETING = SOURCE + " – ประเด็นแลกเปลี่ยนจากที่ประชุม"

# The deck's LGU codes -> the places demo's LGU codes.
DECK_LGUS = {"SK": "DEMO-SK", "CR": "DEMO-CR", "YL": "DEMO-YL", "PK": "DEMO-PK"}
# Themes of the deck's first slide: each pilot's project theme, environment for the waste and
# cross-boundary environment items, participation where the item is about participation.
GOV, ENV, BUDGET, PART = "governance", "environment", "budget", "participation"

ISSUE = "ข้อกำหนดและระเบียบ"
SUB_DECENTRALISATION = "กฎหมายเกี่ยวกับการกระจายอำนาจ"
SUB_EXCHANGE = "การสานต่อโครงการที่ดำเนินการอยู่"


def R(level, recommendation, *, problem="", effect="", issue="", sub_issue="", codes="",
      themes=(), actors=(), status=RecommendationStatus.PROPOSED, source=SOURCE):
    """One recommendation of the deck."""
    return {"level": level, "recommendation": recommendation, "problem": problem,
            "effect": effect, "issue": issue, "sub_issue": sub_issue, "codes": codes,
            "themes": list(themes), "actors": list(actors), "status": status, "source": source}


IMPLEMENTS = ActorRole.IMPLEMENTING
SUPPORTS = ActorRole.SUPPORTING
ACCOUNTABLE = ActorRole.ACCOUNTABLE

RECOMMENDATIONS = [
    # -- ข้อเสนอแนะ : ระดับโครงการ ----------------------------------------------------------
    R(Level.PROJECT, "ขอรับการสนับสนุนจาก กพร.",
      problem="ขาดผู้เชี่ยวชาญด้านซอฟต์แวร์\nงบประมาณจำกัด", codes="SK", themes=[GOV],
      actors=[("opdc", SUPPORTS, "ขอรับการสนับสนุนจาก กพร.")]),
    R(Level.PROJECT, "มีการปรับแผนการทำงานให้เหมาะสมตามสถานการณ์\nการทำความเข้าใจ",
      problem="ปัญหาด้านกำลังคน\nวิทยากรที่เลี้ยงมีภารกิจอื่น\nเปลี่ยนแปลงคณะผู้บริหาร",
      codes="CR", themes=[GOV]),
    R(Level.PROJECT,
      "ควรจัดให้มีการอบรม ศึกษาดูงาน ให้ปรับเปลี่ยนแนวคิดในการพัฒนาชุมชน โดยชุมชนเอง "
      "และผลักดันให้กลุ่มตั้งเป็นมูลนิธิต่อไป\nแผนต่างๆต้องจัดทำโดยการมีส่วนร่วมในชุมชน",
      problem="สมาชิกในตลาดมีหลายกลุ่ม ขาดผู้นำตลาดที่แท้จริง\n"
              "โครงการในตลาดไม่ต่อเนื่อง ไม่สามารถตอบสนองความต้องการของกลุ่มตลาดได้",
      codes="PK", themes=[BUDGET, PART]),
    R(Level.PROJECT,
      "ส่งเสริมความสัมพันธ์ภายในชุมชนและระหว่างเทศบาลและชุมชนอย่างต่อเนื่องและจริงจัง\n"
      "ให้ความสำคัญและยกย่องบุคคลที่มีจิตสาธารณะที่เข้าร่วมกิจกรรมของชุมชนและเทศบาล",
      problem="ชุมชนในเขตเทศบาลนครยะลา มีลักษณะความเป็นอยู่ของชุมชนเมืองสูง\n"
              "ผู้นำชุมชนไม่ให้ความสำคัญกับโครงการฯ",
      codes="YL", themes=[GOV, PART]),
    # -- ข้อเสนอแนะ : ระดับหน่วยงาน (เทศบาล) -------------------------------------------------
    R(Level.MUNICIPALITY,
      "ผู้บริหารต้องให้ความสำคัญกับโครงการอย่างจริงจังและสร้างแรงจูงใจให้กับบุคลากร\n"
      "ผู้บริหารท้องถิ่นต้องให้ความสำคัญในระดับนโยบายอย่างต่อเนื่อง",
      problem="หน่วยงานหลักขาดบุคลากรที่จะรับผิดชอบดูแลโครงการฯ อย่างต่อเนื่อง",
      codes="SK, YL", themes=[GOV]),
    R(Level.MUNICIPALITY,
      "สร้างกลไกการมีส่วนร่วมระหว่าง อปท. กับ ประชาชน (Co-management) "
      "ในการจัดการขยะมูลฝอยอย่างครบวงจร (ต้นทางถึงปลายทาง)\n"
      "เพิ่มประสิทธิภาพในการขับเคลื่อน อปท. ให้เข้ามาดูแลสิ่งแวดล้อมตามภารกิจของตนอย่างเห็นผล "
      "(การขับเคลื่อนกระบวนการจัดการขยะอย่างครบวงจร)",
      problem="อปท.บางแห่งไม่ให้ความสำคัญในการลดปริมาณขยะ", codes="CR", themes=[ENV, PART]),
    R(Level.MUNICIPALITY,
      "เทศบาลควรปรับบทบาทเป็น ผู้สนับสนุนดูแลตลาด ตามภารกิจในอำนาจหน้าที่\n"
      "เทศบาลควรนำกระบวนการ จัดทำแผนชุมชน เป็นเครื่องมือในการพัฒนาตลาดเก่าๆ ผ่านกระบวนการชุมชน "
      "หรือตั้งกลุ่มตลาดเก่าเป็นชุมชนต่อไป",
      problem="มีปัญหาทางการเมืองท้องถิ่นในตลาด และปัญหาสะสมจากการพัฒนาตลาดในช่วงแรกของเทศบาล",
      codes="PK", themes=[BUDGET, PART]),
    # -- ข้อเสนอแนะ : สันนิบาตเทศบาล ----------------------------------------------------------
    R(Level.LEAGUE, "ส.ท.ท. ต้องหนุนเสริม Best Practice ได้อย่างไรเพื่อให้เกิดการทำงานอย่างต่อเนื่อง",
      themes=[GOV], actors=[("nmlt", ACCOUNTABLE, "")]),
    R(Level.LEAGUE, "ส.ท.ท. จะสร้าง Best Practice ใหม่ได้อย่างไร",
      themes=[GOV], actors=[("nmlt", ACCOUNTABLE, "")]),
    R(Level.LEAGUE, "ส.ท.ท. ต้องสนับสนุนการเพิ่มจำนวน Coach อย่างน้อย 1 เทศบาล : 1 Coach",
      themes=[GOV], actors=[("nmlt", ACCOUNTABLE, "")]),
    R(Level.LEAGUE,
      "ส.ท.ท.ต้องสร้างความเข้มแข็งและเสริมบทบาทของ ศูนย์เครือข่ายการเรียนรู้ด้านการจัดการเมืองและสิ่งแวดล้อม ทั้ง 5 ภาค",
      themes=[GOV, ENV], actors=[("nmlt", ACCOUNTABLE, "")]),
    # -- ข้อเสนอแนะ/แนวทางการผลักดัน : ภาคีเครือข่าย --------------------------------------------
    R(Level.PARTNER, "จัดทำข้อเสนอต่อรัฐบาลเพื่อสนับสนุนท้องถิ่น", issue="สถาบันพระปกเกล้า",
      themes=[GOV], actors=[("kpi", IMPLEMENTS, "")]),
    R(Level.PARTNER, "Capacity Building การจัดอบรมเสริมสร้างศักยภาพ", issue="สถาบันพระปกเกล้า",
      themes=[GOV], actors=[("kpi", IMPLEMENTS, "")]),
    R(Level.PARTNER, "การทำวิจัย", issue="สถาบันพระปกเกล้า", actors=[("kpi", IMPLEMENTS, "")]),
    R(Level.PARTNER, "Capacity Building การจัดอบรมเสริมสร้างศักยภาพ",
      issue="สถาบันการศึกษาอื่นๆ ในพื้นที่แต่ละภาค", themes=[GOV],
      actors=[("academic-regional", IMPLEMENTS, "")]),
    R(Level.PARTNER, "การทำวิจัยร่วมกับองค์กรปกครองส่วนท้องถิ่น และการจัดทำหลักสูตรท้องถิ่น",
      issue="สถาบันการศึกษาอื่นๆ ในพื้นที่แต่ละภาค", actors=[("academic-regional", IMPLEMENTS, "")]),
    R(Level.PARTNER, "การสนับสนุนและร่วมเป็นวิทยากรพี่เลี้ยงเพื่อร่วมขับเคลื่อนโครงการ",
      issue="สถาบันการศึกษาอื่นๆ ในพื้นที่แต่ละภาค", themes=[GOV],
      actors=[("academic-regional", IMPLEMENTS, "")]),
    R(Level.PARTNER, "ร่วมสนับสนุนการทำงานขององค์กรปกครองส่วนท้องถิ่น โดยเฉพาะในประเด็นเฉพาะด้าน",
      issue="ภาคประชาสังคม – มูลนิธิ สมาคมต่างๆ", actors=[("civil-society", IMPLEMENTS, "")]),
    R(Level.PARTNER, "ร่วมให้ข้อคิดเห็น สร้างการเรียนรู้ในระดับชุมชน",
      issue="ภาคประชาสังคม – มูลนิธิ สมาคมต่างๆ", themes=[PART],
      actors=[("civil-society", IMPLEMENTS, "")]),
    R(Level.PARTNER, "ช่วยผลักดันและขับเคลื่อนข้อเสนอเชิงนโยบาย",
      issue="ภาคประชาสังคม – มูลนิธิ สมาคมต่างๆ", themes=[PART],
      actors=[("civil-society", IMPLEMENTS, "")]),
    R(Level.PARTNER, "ร่วมสนับสนุนการทำงานขององค์กรปกครองส่วนท้องถิ่น ในการสร้างความรู้ความเข้าใจที่ถูกต้อง",
      issue="สื่อมวลชน", actors=[("media", IMPLEMENTS, "")]),
    R(Level.PARTNER, "เผยแพร่กิจกรรมที่ดำเนินการอยู่", issue="สื่อมวลชน",
      actors=[("media", IMPLEMENTS, "")]),
    R(Level.PARTNER, "ช่วยผลักดันและขับเคลื่อนข้อเสนอเชิงนโยบาย", issue="สื่อมวลชน", themes=[PART],
      actors=[("media", IMPLEMENTS, "")]),
    # -- ข้อเสนอแนะ : ระดับนโยบาย/ข้อกำหนด (the policy table) ---------------------------------
    R(Level.POLICY, "การแก้กฎหมายให้อปท. สามารถทำงานในชุมชนได้อย่างคล่องตัวได้",
      issue=ISSUE, sub_issue=SUB_DECENTRALISATION,
      problem="1) การให้อำนาจท้องถิ่นอย่างแท้จริง",
      effect="ไม่สามารถดำเนินงานได้ตามที่กำหนดไว้", themes=[GOV]),
    R(Level.POLICY,
      "ควรสนับสนุนให้มีการออกกฎหมายเพื่อรองรับกับหลัก 3Rs\n"
      "รัฐควรสนับสนุนงบประมาณ และสร้างศักยภาพแก่ อปท. ที่เป็นศูนย์กำจัดขยะรวม",
      issue=ISSUE, sub_issue=SUB_DECENTRALISATION, problem="2) การถ่ายโอนภารกิจ",
      effect="ถ่ายโอนมาแล้ว แต่อปท. ยังประสบปัญหางบประมาณคน และเครื่องมือ\n"
             "ถ่ายโอนมาพร้อมวัสดุอุปกรณ์ที่เสื่อมสภาพ เป็นภาระกับท้องถิ่น",
      codes="CR", themes=[ENV, BUDGET]),
    R(Level.POLICY, "การแก้กฎหมายให้ อปท. สามารถทำงานได้คล่องตัว",
      issue=ISSUE, sub_issue="กฎหมายกระจายอำนาจ",
      problem="3) ความเป็นอิสระ (Autonomy) และความคล่องตัวในการดำเนินงาน "
              "ให้ลงมาถึงภาคประชาชนให้ร่วมกันพัฒนาท้องถิ่นยังมีน้อย",
      effect="การดึงภาคประชาชนมีส่วนร่วมในการให้บริการสาธารณะในชุมชนของตนเอง",
      codes="YL", themes=[GOV, PART]),
    R(Level.POLICY, "ควรมีหน่วยงาน กลางที่วางระบบ และพัฒนา E- Gov ของ อปท. ให้เป็นระบบ เดียวกัน",
      issue=ISSUE, sub_issue="พระราชกฤษฎีกา การปรับปรุงการ ให้บริการประชาชน ฯ (E-Gov)",
      problem="1) เป็นเพียง แนวทางกว้างๆ ไม่มีระบบ สนับสนุนที่ชัดเจน",
      effect="ขาดงบประมาณ ผู้เชี่ยวชาญ และ หน่วยงานกลาง ที่ให้การ สนับสนุน", themes=[GOV]),
    R(Level.POLICY,
      "ควรกระจายอำนาจในเรื่องการส่งเสริมการมีส่วนร่วมให้ท้องถิ่นสามารถบริหารจัดการได้คล่องตัวมากขึ้น\n"
      "ส่งเสริมการมีส่วนร่วมผ่านตัวแทนประชาชนหรือกลุ่มประชาสังคม\n"
      "หากจะมีการตั้งค่าตอบแทน จะต้องโปร่งใสและเป็นธรรม และพยายามเน้นจิตสาธารณะ",
      issue=ISSUE, sub_issue="ระเบียบ หนังสือสั่งการอื่นๆ",
      problem="1) การให้อำนาจเทศบาลในการจัดตั้งกลุ่มในพื้นที่กรณี ทน.ปากเกร็ด",
      effect="เทศบาลไม่สามารถตั้งกลุ่มเองได้ แต่ต้องทำโดยท้องถิ่นผ่านอำเภอเท่านั้น "
             "และการสนับสนุนของเทศบาลตาม หลักเกณฑ์เงินอุดหนุนของท้องถิ่น\n"
             "สองมาตรฐานในการให้ค่าตอบแทนทำงานกับท้องถิ่น ได้ แต่ทำงานกับท้องถิ่น ไม่ได้",
      codes="PK", themes=[BUDGET, PART]),
    R(Level.POLICY,
      "ออกกฎหมายเพื่อรองรับบริหารจัดการความร่วมมือในรูปแบบการจัดองค์กรร่วมระหว่างอปท. "
      "และหน่วยงานภาครัฐอื่นๆ",
      issue=ISSUE, sub_issue="ระเบียบ หนังสือสั่งการ อื่นๆ",
      problem="2) ไม่มีระเบียบที่ส่งเสริมให้ท้องถิ่นมาทำกิจการร่วมกัน "
              "แต่ไม่เคยมีวิธีการที่ชัดเจนให้เอาไปปฏิบัติ และไม่มีการส่งเสริมหรือสนับสนุน",
      effect="ท้องถิ่นไม่สามารถร่วมกันทำงานได้ โดยเฉพาะในการจัดการสิ่งแวดล้อม"
             "ที่ต้องอาศัยการบริหารสิ่งแวดล้อมข้ามพรมแดน Transboundary",
      codes="CR", themes=[ENV]),
    # -- ร่วมแลกเปลี่ยน: การสานต่อโครงการที่ดำเนินการอยู่ --------------------------------------
    R(Level.LEAGUE, "ให้เครือข่ายในระดับประเทศ ระดับภาค และระดับพื้นที่เข้ามามีส่วนร่วมในการขับเคลื่อน",
      issue="ร่วมแลกเปลี่ยน", sub_issue=SUB_EXCHANGE, themes=[PART], source=MEETING),
    R(Level.PARTNER, "สถาบันวิชาการเข้ามาเป็นพี่เลี้ยงให้กับเทศบาล",
      issue="ร่วมแลกเปลี่ยน", sub_issue=SUB_EXCHANGE, source=MEETING,
      actors=[("academic-regional", IMPLEMENTS, "")]),
    R(Level.PROJECT, "โครงการของ ทน.สงขลา – ความร่วมมือของ กพร. และมหาวิทยาลัย",
      issue="ร่วมแลกเปลี่ยน", sub_issue=SUB_EXCHANGE, codes="SK", themes=[GOV], source=MEETING,
      actors=[("opdc", SUPPORTS, "")]),
    R(Level.LEAGUE, "การแลกเปลี่ยนร่วมกันผ่านเครือข่าย อาทิ ศูนย์การเรียนรู้ทั้ง 5 ภาค",
      issue="ร่วมแลกเปลี่ยน", sub_issue=SUB_EXCHANGE, source=MEETING),
    R(Level.LEAGUE, "การ ปชส.โครงการผ่านสื่อ",
      issue="ร่วมแลกเปลี่ยน", sub_issue=SUB_EXCHANGE, source=MEETING,
      actors=[("media", SUPPORTS, "")]),
    # -- ข้อเสนอแนะเพิ่มเติม ------------------------------------------------------------------
    R(Level.MUNICIPALITY, "การจัดการขยะในเชียงราย ต่างคนต่างทำ ภาคประชาชนและภาครัฐควรมาทำงานร่วมกัน",
      issue="ข้อเสนอแนะเพิ่มเติม", codes="CR", themes=[ENV, PART], source=MEETING),
    R(Level.PARTNER, "ดึงสถาบันวิชาการมาช่วย โดยเฉพาะการทำฐานข้อมูลกลางของท้องถิ่น",
      issue="ข้อเสนอแนะเพิ่มเติม", source=MEETING,
      actors=[("academic-regional", IMPLEMENTS, "")]),
    R(Level.LEAGUE,
      "สทท หรือ DELGOSEA น่าจะหาหมวดกรรมที่น่าสนใจเพิ่มเติม แล้วมาทำเป็น Project list "
      "โดย สกถ ยินดีให้การสนับสนุน",
      issue="ข้อเสนอแนะเพิ่มเติม", themes=[GOV], source=MEETING,
      actors=[("nmlt", IMPLEMENTS, ""), ("delgosea", IMPLEMENTS, ""),
              ("ondc", SUPPORTS, "สกถ ยินดีให้การสนับสนุน")]),
    R(Level.LEAGUE, "การสร้างเครือข่ายในพื้นที่ จากหน่วยงานภาครัฐ ภาคเอกชน และชุมชน",
      issue="ข้อเสนอแนะเพิ่มเติม", themes=[PART], source=MEETING),
    R(Level.LEAGUE, "ทน.สงขลา ขอการสนับสนุนจาก สทท ในการร่วมพัฒนาระบบ E –Gov",
      issue="ข้อเสนอแนะเพิ่มเติม", codes="SK", themes=[GOV], source=MEETING,
      actors=[("nmlt", SUPPORTS, "")]),
    R(Level.POLICY,
      "ระบบ IT น่าจะเป็นข้อมูลเดียวกัน โดยใช้การสื่อสาร ทำความเข้าใจ เช่น ฐานข้อมูลน้ำ ป่าชุมชน "
      "การวิเคราะห์ทุนทางสังคมในทุกๆ ระดับ ฐานข้อมูลตัวบุคคล (การหาตัวจริง ว่าใครทำอะไร มีปัญหาติดต่อใคร)",
      issue="ข้อเสนอแนะเพิ่มเติม", themes=[GOV], source=MEETING),
    R(Level.POLICY,
      "ใช้ IT ฐานกลาง เพื่อช่วยให้การแก้ปัญหาในพื้นที่ทำได้อย่างถูกต้องเหมาะสม (เชียงรายได้ทดลองทำแล้ว)",
      issue="ข้อเสนอแนะเพิ่มเติม", codes="CR", themes=[GOV], source=MEETING),
    # -- ประเด็นแลกเปลี่ยนจากที่ประชุม ----------------------------------------------------------
    R(Level.POLICY,
      "ประเด็น 2% - เพราะตัวเลขนี้เป็นตัวช่วยปกป้องท้องถิ่น ไม่ให้หน่วยงานอื่นมาใช้อำนาจเหนือท้องถิ่นได้",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="ประเด็นที่ทำความเข้าใจเพิ่มเติม",
      themes=[BUDGET], source=MEETING),
    R(Level.POLICY, "ช่องทางในการทำงานกับชุมชน ทำผ่านการจัดทำโครงการพัฒนาฯ",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="ประเด็นที่ทำความเข้าใจเพิ่มเติม",
      themes=[PART], source=MEETING),
    R(Level.POLICY, "บทบาทของคณะกรรมการกระจายอำนาจยังมีจำกัด นโยบายบางเรื่องควรเสนอไปยังรัฐบาลกลาง",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="ประเด็นที่ทำความเข้าใจเพิ่มเติม",
      themes=[GOV], source=MEETING),
    R(Level.POLICY, "ต้องเข้าใจความหมายที่แท้จริงของท้องถิ่น และการกระจายอำนาจ",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="ประเด็นที่ทำความเข้าใจเพิ่มเติม",
      themes=[GOV], source=MEETING),
    R(Level.POLICY, "ควรสร้าง Bottom-up Policy เพื่อลดจุดอ่อนของตัวเอง",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="การสร้างนโยบายจากระดับท้องถิ่น",
      themes=[PART], source=MEETING),
    R(Level.POLICY, "การทำงานจากข้างล่าง",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="ข้อเสนอแนะเชิงนโยบายให้เน้นที่",
      themes=[PART], source=MEETING),
    R(Level.POLICY, "การร่วมกันจากส่วนเล็กๆ เพื่อให้เกิด Partnership",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="ข้อเสนอแนะเชิงนโยบายให้เน้นที่",
      themes=[PART], source=MEETING),
    R(Level.LEAGUE, "ให้ท้องถิ่นทำเยอะ จนกลายมาเป็น Agenda ของ สทท. ต่อไป",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="ข้อเสนอแนะเชิงนโยบายให้เน้นที่",
      themes=[PART], source=MEETING, actors=[("nmlt", ACCOUNTABLE, "")]),
    R(Level.LEAGUE,
      "ควรมี Recommendations สำหรับผู้บริหาร เพื่อให้เห็นว่าสิ่งนี้สำคัญ "
      "และหากทำแล้วจะสามารถชณะการเลือกตั้งได้อย่างไร",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", themes=[GOV], source=MEETING),
    R(Level.POLICY, "ในกรอบกฎหมายได้กำหนดไว้บ้าง แต่ระเบียบของ สตง. ยังไม่เอื้อ ขณะนี้ได้มีความพยายามแก้ไขอยู่",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="ความร่วมมือแบบสหการ",
      themes=[BUDGET, ENV], source=MEETING, status=RecommendationStatus.UNDER_CONSIDERATION),
    R(Level.PROJECT, "ความสม่ำเสมอของการจัดกิจกรรม",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม",
      sub_issue="จากโครงการนำร่องของเทศบาล 4 แห่ง ให้ความสำคัญกับ", source=MEETING),
    R(Level.PROJECT, "การใช้กลไกภาคประชาชน ต้องทำอย่างจริงจัง และให้เกิดการมีส่วนร่วมให้ครบทุกระดับ",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม",
      sub_issue="จากโครงการนำร่องของเทศบาล 4 แห่ง ให้ความสำคัญกับ", themes=[PART], source=MEETING),
    R(Level.PROJECT, "เน้นการประชาสัมพันธ์",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม",
      sub_issue="จากโครงการนำร่องของเทศบาล 4 แห่ง ให้ความสำคัญกับ", source=MEETING),
    R(Level.PROJECT, "มีความอดทน และมุ่งมั่นของคนทำงาน",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม",
      sub_issue="จากโครงการนำร่องของเทศบาล 4 แห่ง ให้ความสำคัญกับ", source=MEETING),
    R(Level.LEAGUE, "การเสริม Best Practices และการทำระบบ Coaches",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="บทบาทของ สทท.", themes=[GOV],
      source=MEETING, actors=[("nmlt", ACCOUNTABLE, "")]),
    R(Level.LEAGUE,
      "การให้ Coaches ทำงานข้ามถิ่น ควรมีการขึ้นทะเบียน เพื่อให้เกิดการทำงานแบบ Pool ร่วมกันทั่วประเทศ "
      "การสร้าง Coaches ควรดูแลสัดส่วนให้กระจายตามพื้นที่",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="บทบาทของ สทท.", themes=[GOV],
      source=MEETING, actors=[("nmlt", ACCOUNTABLE, "")]),
    R(Level.LEAGUE, "นำ List นี้ ลง WEB เพื่อบอกรายละเอียด และเข้าไปดูข้อมูลได้",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="บทบาทของ สทท.", themes=[GOV],
      source=MEETING, actors=[("nmlt", ACCOUNTABLE, "")]),
    R(Level.LEAGUE, "ใน อปท. มี BPs เยอะมาก ควรจัดทำ List",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", sub_issue="บทบาทของ สทท.", themes=[GOV],
      source=MEETING, actors=[("nmlt", ACCOUNTABLE, "")]),
    R(Level.PROJECT,
      "โครงการของแต่ละเทศบาลนําร่อง ต้องถามว่า ทำเพราะอะไร เพราะ KPI หรือ เพื่อ Responsiveness "
      "ของท้องถิ่นที่ต้องให้บริการประชาชน",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", themes=[GOV], source=MEETING),
    R(Level.POLICY, "Constraints ในเรื่องกฎหมาย ที่ต้องหาเจ้าภาพ มาพูดคุยกัน",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", themes=[GOV], source=MEETING),
    R(Level.POLICY,
      "E Gov เป็นเพียงการเอา IT มาเป็น Tool แต่ฐานข้อมูลยัง Pool กันไม่ได้ แต่ในทางปฏิบัติ "
      "อปท ควรเสนอเรื่องนี้ขึ้นไป เพื่อให้ช่วยแก้ปัญหาข้อจำกัดที่มีอยู่",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", themes=[GOV], source=MEETING),
    R(Level.POLICY, "E Gov ในช่วงแรก ต้องลงทุน แต่ในระยะยาว Cost ก็จะลดลง คนก็จะลด",
      issue="ประเด็นแลกเปลี่ยนจากที่ประชุม", themes=[GOV, BUDGET], source=MEETING),
]

_CODE_SUFFIX = re.compile(r"\s*\((?:SK|CR|YL|PK)(?:\s*,\s*(?:SK|CR|YL|PK))*\)\s*$")
_SPACES = re.compile(r"\s+")


def _match_key(text: str) -> str:
    """Problem text compared loosely: cleaned, no code suffix, no bullets, spaces removed."""
    text = thai.clean(text)
    lines = []
    for line in text.splitlines():
        line = _CODE_SUFFIX.sub("", line.strip().lstrip("•●—-–* ").strip())
        lines.append(_SPACES.sub("", line))
    return "".join(lines)


def _matching_issues(problem: str, issues: list) -> list:
    """Issue-log rows of the pilots' transfer projects describing the same problem."""
    if not problem:
        return []
    wanted = [_match_key(line) for line in problem.splitlines() if _match_key(line)]
    whole = _match_key(problem)
    found = []
    for issue in issues:
        key = _match_key(issue.problem)
        if not key:
            continue
        if key == whole or key in wanted or any(len(w) > 8 and w in key for w in wanted) or (
                len(key) > 8 and key in whole):
            found.append(issue)
    return found


def _pilot_practices(spec, codes) -> list[int]:
    """The pilots' own practices are evidence for their project- and municipality-level items."""
    if spec["level"] not in (Level.PROJECT, Level.MUNICIPALITY) or not codes:
        return []
    places = [DECK_LGUS[c] for c in codes if c in DECK_LGUS]
    return list(Practice.objects.published().filter(lgu__code__in=places, is_example=False)
                .values_list("pk", flat=True))


# Example data, not from the seed (whose recommendations have no dates): recommendations past
# their planned end and still open, so that the overdue filter and the coverage checks have
# something to show. (level, theme code, title, recommendation, days past the planned end.)
EXAMPLE_OVERDUE = [
    (Level.LEAGUE, "participation", "คู่มือการจัดประชาคมออนไลน์สำหรับเทศบาล",
     "ส.ท.ท. จัดทำคู่มือการจัดประชาคมออนไลน์และเผยแพร่ให้เทศบาลสมาชิก", 45),
    (Level.MUNICIPALITY, "environment", "แผนลดขยะพลาสติกในตลาดสด",
     "เทศบาลนำร่องจัดทำแผนลดขยะพลาสติกในตลาดสดร่วมกับผู้ค้า", 120),
]
EXAMPLE_SOURCE = f"{EXAMPLE_MARK}: load_demo"


def load_examples(themes) -> int:
    """Create the example overdue recommendations that are missing; returns how many."""
    today = timezone.localdate()
    added = 0
    for level, theme_code, title, text, days in EXAMPLE_OVERDUE:
        title = f"{EXAMPLE_MARK}: {title}"
        if Recommendation.objects.filter(is_example=True, title=title).exists():
            continue
        services.save_recommendation(Recommendation(
            level=level, title=title, recommendation=f"{EXAMPLE_MARK}: {text}",
            status=RecommendationStatus.UNDER_CONSIDERATION, source=EXAMPLE_SOURCE, is_example=True,
            planned_start=today - timedelta(days=days + 180), planned_end=today - timedelta(days=days),
            target_what=f"{EXAMPLE_MARK}: เทศบาลสมาชิกได้รับและใช้งาน"),
            acting_user=None, themes=[themes[theme_code].pk] if theme_code in themes else [],
            note="demo (example data)")
        added += 1
    return added


def _key(spec) -> tuple:
    return (spec["level"], thai.clean(spec["recommendation"]), thai.clean(spec["problem"]),
            thai.clean(spec["issue"]), thai.clean(spec["sub_issue"]))


@transaction.atomic
def load() -> int:
    """Create the seed's recommendations that are missing; link pilots' issues; returns how many
    were added."""
    themes = {t.code: t for t in Theme.objects.all()}
    organisations = {o.code: o for o in Organisation.objects.filter(code__isnull=False)}
    lgus = {code: lgu for code, lgu in
            ((deck, Lgu.objects.filter(code=place).first()) for deck, place in DECK_LGUS.items())
            if lgu is not None}
    issues = list(Issue.objects.all())
    existing = {
        (r.level, r.recommendation, r.problem, r.issue, r.sub_issue): r
        for r in Recommendation.objects.filter(source__in=[SOURCE, MEETING])
    }
    added = 0
    for position, spec in enumerate(RECOMMENDATIONS, start=1):
        codes = [c.strip() for c in spec["codes"].split(",") if c.strip()]
        linked_issues = _matching_issues(spec["problem"], issues)
        recommendation = existing.get(_key(spec))
        if recommendation is None:
            recommendation = Recommendation(
                level=spec["level"], recommendation=spec["recommendation"],
                problem=spec["problem"], effect=spec["effect"], issue=spec["issue"],
                sub_issue=spec["sub_issue"], lgu_codes=spec["codes"], status=spec["status"],
                source=spec["source"], position=position,
                title=services.make_title(
                    (spec["issue"] + ": " if spec["level"] == Level.PARTNER else "")
                    + spec["recommendation"]))
            actors = [(organisations[code], role, note) for code, role, note in spec["actors"]
                      if code in organisations]  # an actor missing from the directory is skipped
            services.save_recommendation(
                recommendation, acting_user=None,
                themes=[themes[c].pk for c in spec["themes"] if c in themes],
                lgus=[lgus[c].pk for c in codes if c in lgus],
                issues=[i.pk for i in linked_issues],
                projects=sorted({i.project_id for i in linked_issues}),
                practices=_pilot_practices(spec, codes),
                actors=actors, note="demo data from the seed")
            added += 1
        else:
            # The transfers demo may have been loaded after this one: link what now exists.
            have_issues = set(recommendation.issues.values_list("pk", flat=True))
            new_issues = [i for i in linked_issues if i.pk not in have_issues]
            if new_issues:
                have_projects = set(recommendation.projects.values_list("pk", flat=True))
                services.save_recommendation(
                    recommendation, acting_user=None,
                    issues=sorted(have_issues | {i.pk for i in new_issues}),
                    projects=sorted(have_projects | {i.project_id for i in new_issues}),
                    note="demo data: linked to the pilots' issue log")
    return added + load_examples(themes)
