"""E-mail through the job queue: the page that sends mail does not wait for the mail server, and a
send that fails (server down) is tried again. Set as EMAIL_BACKEND on the database queue
(settings.py); the job sends with JOBS_EMAIL_BACKEND."""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage, EmailMultiAlternatives

from thetsaban.jobs.services import start


def _as_json(message: EmailMessage) -> dict:
    return {
        "subject": str(message.subject), "body": str(message.body), "from_email": message.from_email,
        "to": list(message.to), "cc": list(message.cc), "bcc": list(message.bcc),
        "reply_to": list(message.reply_to), "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype]
                         for content, mimetype in getattr(message, "alternatives", [])],
    }


def from_json(data: dict) -> EmailMessage:
    message = EmailMultiAlternatives(
        data["subject"], data["body"], data["from_email"], data["to"], cc=data["cc"],
        bcc=data["bcc"], reply_to=data["reply_to"], headers=data["headers"])
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def send_now(messages) -> int:
    return get_connection(settings.JOBS_EMAIL_BACKEND).send_messages(list(messages)) or 0


class QueuedEmailBackend(BaseEmailBackend):
    """Queues each batch of messages as one `mail.send` job (messages with attachments, which
    the queue does not carry, are sent at once)."""

    def send_messages(self, email_messages):
        queued, direct = [], []
        for message in email_messages:
            (direct if message.attachments else queued).append(message)
        sent = 0
        if direct:
            sent += send_now(direct)
        if queued:
            start("mail.send", messages=[_as_json(m) for m in queued])
            sent += len(queued)
        return sent
