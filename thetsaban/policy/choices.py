from django.db import models
from django.utils.translation import gettext_lazy as _

from thetsaban.transfers.choices import IssueLevel as Level  # noqa: F401  the same five levels


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    FORWARDED = "forwarded", _("Forwarded to the agency")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    ADOPTED = "adopted", _("Adopted")
    PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
    REJECTED = "rejected", _("Rejected")
    IMPLEMENTED = "implemented", _("Implemented")


# Statuses that say the recommendation was accepted: nobody sets them on their own recommendation.
APPROVAL_STATUSES = [RecommendationStatus.FORWARDED, RecommendationStatus.ADOPTED,
                     RecommendationStatus.PARTLY_ADOPTED, RecommendationStatus.IMPLEMENTED]

CLOSED_STATUSES = [RecommendationStatus.IMPLEMENTED, RecommendationStatus.REJECTED]

# The order of the deck: from the pilot project up to national policy.
LEVEL_ORDER = [Level.PROJECT, Level.MUNICIPALITY, Level.LEAGUE, Level.PARTNER, Level.POLICY]

OPEN_STATUSES = [RecommendationStatus.DRAFT, RecommendationStatus.PROPOSED,
                 RecommendationStatus.FORWARDED, RecommendationStatus.UNDER_CONSIDERATION,
                 RecommendationStatus.ADOPTED, RecommendationStatus.PARTLY_ADOPTED]


class ActorRole(models.TextChoices):
    ACCOUNTABLE = "accountable", _("Accountable")
    IMPLEMENTING = "implementing", _("Implementing")
    SUPPORTING = "supporting", _("Supporting")
