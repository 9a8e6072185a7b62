"""The people of the deadline rush, for Locust (started by ``bench/load.py``).

Reads the plan ``bench/load.py`` wrote (accounts, TOTP secrets, PDFs) from
``BENCH_LOAD_PLAN``, and writes every save and submission the portal acknowledged to
``acks_path`` when the run stops, for the database check. Each virtual user connects from
a loopback address of its own, as each person comes from their own address.
"""

import base64
import hashlib
import hmac
import json
import os
import random
import re
import struct
import sys
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.forms import post_data

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text())
PDFS = [Path(path).read_bytes() for path in PLAN["pdfs"]]
ACCOUNTS = {"applicant": list(PLAN["applicants"]), "evaluator": list(PLAN["evaluators"])}
ACKS = []
_addresses = iter(f"127.0.0.{n}" for n in range(2, 255))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FILE_INPUT = re.compile(r'<input[^>]*type="file"[^>]*>')
NAME = re.compile(r'name="([^"]+)"')
LOREM = (
    "Our main square hosts a weekly market, summer concerts and the carnival; the police and "
    "the organisers plan each event together, and we want to learn how other cities protect "
    "crowds without closing public spaces. "
)


@events.test_stop.add_listener
def _write_acknowledgements(**_kwargs):
    Path(PLAN["acks_path"]).write_text("".join(json.dumps(ack) + "\n" for ack in ACKS))


def totp(secret, at=None):
    """RFC 6238: the six digits an authenticator app shows now."""
    key = base64.b32decode(secret, casefold=True)
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def pause(low=1.0, high=3.0):
    time.sleep(random.uniform(low, high))  # patched by gevent: the other users run meanwhile


class FromAddress(HTTPAdapter):
    """Connections from one source address (requests has no option for it)."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Person(HttpUser):
    abstract = True
    wait_time = between(5, 10)
    kind = ""

    def on_start(self):
        self.account = ACCOUNTS[self.kind].pop(0)
        self.client.mount("http://", FromAddress(next(_addresses)))
        self.done = False

    def log_in(self):
        page = self.client.get("/accounts/login/", name="login page")
        form = {
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            "login": self.account["email"],
            "password": PLAN["password"],
        }
        with self.client.post(
            "/accounts/login/", form, name="login", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused ({response.status_code})")
                return None
            return response.headers["Location"]

    def form_of(self, url, *, name):
        """The data of the page's form, or None (and an error) when the page has none."""
        with self.client.get(url, name=name, catch_response=True) as response:
            try:
                return post_data(response.text, action=url)
            except LookupError:
                response.failure(f"no form on the page ({response.status_code})")
                return None

    def post_expecting_redirect(self, url, form, *, name, files=None):
        """A POST the portal acknowledges with a redirect; anything else is an error."""
        with self.client.post(
            url, form, files=files, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"not acknowledged ({response.status_code})")
                return None
            return response.headers["Location"]


class Applicant(Person):
    fixed_count = len(PLAN["applicants"])
    kind = "applicant"

    @task
    def the_journey(self):
        if self.done:
            self.client.get("/applications/", name="dashboard")
            return
        self.done = True
        if self.log_in() is None:
            return
        self.client.get("/applications/", name="dashboard")
        pause()
        self.client.get(PLAN["call_url"], name="call page")
        pause()
        form = self.form_of(PLAN["apply_url"], name="apply page")
        location = form is not None and self.post_expecting_redirect(PLAN["apply_url"], form, name="apply")
        if not location:
            return
        match = re.search(r"/applications/(\d+)/steps/", location)
        application = int(match.group(1))
        step = 1
        while True:
            url = f"/applications/{application}/steps/{step}/"
            page = self.client.get(url, name="step page")
            if page.status_code != 200:
                break
            files = self.upload_for(page.text)
            for _saving in range(1 if files else 2):  # a long step is saved twice along the way
                pause()
                marker = uuid.uuid4().hex[:12]
                form = post_data(
                    page.text,
                    button=("action", "save"),
                    text=f"{LOREM}[{marker}]",
                    line=f"Bench {marker}",
                    phone="+33 4 93 00 00 00",
                )
                name = "upload" if files else "save step"
                typed = any(marker in str(value) for value in form.values())
                if self.post_expecting_redirect(url, form, name=name, files=files) and typed:
                    ACKS.append({"kind": "save", "application": application, "step": step, "marker": marker})
                files = None
                page = self.client.get(url, name="step page")
            if 'value="continue"' not in page.text or f"/steps/{step + 1}/" not in page.text:
                break
            step += 1
        pause()
        self.client.get(f"/applications/{application}/summary/", name="summary")
        pause()
        submit_url = f"/applications/{application}/submit/"
        form = self.form_of(submit_url, name="submit page")
        if form is not None and self.post_expecting_redirect(submit_url, form, name="submit"):
            ACKS.append({"kind": "submit", "application": application})
            self.client.get(f"/applications/{application}/", name="application page")

    def upload_for(self, html):
        """The required letter, on the step that asks for a file: a PDF of 1 to 5 MB."""
        for tag in FILE_INPUT.findall(html):
            name = NAME.search(tag)
            if name and "commitment_letter" in name.group(1):
                return {name.group(1): ("signed-letter.pdf", random.choice(PDFS), "application/pdf")}
        return None


class Evaluator(Person):
    fixed_count = len(PLAN["evaluators"])
    kind = "evaluator"

    @task
    def scoring(self):
        if self.done:
            self.client.get("/evaluation/", name="evaluator home")
            return
        self.done = True
        location = self.log_in()
        if location is None:
            return
        page = self.client.get(location, name="two-factor page")
        code = {"csrfmiddlewaretoken": CSRF.search(page.text).group(1), "code": totp(self.account["secret"])}
        if self.post_expecting_redirect(location, code, name="two-factor code") is None:
            return
        self.client.get("/evaluation/", name="evaluator home")
        for action in ("save", "submit"):
            for application in self.account["applications"]:
                url = f"/evaluation/applications/{application}/"
                page = self.client.get(url, name="review page")
                pause()
                marker = uuid.uuid4().hex[:12]
                form = post_data(page.text, button=("action", action), text=f"Clear and credible [{marker}]")
                for field in list(form):
                    if field.startswith("score_"):
                        form[field] = random.choice(["2.5", "3", "3.5", "4", "4.5"])
                name = "save review" if action == "save" else "submit review"
                if self.post_expecting_redirect(url, form, name=name):
                    ACKS.append(
                        {
                            "kind": "review",
                            "evaluator": self.account["email"],
                            "application": application,
                            "marker": marker,
                        }
                    )
