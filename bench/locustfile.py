"""The simulated users of bench/load.py (locust): people reading the site and writing to it.

Not run by itself: bench/load.py prepares the accounts and records, writes them to the JSON file
named by BENCH_PLAN and starts locust with this file. Each successful write is appended to
BENCH_OUT/writes.jsonl and each failed request to BENCH_OUT/failures.jsonl (with its time), so
that load.py can look for every write afterwards and tell errors at a fault from the others.
"""

import itertools
import json
import os
import random
import re
import threading
import time
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.clients import HttpSession

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
OUT = Path(os.environ["BENCH_OUT"])
_numbers = itertools.count()
_lock = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _append(name: str, record: dict):
    with _lock, open(OUT / name, "a", encoding="utf-8") as file:
        file.write(json.dumps(record, ensure_ascii=False) + "\n")


@events.request.add_listener
def _failed(request_type, name, response_time, response_length, response=None, exception=None,
            **kwargs):
    if exception is not None:
        status = getattr(response, "status_code", 0) if response is not None else 0
        _append("failures.jsonl", {"time": time.time(), "name": name, "status": status,
                                   "error": str(exception)[:200]})


class Citizen(HttpUser):
    """One person: reads pages, lists, search and the API; comments, reports problems, and (as
    the staff of an LGU of their own) enters figures."""

    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.number = next(_numbers)
        self.me = PLAN["people"][self.number % len(PLAN["people"])]
        self.client.cookies.set("sessionid", self.me["session"])
        self.token = {"Authorization": f"Token {self.me['token']}"}
        # The API by token alone, as an app would call it (a session cookie would ask for CSRF).
        self.api = HttpSession(base_url=self.host, request_event=self.environment.events.request, user=self)
        self.writes = 0

    # ---- reads ----------------------------------------------------------------------------
    @task(6)
    def page(self):
        practice = random.choice(PLAN["practices"])
        self.client.get(f"/practices/{practice}/", name="page: practice")

    @task(3)
    def home(self):
        self.client.get("/", name="page: home")

    @task(5)
    def lists(self):
        url, name = random.choice([("/practices/", "list: practices"),
                                   ("/eservice/", "list: e-service requests"),
                                   ("/data/", "list: indicators")])
        self.client.get(url, name=name)

    @task(5)
    def search(self):
        self.client.get("/search/", params={"q": random.choice(PLAN["words"])}, name="search")

    @task(5)
    def api(self):
        url, name = random.choice([("/api/v1/practices/", "api: practices"),
                                   ("/api/v1/comments/", "api: comments")])
        self.api.get(url, headers=self.token, name=name)

    @task(2)
    def photo(self):
        """A photo: the platform's check, then the object store through a signed link."""
        if PLAN["photos"]:
            self.client.get(f"/eservice/photos/{random.choice(PLAN['photos'])}/thumb/",
                            name="photo (signed link to S3)")

    # ---- writes ---------------------------------------------------------------------------
    def marker(self, kind):
        self.writes += 1
        return f"{PLAN['run']}-{kind}-{self.number}-{self.writes}"

    @task(2)
    def comment(self):
        text = f"ความเห็นตัวอย่าง (ข้อมูลตัวอย่าง) {self.marker('comment')}"
        practice = random.choice(PLAN["practices"])
        with self.api.post("/api/v1/comments/", json={"target_type": "practice", "target_id": practice,
                                                        "text": text},
                              headers=self.token, name="write: comment", catch_response=True) as answer:
            if answer.status_code == 201:
                _append("writes.jsonl", {"kind": "comment", "id": answer.json()["id"], "text": text})
            else:
                answer.failure(f"{answer.status_code} {answer.text[:120]}")

    @task(2)
    def report(self):
        marker = self.marker("report")
        data = {"api_key": PLAN["api_key"], "jurisdiction_id": PLAN["jurisdiction"],
                "service_code": PLAN["service_code"], "address_string": PLAN["address"],
                "description": f"ไฟดับ (ข้อมูลตัวอย่าง) {marker}", **PLAN["attributes"]}
        with self.client.post("/open311/v2/requests.json", data=data, name="write: e-service report",
                               catch_response=True) as answer:
            if answer.status_code in (200, 201):
                body = answer.json()
                item = body[0] if isinstance(body, list) else body
                _append("writes.jsonl", {"kind": "report", "id": int(item["service_request_id"]),
                                         "description": data["description"]})
            else:
                answer.failure(f"{answer.status_code} {answer.text[:120]}")

    @task(1)
    def observation(self):
        """A figure in the person's own box (their LGU, their indicator, no category)."""
        if not self.me["indicator"]:
            return
        field = f"v-{self.me['indicator']}-"
        page = self.client.get(f"/data/entry/{self.me['lgu']}/", params={"period": PLAN["period"]},
                               name="page: figure entry")
        if "/accounts/login" in page.url:
            # Signed out (a lost session): the person would be asked to sign in again.
            _append("failures.jsonl", {"time": time.time(), "name": "signed out", "status": 302,
                                       "error": "asked to sign in again"})
            return
        token = CSRF.search(page.text)
        if page.status_code != 200 or not token or f'name="{field}"' not in page.text:
            return
        self.writes += 1
        value = self.writes
        with self.client.post(page.url, data={"csrfmiddlewaretoken": token.group(1), field: str(value)},
                              headers={"Referer": page.url}, allow_redirects=False,
                              name="write: observation", catch_response=True) as answer:
            period = re.search(r"period=([^&]+)", answer.headers.get("Location", ""))
            if answer.status_code == 302 and period:
                _append("writes.jsonl", {"kind": "observation", "lgu": self.me["lgu"],
                                         "indicator": self.me["indicator"], "period": period.group(1),
                                         "value": value, "user": self.number})
            else:
                answer.failure(f"{answer.status_code} figure not saved")
