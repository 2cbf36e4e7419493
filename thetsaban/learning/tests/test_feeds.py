import json
import re

import icalendar
from django.urls import reverse

from thetsaban.learning.choices import EventKind, EventStatus
from thetsaban.learning.tests.base import LearningTestCase, make_event


class CalendarTests(LearningTestCase):
    def read(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/calendar"))
        return icalendar.Calendar.from_ical(response.content)

    def test_the_league_calendar_lists_every_centres_public_events_and_no_draft(self):
        make_event(self.north, title="ยกเลิกแล้ว", status=EventStatus.CANCELLED)
        calendar = self.read(reverse("learning:calendar"))
        events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
        self.assertEqual(set(events), {self.event.title, self.north_event.title, "ยกเลิกแล้ว"})
        self.assertEqual(events["ยกเลิกแล้ว"]["STATUS"], "CANCELLED")
        south = events[self.event.title]
        self.assertEqual(south.decoded("DTSTART"), self.event.starts_at.replace(microsecond=0))
        self.assertEqual(south.decoded("DTEND"), self.event.ends_at.replace(microsecond=0))
        self.assertEqual(str(south["URL"]), "http://testserver" + self.event.get_absolute_url())
        self.assertIn("ห้องประชุมเทศบาล", str(south["LOCATION"]))
        self.assertEqual(south.decoded("GEO"), (7.1898, 100.5954))

    def test_a_centre_calendar_has_only_its_events_with_long_thai_text_folded(self):
        long_title = "การประชุมเชิงปฏิบัติการ; การจัดการขยะ, น้ำเสีย และสิ่งแวดล้อมเมือง " * 3
        make_event(self.south, title=long_title.strip(), kind=EventKind.ONLINE, place_name="",
                   online_url="https://example.org/meet")
        response = self.client.get(reverse("learning:centre_calendar", args=["south"]))
        self.assertTrue(all(len(line) <= 75 for line in response.content.split(b"\r\n")))
        calendar = icalendar.Calendar.from_ical(response.content)
        titles = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
        self.assertEqual(sorted(titles), sorted([self.event.title, long_title.strip()]))
        online = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == long_title.strip())
        self.assertEqual(str(online["LOCATION"]), "https://example.org/meet")
        self.assertEqual(self.client.get(reverse("learning:centre_calendar", args=["nowhere"])).status_code, 404)


class JsonLdTests(LearningTestCase):
    def test_an_event_page_describes_the_event_as_schema_org_json_ld(self):
        response = self.client.get(self.event.get_absolute_url())
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
        data = json.loads(block.group(1))
        self.assertEqual(data["@type"], "Event")
        self.assertEqual(data["name"], self.event.title)
        self.assertEqual(data["eventAttendanceMode"], "https://schema.org/OfflineEventAttendanceMode")
        self.assertEqual(data["location"]["@type"], "Place")
        self.assertEqual(data["location"]["geo"]["latitude"], 7.1898)
        self.assertEqual(data["maximumAttendeeCapacity"], 2)
        self.assertEqual(data["organizer"]["name"], str(self.south))

    def test_markup_in_a_title_cannot_close_the_json_ld_script(self):
        event = make_event(self.south, title="</script><script>alert(1)</script>", kind=EventKind.ONLINE,
                           place_name="", online_url="https://example.org/meet")
        content = self.client.get(event.get_absolute_url()).content.decode()
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
        data = json.loads(block)
        self.assertEqual(data["name"], "</script><script>alert(1)</script>")
        self.assertEqual(data["location"]["@type"], "VirtualLocation")
