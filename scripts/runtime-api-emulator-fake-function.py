#!/usr/bin/env python3
"""A tiny Lambda function for testing runtime-api-emulator.py: it speaks the Runtime API and does what each
event's "action" says (echo, error, crash, sleep, big, twice, report). With FAKE_INIT_ERROR set it posts an init
error and exits. It counts the invocations it served, so a test sees whether the process was restarted."""

import json
import os
import sys
import time
import urllib.error
import urllib.request

BASE = "http://%s/2018-06-01/runtime" % os.environ["AWS_LAMBDA_RUNTIME_API"]
# The emulator is on loopback: never go through a proxy.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post(path, body, headers=None):
    request = urllib.request.Request(BASE + path, data=body, method="POST", headers=headers or {})
    try:
        with OPENER.open(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def error_body(error_type, message):
    return json.dumps({"errorMessage": message, "errorType": error_type, "stackTrace": []}).encode()


def main():
    if os.environ.get("FAKE_INIT_ERROR"):
        post(
            "/init/error",
            error_body("ConfigInvalid", "OUTPUT_FORMAT: expected mp3 or wav, found \"flac\""),
            {"Lambda-Runtime-Function-Error-Type": "ConfigInvalid"},
        )
        sys.exit(1)
    served = 0
    statuses = []
    while True:
        with OPENER.open(BASE + "/invocation/next") as response:
            request_id = response.headers["Lambda-Runtime-Aws-Request-Id"]
            headers = {name: response.headers[name] for name in response.headers.keys()}
            event = json.loads(response.read() or b"{}")
        served += 1
        action = event.get("action", "echo")
        print(f"fake: invocation {request_id} action {action}", file=sys.stderr, flush=True)
        respond = "/invocation/%s/response" % request_id
        if action == "echo":
            body = {"value": event.get("value"), "served": served, "headers": headers, "pid": os.getpid()}
            statuses.append(post(respond, json.dumps(body).encode()))
        elif action == "error":
            statuses.append(
                post(
                    "/invocation/%s/error" % request_id,
                    error_body("InvalidCapture", "no RTP packets found"),
                    {"Lambda-Runtime-Function-Error-Type": "InvalidCapture"},
                )
            )
        elif action == "crash":
            sys.exit(3)
        elif action == "sleep":
            time.sleep(float(event.get("seconds", 60)))
            statuses.append(post(respond, b'{"slept": true}'))
        elif action == "big":
            statuses.append(post(respond, b'"' + b"x" * (7 * 1024 * 1024) + b'"'))
        elif action == "twice":
            statuses.append(post(respond, b'{"first": true}'))
            statuses.append(post(respond, b'{"second": true}'))
            statuses.append(post("/invocation/%s/error" % request_id, error_body("Late", "after the response")))
        elif action == "report":
            post(respond, json.dumps({"statuses": statuses, "served": served}).encode())
            statuses = []


if __name__ == "__main__":
    main()
