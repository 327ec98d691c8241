#!/usr/bin/env python3
"""Lambda-style invocations, measured: the release `bootstrap` under the Runtime API emulator against the
loopback S3 server (both on 127.0.0.1), for synthesized call captures.

For each capture, in a fresh function process: invoke → response wall time and, from the report the function
writes, its split: download (the GET, with pass 1 reading the bytes as they arrive), transcode (pass 2: render
and encode) and upload (the PUT of the recording). Median and min–max over BENCH_RUNS invocations (default 3),
after one warm-up. Then the function process's peak RSS (VmHWM) over them all, so that captures of different
lengths show whether memory grows with the call.

Usage: bench-lambda.py BOOTSTRAP CAPTURE [CAPTURE...]
"""

import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The server helper of the package check (ready line, process-group shutdown) serves here too.
spec = importlib.util.spec_from_file_location("e2e", os.path.join(ROOT, "scripts/check-package-e2e.py"))
e2e = importlib.util.module_from_spec(spec)
spec.loader.exec_module(e2e)

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402


def function_peak_rss_kib(emulator):
    """VmHWM of the emulator's child process (the bootstrap), in KiB, or None when it cannot be read."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                # pid (comm) state ppid …: comm may hold spaces, so split after its closing parenthesis.
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
            if parent != emulator.process.pid:
                continue
            with open(f"/proc/{entry}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return None


def main():
    bootstrap, captures = sys.argv[1], sys.argv[2:]
    for number, capture in enumerate(captures):
        if number:
            print()
        invoke(bootstrap, capture)


def invoke(bootstrap, capture):
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    servers = []
    work = tempfile.mkdtemp(prefix="rtp2mp3-bench-lambda.")
    try:
        s3_server = e2e.Server(
            servers, "S3 server",
            [os.path.join(ROOT, "scripts/s3-server"), "--port", "0", "--exit-on-stdin-eof"],
            dict(os.environ, RTP2MP3_SKIP_TOOL_INSTALL="1"), os.path.join(work, "s3.log"), stdin_pipe=True)
        info = s3_server.ready
        s3 = boto3.client("s3", endpoint_url=info["endpoint"], region_name=info["region"],
                          aws_access_key_id=info["accessKeyId"], aws_secret_access_key=info["secretAccessKey"],
                          config=Config(s3={"addressing_style": "path"}, proxies={}))
        bucket, key = "bench", "captures/call.pcap"
        s3.create_bucket(Bucket=bucket)
        with open(capture, "rb") as f:
            s3.put_object(Bucket=bucket, Key=key, Body=f.read())
        env = {
            "PATH": "/usr/bin:/bin", "AWS_REGION": info["region"], "AWS_ENDPOINT_URL_S3": info["endpoint"],
            "AWS_ACCESS_KEY_ID": info["accessKeyId"], "AWS_SECRET_ACCESS_KEY": info["secretAccessKey"],
            "INPUT_PREFIX": "captures/", "AWS_LAMBDA_LOG_LEVEL": "warn",
        }
        emulator = e2e.Server(
            servers, "Runtime API emulator",
            [sys.executable, os.path.join(ROOT, "scripts/runtime-api-emulator.py"), "--port", "0", "--timeout",
             "900", "--log-file", os.path.join(work, "function.log"), "--", bootstrap],
            env, os.path.join(work, "emulator.log"))
        url = emulator.ready["invokeURL"]
        event = json.dumps({"bucket": bucket, "key": key}).encode()
        rows = []
        for index in range(runs + 1):
            begin = time.monotonic()
            request = urllib.request.Request(url, data=event, method="POST")
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=900) as answer:
                body = answer.read()
                if answer.headers.get("X-Amz-Function-Error"):
                    raise SystemExit(f"bench-lambda: the invocation failed: {body[:300]!r}")
            total = (time.monotonic() - begin) * 1000
            report = json.loads(s3.get_object(Bucket=bucket, Key="recordings/call.json")["Body"].read())
            t = report["timings"]
            if index > 0:  # the first one warms the process up (a cold start is measured elsewhere)
                rows.append((total, t.get("downloadMilliseconds", 0), t["encodeMilliseconds"],
                             t.get("uploadMilliseconds", 0)))
        names = ("invoke → response", "download (GET + pass 1)", "transcode (pass 2)", "upload (PUT)")
        audio = report["output"]["durationSeconds"]
        print(f"lambda invocation: {audio:.0f} s of audio, {report['input']['bytes']} bytes in, "
              f"{report['output']['bytes']} bytes out, {runs} warm runs")
        for column, name in enumerate(names):
            values = [row[column] for row in rows]
            print(f"  {name:26s} median {statistics.median(values):8.1f} ms   "
                  f"({min(values):.1f}–{max(values):.1f})")
        peak = function_peak_rss_kib(emulator)
        if peak is not None:
            print(f"  {'function peak RSS':26s} {peak / 1024:.1f} MiB ({os.path.basename(capture)}, this process)")
    finally:
        for server in reversed(servers):
            server.stop()


if __name__ == "__main__":
    main()
