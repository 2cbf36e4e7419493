from django.db import models
from django.utils.translation import gettext_lazy as _


class CoachStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    INACTIVE = "inactive", _("Inactive")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Limited")
    UNAVAILABLE = "unavailable", _("Not available")


class TrainingKind(models.TextChoices):
    TRAINING = "training", _("Training")
    TOT = "tot", _("Training of trainers")
    CERTIFICATE = "certificate", _("Certificate")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead coach")
    MEMBER = "member", _("Coach")


class ProposalDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
