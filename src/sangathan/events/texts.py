"""The words of an event's messages: the outbox templates and how its time, place and link read."""

from django.utils import timezone

from sangathan.core.public import public_url
from sangathan.events.codes import open_token

TEMPLATES = {
    "events_invitation": ("Meeting invitation", "आमंत्रण: {title}, {when}, {where}। विवरण: {link}",
                          "Invitation: {title}, {when}, {where}. Details: {link}"),
    "events_reminder": ("Meeting reminder", "याद दिलाना: {title}, {when}, {where}।",
                        "Reminder: {title}, {when}, {where}."),
    "events_moved": ("Meeting changed", "बदलाव: {title} अब {when}, {where}। विवरण: {link}",
                     "Changed: {title} is now {when}, {where}. Details: {link}"),
    "events_cancelled": ("Meeting cancelled", "रद्द: {title} ({when}) नहीं होगी। कारण: {reason}",
                         "Cancelled: {title} ({when}) will not take place. Reason: {reason}"),
    "events_uninvited": ("No longer invited", "सूचना: अब आप {title} ({when}) में आमंत्रित नहीं हैं। पहले भेजा गया आमंत्रण वापस लिया गया।",
                         "Notice: you are no longer invited to {title} ({when}). The earlier invitation is withdrawn."),
    "events_live": ("Live address", "{title} — {when}। जुड़ें: {link} फ़ोन: {phone}",
                    "{title} — {when}. Join: {link} Phone: {phone}"),
    "events_decision": ("Meeting decision", "बैठक '{title}' का निर्णय आपके ज़िम्मे: {text}। अंतिम तिथि {deadline}।",
                        "Decision of '{title}' for you: {text}. Deadline {deadline}."),
}


def when_text(event) -> str:
    if event.starts_at is None:
        return event.period.strftime("%m/%Y") if event.period else ""
    return timezone.localtime(event.starts_at).strftime("%d-%m-%Y %H:%M")


def where_text(event) -> str:
    return event.venue.name if event.venue_id else event.unit.name_hi


def tracked_link(invitation_id: int) -> str:
    return public_url(f"/e/{open_token(invitation_id)}")
