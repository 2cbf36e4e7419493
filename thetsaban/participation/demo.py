"""Example data of participation: members' proposals with supporters, a comment thread and
flagged comments, so that the proposal queue and the moderation queue have work.

The seed has no members, proposals or comments, so everything here is example data: the members
are accounts named example-member-NN that cannot sign in (no password) and have no e-mail
address, and every proposal title and comment starts with hooks.EXAMPLE_MARK. One proposal is a
supporter short of the league's support threshold, another has reached it and waits for staff.
Rows are written directly with an audit entry each (note "demo"), so loading sends no e-mail and
uses up no posting allowance. Loading twice adds nothing.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import LeagueSettings
from thetsaban.accounts.services import record, save_audited, snapshot
from thetsaban.hooks import EXAMPLE_MARK
from thetsaban.participation.models import Comment, Endorsement, Flag, Follow, Proposal
from thetsaban.participation.targets import content_type_of, rows_for

USERNAME = "example-member-{n:02d}"
# A league that sets a very high threshold gets at most this many example supporters.
MAX_SUPPORTERS = 100

NEAR = {
    "title": f"{EXAMPLE_MARK}: ทางเดินริมคลองให้ผู้สูงอายุเดินออกกำลังกาย",
    "problem": f"{EXAMPLE_MARK}: ทางเท้าริมคลองชำรุด ผู้สูงอายุเดินออกกำลังกายตอนเช้าไม่ปลอดภัย",
    "proposal": f"{EXAMPLE_MARK}: ซ่อมทางเท้าและติดไฟส่องสว่าง โดยให้ชุมชนร่วมออกแบบ",
}
REACHED = {
    "title": f"{EXAMPLE_MARK}: จุดรับขยะอันตรายจากบ้านเรือนทุกชุมชน",
    "problem": f"{EXAMPLE_MARK}: ถ่านไฟฉายและหลอดไฟถูกทิ้งปนกับขยะทั่วไป",
    "proposal": f"{EXAMPLE_MARK}: ตั้งจุดรับขยะอันตรายในทุกชุมชนและเก็บขนเดือนละครั้ง",
}
THREAD = [
    # (author number, text, replies to the comment at this index or None, flagged by)
    (3, f"{EXAMPLE_MARK}: เห็นด้วย ทางเท้าหน้าวัดก็ชำรุดเหมือนกัน", None, ()),
    (1, f"{EXAMPLE_MARK}: ขอบคุณครับ จะเพิ่มจุดหน้าวัดในข้อเสนอ", 0, ()),
    (4, f"{EXAMPLE_MARK}: ขายของออนไลน์ราคาถูก ทักมาที่ไลน์ไอดีนี้", None, (5, 6)),
    (7, f"{EXAMPLE_MARK}: ข้อความนี้ใช้คำหยาบกับผู้แสดงความเห็นคนอื่น", None, (3,)),
]
FLAG_REASON = f"{EXAMPLE_MARK}: สแปมหรือไม่สุภาพ"


def _member(n: int) -> tuple:
    """The example member number `n`, and 1 if it was created now."""
    User = get_user_model()
    username = USERNAME.format(n=n)
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, 0
    user = User(username=username, first_name="สมาชิกตัวอย่าง", last_name="(example data)")
    user.set_unusable_password()
    user.save()
    record(user, AuditAction.CREATE, acting_user=None, note="demo (example data)")
    return user, 1


def _proposal(spec, author) -> tuple[Proposal, int]:
    item = Proposal.objects.filter(title=spec["title"]).first()
    if item is not None:
        return item, 0
    item = save_audited(Proposal(author=author, **spec), acting_user=None, note="demo")
    follow = Follow.objects.create(content_type=content_type_of(item), object_id=item.pk, user=author)
    record(follow, AuditAction.CREATE, acting_user=None, note="demo")
    return item, 1


def _support(proposal, users) -> int:
    have = set(rows_for(Endorsement, proposal).values_list("user_id", flat=True))
    added = 0
    for user in users:
        if user.pk in have or user.pk == proposal.author_id:
            continue
        endorsement = Endorsement.objects.create(content_type=content_type_of(proposal),
                                                 object_id=proposal.pk, user=user)
        record(endorsement, AuditAction.CREATE, acting_user=None, note="demo")
        added += 1
    return added


def _comment(target, author, text, parent) -> tuple[Comment, int]:
    existing = rows_for(Comment, target).filter(author=author, text=text).first()
    if existing is not None:
        return existing, 0
    comment = Comment.objects.create(content_type=content_type_of(target), object_id=target.pk,
                                     author=author, text=text, parent=parent,
                                     depth=parent.depth + 1 if parent else 0)
    record(comment, AuditAction.CREATE, acting_user=None, note="demo")
    return comment, 1


def _flag(comment, reporter) -> int:
    if rows_for(Flag, comment).filter(reporter=reporter).exists():
        return 0
    flag = Flag.objects.create(content_type=content_type_of(comment), object_id=comment.pk,
                               reporter=reporter, reason=FLAG_REASON)
    record(flag, AuditAction.CREATE, acting_user=None, note="demo")
    return 1


@transaction.atomic
def load() -> int:
    """Create the example members, proposals, supporters, comments and flags that are missing;
    returns how many rows were added."""
    threshold = LeagueSettings.load().proposal_support_threshold
    supporters = min(threshold, MAX_SUPPORTERS)
    # Members 1 and 2 write the proposals; 3 and up support, comment and flag.
    created = [_member(n) for n in range(1, max(supporters, 7) + 3)]
    members = [user for user, _new in created]
    added = sum(new for _user, new in created)
    near, n = _proposal(NEAR, members[0])
    added += n
    reached, n = _proposal(REACHED, members[1])
    added += n
    added += _support(near, members[2:2 + supporters - 1])
    added += _support(reached, members[2:2 + supporters])
    if reached.threshold_reached_at is None and rows_for(Endorsement, reached).count() >= threshold:
        before = snapshot(reached)
        reached.threshold_reached_at = timezone.now()
        reached.save(update_fields=["threshold_reached_at"])
        record(reached, AuditAction.UPDATE, acting_user=None, before=before,
               note="demo: reached the support threshold")
    comments = []
    for number, text, parent_index, flagged_by in THREAD:
        parent = comments[parent_index] if parent_index is not None else None
        comment, n = _comment(near, members[number - 1], text, parent)
        added += n
        comments.append(comment)
        for reporter in flagged_by:
            added += _flag(comment, members[reporter - 1])
    return added
