"""A contract test in Python against the emulator's bin, started as a subprocess.

Run from the repository root after `npm run build` (or with the package installed):
    python3 -m pytest examples/pytest
"""
import json
import os
import re
import subprocess
import urllib.request

import pytest

BIN = os.environ.get("TS_EMULATOR_BIN", os.path.join(os.path.dirname(__file__), "..", "..", "dist", "cli.js"))


@pytest.fixture(scope="module")
def emulator():
    proc = subprocess.Popen(["node", BIN, "--port", "0", "--in-memory", "--seed", "1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = None
    for line in proc.stdout:
        m = re.search(r"listening on (http://\S+)", line)
        if m:
            url = m.group(1)
            break
    assert url, "the emulator did not print its URL"
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def call(base, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, method=method, headers=headers, data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(req) as res:
            text = res.read().decode()
            return res.status, json.loads(text) if text else None
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read().decode())


def test_a_token_as_the_python_sdk_asks_for_it(emulator):
    # ThoughtSpot's generated Python SDK always sends the spec's defaults.
    status, body = call(emulator, "POST", "/api/rest/2.0/auth/token/full",
                        {"username": "tsadmin", "password": "admin", "secret_key": "", "validity_time_in_sec": 300, "auto_create": False})
    assert status == 200
    assert body["valid_for_username"] == "tsadmin"


def test_validating_a_webhook_records_a_history_job(emulator):
    _, tok = call(emulator, "POST", "/api/rest/2.0/auth/token/full", {"username": "tsadmin", "password": "admin"})
    token = tok["token"]
    status, hook = call(emulator, "POST", "/api/rest/2.0/webhooks/create",
                        {"name": "py", "url": emulator + "/_emulator/inbox/py", "events": ["LIVEBOARD_SCHEDULE"]}, token)
    assert status == 200
    status, result = call(emulator, "POST", "/api/rest/2.0/system/communication-channels/validate",
                          {"channel_type": "WEBHOOK", "channel_identifier": hook["id"], "event_type": "LIVEBOARD_SCHEDULE"}, token)
    assert result["result_code"] == "SUCCESS"
    status, history = call(emulator, "POST", "/api/rest/2.0/jobs/history/communication-channels/search",
                           {"channel_type": "WEBHOOK", "job_ids": [result["job_id"]]}, token)
    assert history["jobs"][0]["status"] == "SUCCESS"
    _, inbox = call(emulator, "GET", "/_emulator/inbox/py")
    assert inbox["messages"][0]["job_id"] == result["job_id"]


def test_an_unknown_webhook_is_a_400_in_the_envelope(emulator):
    _, tok = call(emulator, "POST", "/api/rest/2.0/auth/token/full", {"username": "tsadmin", "password": "admin"})
    status, body = call(emulator, "POST", "/api/rest/2.0/system/communication-channels/validate",
                        {"channel_type": "WEBHOOK", "channel_identifier": "nope", "event_type": "LIVEBOARD_SCHEDULE"}, tok["token"])
    assert status == 400
    assert body["error"]["message"]["debug"]["code"] == 10002
