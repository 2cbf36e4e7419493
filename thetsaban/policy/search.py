"""What the policy recommendations put into the search index (read by the search app through hooks)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import SearchIndex
from thetsaban.search.documents import is_public, join


def recommendation_document(recommendation) -> dict | None:
    if not is_public(recommendation):
        return None
    return {
        "title": recommendation.title,
        "body": join(recommendation.issue, recommendation.sub_issue, recommendation.problem,
                     recommendation.effect, recommendation.recommendation, recommendation.target_what,
                     *(t.name_th for t in recommendation.themes.all())),
        "url": recommendation.get_absolute_url(),
    }


INDEXES = [
    SearchIndex("recommendation", 7, _("Recommendation"), "policy.Recommendation", recommendation_document),
]
