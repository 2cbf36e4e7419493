"""Demo data: one example call for practices (an award round) with entries from the seed's
published practices, an example jury and its scores. The call, its entries and the jurors are
made up to show how a call runs (marked with hooks.EXAMPLE_MARK and `is_example`); the practices
are the seed's. The results are left for league staff to publish (so that the seed's practices
get no made-up recognition)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from thetsaban import hooks
from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import record, save_audited
from thetsaban.calls import services
from thetsaban.calls.models import Call
from thetsaban.practices.models import Practice, Theme

TITLE = f"{hooks.EXAMPLE_MARK} รางวัลแนวปฏิบัติที่ดีประจำปี"
CRITERIA = [("ผลลัพธ์ที่เกิดขึ้นจริง", 40), ("ความเป็นนวัตกรรม", 30), ("การถ่ายทอดสู่ท้องถิ่นอื่นได้", 20),
            ("การมีส่วนร่วมของประชาชน", 10)]
JUROR = "example-juror-{n:02d}"
# Each juror's scores of each entry, criterion by criterion (made up).
SCORES = [[8, 7, 9, 6], [7, 8, 6, 9], [9, 6, 7, 7], [6, 9, 8, 8]]


def _juror(n: int):
    User = get_user_model()
    username = JUROR.format(n=n)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name="กรรมการตัวอย่าง", last_name=f"{n} (example data)")
        user.set_unusable_password()
        user.save()
        record(user, AuditAction.CREATE, acting_user=None, note="demo (example data)")
    return user


@transaction.atomic
def load() -> int:
    """Add the example call if it is missing; return how many rows were added."""
    if Call.objects.filter(is_example=True, title=TITLE).exists():
        return 0
    practices = list(Practice.objects.published().order_by("lgu_id", "pk"))
    chosen, lgus = [], set()
    for practice in practices:
        if practice.lgu_id not in lgus:
            chosen.append(practice)
            lgus.add(practice.lgu_id)
        if len(chosen) == 4:
            break
    call = services.open_call(
        Call(title=TITLE, is_example=True, winners=2, deadline=timezone.now() + timedelta(days=1),
             description="รอบการประกวดตัวอย่างสำหรับการสาธิตระบบ ไม่ใช่การประกวดจริง"),
        criteria=CRITERIA, themes=list(Theme.objects.all()), acting_user=None)
    added = 1 + len(CRITERIA)
    jurors = [_juror(n) for n in (1, 2, 3)]
    for user in jurors:
        services.appoint_juror(call, user, acting_user=None)
    added += len(jurors)
    criteria = list(call.criteria.order_by("position"))
    for index, practice in enumerate(chosen):
        entry = services.enter_practice(call, practice, acting_user=None)
        added += 1
        for number, user in enumerate(jurors):
            values = SCORES[(index + number) % len(SCORES)]
            services.declare_interest(entry, conflict=False, acting_user=user)
            services.submit_scores(entry, {c.pk: v for c, v in zip(criteria, values, strict=True)},
                                   acting_user=user)
            added += 1 + len(criteria)
    # The round is over: entries closed, waiting for staff to publish the results.
    call.deadline = timezone.now() - timedelta(days=1)
    save_audited(call, acting_user=None, note="demo: deadline passed")
    return added
