"""iCalendar (RFC 5545) feeds of events, for a centre and for the whole league.

Written by hand rather than with a library: the feed has a handful of properties, and the tests
read it back with the `icalendar` package, an independent parser.
"""

from datetime import UTC

from django.conf import settings

PRODID = "-//Thetsaban//Learning network//TH"


def _escape(text: str) -> str:
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets; a continuation starts with a space (RFC 5545 3.1)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return [out[0]] + [" " + part for part in out[1:]]


def _moment(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events, *, name: str, base_url: str) -> str:
    """The events as one VCALENDAR document (CRLF line ends)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}", f"X-WR-TIMEZONE:{settings.TIME_ZONE}"]
    for event in events:
        url = base_url + event.get_absolute_url()
        where = event.online_url or ", ".join(part for part in (
            event.place_name, event.host_lgu.name if event.host_lgu_id else "") if part)
        lines += ["BEGIN:VEVENT", f"UID:learning-event-{event.pk}@thetsaban",
                  f"DTSTAMP:{_moment(event.created_at)}", f"DTSTART:{_moment(event.starts_at)}",
                  f"DTEND:{_moment(event.ends_at)}", f"SUMMARY:{_escape(event.title)}",
                  f"URL:{url}", f"STATUS:{'CANCELLED' if event.status == 'cancelled' else 'CONFIRMED'}"]
        if event.description:
            lines.append(f"DESCRIPTION:{_escape(event.description)}")
        if where:
            lines.append(f"LOCATION:{_escape(where)}")
        location = event.location
        if location:
            lines.append(f"GEO:{location[0]:.6f};{location[1]:.6f}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
