#!/usr/bin/env python3
"""The Lambda zip end to end in an empty root (issue 6, SPEC §7); started by scripts/check-package-e2e.

1. Unpacks the zip into /var/task of an otherwise empty root: /bin/busybox (static), /bin/sh, /tmp (mode 1777,
   writable as on Lambda), /dev/urandom (as on Lambda: NSS seeds from it). Nothing else: no /lib, no /usr, no
   /etc, no CA bundle, no /proc.
2. ldd-style inspection there: the bundled loader lists every library of bin/bootstrap as resolved from
   /var/task/lib.
3. Starts the loopback S3 server (scripts/s3-server, SigV4 checked as AWS does) and the Runtime API emulator
   (scripts/runtime-api-emulator.py), both on 127.0.0.1, the emulator with a clean Lambda-like environment
   (provided.al2023's LD_LIBRARY_PATH and PATH, LAMBDA_TASK_ROOT, AWS_REGION, session credentials,
   AWS_ENDPOINT_URL_S3, INPUT_PREFIX; no proxy variables, nothing else from the host) and the function command
   `chroot --userspec=993:990 ROOT /var/task/bootstrap` (an unprivileged user, as Lambda's sbx_user1051).
4. An S3 notification (form-URL-encoded key) for a real capture: the invocation succeeds, the MP3 and the JSON
   report are stored at the mapped keys, and the MP3 decodes (ffprobe, ffmpeg) to the expected length, channels
   and rate. Then a real SRTP capture with its key object (`<key>.keys.json`): decrypted (libsrtp2 and the NSS
   modules it dlopens, from the zip) to a recording of the expected length, the key in no log line.
5. While the function waits for its next invocation, every file it has mapped (/proc/PID/maps: the program,
   the loader, every library, dlopen'ed ones included) lies inside the zip.
6. An unsupported codec (a real G.729 capture) and a file that is no capture end with errorType InvalidCapture
   and leave no recording, only the failed run's report (the error); one process served every invocation; neither the secret key nor the
   session token appears in the function's log.

Exit status 0 when every check passed; 1 with a message naming the failed check otherwise.
"""

import argparse
import json
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDATA = os.environ.get("RTP2MP3_TESTDATA") or os.path.join(os.path.dirname(ROOT), "shared", "testdata")
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy")

# The capture and what its recording must be (the CLI's acceptance test and LambdaEndToEndTests agree on it).
CAPTURE = "captures/wireshark-samples/MagicJack_short_call.pcap"
CAPTURE_KEY = "captures/2026/11/29/call-42.pcap"
RECORDING_KEY = "recordings/2026/11/29/call-42.mp3"
REPORT_KEY = "recordings/2026/11/29/call-42.json"
EXPECTED_SECONDS = 12.84
EXPECTED_CHANNELS = 2
EXPECTED_RATE = 8000
SECONDS_TOLERANCE = 0.1
# A capture that is no call (SPEC §5: a clear error, InvalidCapture).
INVALID_CAPTURE = "captures/asterisk-testsuite/ssrc1.pcap"
# Calls whose codecs come from the bundled C libraries (bcg729, libopus; SPEC §2.5), with their testdata README rows.
CODEC_CAPTURES = (
    ("captures/wireshark-samples/sip-rtp-g729a.pcap", "g729", 8.48, 8000),
    ("captures/wireshark-samples/sip-rtp-opus.pcap", "opus", 8.48, 16000),
)
# An SRTP capture and its key object (SPEC §2.4): libsrtp2 and the NSS modules it dlopens must come from the zip.
SRTP_CAPTURE = "captures/gteissier-srtp/marseillaise-srtp.pcap"
SRTP_KEY = "aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz"
SRTP_EXPECTED_SECONDS = 237.76

# Lambda's environment for provided.al2023 (AWS Lambda Developer Guide, "Defined runtime environment variables").
LAMBDA_PATH = "/usr/local/bin:/usr/bin/:/bin:/opt/bin"
LAMBDA_LD_LIBRARY_PATH = (
    "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib"
)
# Lambda runs functions as an unprivileged user (sbx_user1051), never as root.
FUNCTION_USER = "993:990"


class CheckFailed(Exception):
    pass


def log(message):
    print(f"\033[1m==> {message}\033[0m", file=sys.stderr, flush=True)


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


class Server:
    """A child server that prints one JSON ready line; stopped with SIGTERM to its process group, then SIGKILL."""

    def __init__(self, registry, name, command, env, log_path, stdin_pipe=False, ready_timeout=120):
        self.name = name
        self.log_path = log_path
        self.log_file = open(log_path, "ab")
        self.process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.PIPE if stdin_pipe else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.log_file,
            start_new_session=True,
        )
        registry.append(self)  # stopped by the caller's cleanup even when it never gets ready
        self.ready = self.read_ready_line(ready_timeout)

    def read_ready_line(self, timeout):
        deadline = time.monotonic() + timeout
        buffer = b""
        fd = self.process.stdout.fileno()
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CheckFailed(f"{self.name} printed no ready line within {timeout} s; log: {self.log_path}")
            readable, _, _ = select.select([fd], [], [], remaining)
            if readable:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise CheckFailed(
                        f"{self.name} exited before it was ready (status {self.process.wait()}):\n{tail(self.log_path)}"
                    )
                buffer += chunk
        line = buffer.split(b"\n", 1)[0]
        try:
            return json.loads(line)
        except ValueError:
            raise CheckFailed(f"{self.name}: unexpected ready line {line!r}") from None

    def stop(self):
        if self.process.poll() is None:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self.log_file.close()


def tail(path, lines=40):
    try:
        with open(path, "rb") as f:
            text = f.read().decode(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join("    | " + line for line in text.splitlines()[-lines:])


def processes_rooted_in(root):
    """PIDs of processes whose root directory is `root` (the function, chrooted there)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.path.realpath(os.readlink(f"/proc/{entry}/root")) == root:
                pids.append(int(entry))
        except OSError:
            continue
    return pids


def build_root(root, zip_path, busybox):
    os.chmod(root, 0o755)
    for directory in ("bin", "var/task"):
        os.makedirs(os.path.join(root, directory), mode=0o755)
    os.makedirs(os.path.join(root, "tmp"))
    os.chmod(os.path.join(root, "tmp"), 0o1777)
    shutil.copy2(busybox, os.path.join(root, "bin/busybox"))
    os.chmod(os.path.join(root, "bin/busybox"), 0o755)
    os.symlink("busybox", os.path.join(root, "bin/sh"))
    # Lambda's /dev holds urandom; NSS (under libsrtp2) seeds its generator from it and fails to start without it.
    os.makedirs(os.path.join(root, "dev"), mode=0o755)
    os.mknod(os.path.join(root, "dev/urandom"), 0o666 | stat.S_IFCHR, os.makedev(1, 9))
    os.chmod(os.path.join(root, "dev/urandom"), 0o666)
    result = subprocess.run(
        ["unzip", "-q", zip_path, "-d", os.path.join(root, "var/task")], capture_output=True, text=True
    )
    require(result.returncode == 0, f"unzip failed: {result.stderr.strip()}")
    require(os.access(os.path.join(root, "var/task/bootstrap"), os.X_OK), "the zip has no executable bootstrap")


def check_library_listing(root, chroot):
    listing = subprocess.run(
        [chroot, root, "/var/task/lib/ld-linux-x86-64.so.2", "--library-path", "/var/task/lib", "--list",
         "/var/task/bin/bootstrap"],
        env={"PATH": LAMBDA_PATH, "LD_LIBRARY_PATH": LAMBDA_LD_LIBRARY_PATH},
        capture_output=True,
        text=True,
    )
    text = listing.stdout + listing.stderr
    require(listing.returncode == 0, f"the bundled loader could not list bin/bootstrap:\n{text}")
    require("not found" not in text, f"unresolved libraries:\n{text}")
    libraries = []
    for line in listing.stdout.splitlines():
        parts = line.split()
        if "=>" in parts:
            path = parts[parts.index("=>") + 1]
            require(path.startswith("/var/task/lib/"), f"{parts[0]} resolved outside the zip: {path}\n{text}")
            libraries.append(parts[0])
    require(libraries, f"the loader listed no libraries:\n{text}")
    return libraries


def check_mapped_files(root):
    """Every file the running function has mapped lies in the zip (/var/task of the root)."""
    pids = processes_rooted_in(root)
    require(len(pids) == 1, f"expected one function process chrooted in {root}, found {pids}")
    pid = pids[0]
    with open(f"/proc/{pid}/status") as status:
        uids = next(line.split()[1:] for line in status if line.startswith("Uid:"))
    require(uids[0] == FUNCTION_USER.split(":")[0], f"the function runs as uid {uids[0]}, expected {FUNCTION_USER}")
    task = root + "/var/task/"
    files = set()
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            if len(fields) == 6 and fields[5].startswith("/"):
                files.add(fields[5].strip().removesuffix(" (deleted)"))
    outside = sorted(f for f in files if not f.startswith(task))
    require(not outside, f"the function (pid {pid}) maps files from outside the zip: {outside}")
    return pid, sorted(f[len(task) :] for f in files)


def form_encode(key):
    # S3 notifications carry keys application/x-www-form-urlencoded (a space is +), `/` kept.
    return urllib.parse.quote_plus(key, safe="/")


def notification_event(bucket, key, size, etag):
    with open(os.path.join(TESTDATA, "s3events/s3-notification-plus-encoded.synthetic.json")) as f:
        event = json.load(f)
    record = event["Records"][0]
    record["s3"]["bucket"]["name"] = bucket
    record["s3"]["bucket"]["arn"] = f"arn:aws:s3:::{bucket}"
    record["s3"]["object"].update({"key": form_encode(key), "size": size, "eTag": etag.strip('"')})
    return event


def invoke(url, event):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, data=json.dumps(event).encode(), method="POST")
    with opener.open(request, timeout=180) as answer:
        return answer.status, answer.headers.get("X-Amz-Function-Error"), answer.read()


def exists(s3, bucket, key):
    import botocore.exceptions

    try:
        s3.head_object(Bucket=bucket, Key=key)
        return True
    except botocore.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise


def check_recording(path, expected_seconds=EXPECTED_SECONDS, expected_rate=EXPECTED_RATE):
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
         "stream=codec_name,channels,sample_rate", "-of", "json", path],
        capture_output=True,
        text=True,
    )
    require(probe.returncode == 0, f"ffprobe rejected the recording: {probe.stderr.strip()}")
    streams = json.loads(probe.stdout).get("streams") or [{}]
    stream = streams[0]
    require(stream.get("codec_name") == "mp3", f"ffprobe: codec {stream.get('codec_name')}, expected mp3")
    channels = int(stream.get("channels", 0))
    rate = int(stream.get("sample_rate", 0))
    require(channels == EXPECTED_CHANNELS, f"ffprobe: {channels} channels, expected {EXPECTED_CHANNELS}")
    require(rate == expected_rate, f"ffprobe: {rate} Hz, expected {expected_rate}")
    decoded = subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-f", "s16le", "-acodec", "pcm_s16le", "-"],
        capture_output=True,
    )
    require(decoded.returncode == 0, f"ffmpeg could not decode the recording: {decoded.stderr.decode().strip()}")
    seconds = len(decoded.stdout) / (2 * channels * rate)
    require(
        abs(seconds - expected_seconds) < SECONDS_TOLERANCE,
        f"ffmpeg decoded {seconds:.3f} s, expected {expected_seconds} ± {SECONDS_TOLERANCE} s",
    )
    return seconds, channels, rate


def expect_invalid_capture(url, event, s3, bucket, output_keys, what):
    """The invocation ends with InvalidCapture; no recording is stored, and the report (the second key) holds
    the error, as a failed run's report does."""
    status, function_error, body = invoke(url, event)
    require(status == 200, f"{what}: invoke answered HTTP {status}")
    require(function_error is not None, f"{what}: the invocation succeeded, expected InvalidCapture: {body[:300]!r}")
    error = json.loads(body)
    require(
        error.get("errorType") == "InvalidCapture",
        f"{what}: errorType {error.get('errorType')!r}, expected InvalidCapture: {error.get('errorMessage')}",
    )
    recording_key, report_key = output_keys
    require(not exists(s3, bucket, recording_key), f"{what}: {recording_key} exists after a failed invocation")
    report = json.loads(s3.get_object(Bucket=bucket, Key=report_key)["Body"].read())
    require("error" in report and "output" not in report, f"{what}: {report_key} is not a failed run's report")
    return error.get("errorMessage", "")


def main():
    parser = argparse.ArgumentParser(description="The Lambda zip end to end in an empty root.")
    parser.add_argument("zip", nargs="?", default=os.path.join(ROOT, "dist/rtp2mp3-lambda.zip"))
    parser.add_argument("--keep", action="store_true", help="keep the root and the logs for inspection")
    args = parser.parse_args()

    zip_path = os.path.abspath(args.zip)
    require(os.path.isfile(zip_path), f"{zip_path} missing: run scripts/package first")
    require(os.geteuid() == 0, "check-package-e2e needs root for chroot")
    require(os.path.isfile(os.path.join(TESTDATA, CAPTURE)), f"test data missing: {TESTDATA}/{CAPTURE}")
    chroot = shutil.which("chroot")
    require(chroot is not None, "chroot not found (coreutils)")
    busybox = "/bin/busybox"
    static = subprocess.run(["ldd", busybox], capture_output=True, text=True)
    require("not a dynamic executable" in static.stdout + static.stderr,
            f"{busybox} is not static (apt-get install busybox-static)")
    for name in list(os.environ):
        if name.lower() in PROXY_VARIABLES:
            del os.environ[name]  # this script's own S3 and invoke calls go straight to the loopback

    import boto3
    from botocore.config import Config

    started = time.monotonic()
    servers = []
    root = work = None
    try:
        work = tempfile.mkdtemp(prefix="rtp2mp3-e2e-work.")
        root = os.path.realpath(tempfile.mkdtemp(prefix="rtp2mp3-e2e-root.", dir="/tmp"))
        log(f"1. empty root: busybox, /tmp 1777, and {os.path.basename(zip_path)} in /var/task")
        build_root(root, zip_path, busybox)

        log("2. ldd-style inspection in the empty root (bundled loader --list)")
        libraries = check_library_listing(root, chroot)
        log(f"   {len(libraries)} libraries, all from /var/task/lib: {' '.join(libraries)}")

        log("3. loopback S3 server and Runtime API emulator on 127.0.0.1")
        s3_env = dict(os.environ, RTP2MP3_SKIP_TOOL_INSTALL="1")
        s3_server = Server(
            servers,
            "S3 server",
            [os.path.join(ROOT, "scripts/s3-server"), "--port", "0", "--exit-on-stdin-eof"],
            s3_env,
            os.path.join(work, "s3-server.log"),
            stdin_pipe=True,
        )
        s3_info = s3_server.ready
        require(s3_info["endpoint"].startswith("http://127.0.0.1:"), f"S3 server not on loopback: {s3_info}")
        s3 = boto3.client(
            "s3",
            endpoint_url=s3_info["endpoint"],
            region_name=s3_info["region"],
            aws_access_key_id=s3_info["accessKeyId"],
            aws_secret_access_key=s3_info["secretAccessKey"],
            config=Config(s3={"addressing_style": "path"}, proxies={}),
        )
        bucket = "rtp2mp3-e2e"
        s3.create_bucket(Bucket=bucket)
        with open(os.path.join(TESTDATA, CAPTURE), "rb") as f:
            s3.put_object(Bucket=bucket, Key=CAPTURE_KEY, Body=f.read())
        head = s3.head_object(Bucket=bucket, Key=CAPTURE_KEY)

        session = s3_info["session"]
        lambda_env = {
            "PATH": LAMBDA_PATH,
            "LD_LIBRARY_PATH": LAMBDA_LD_LIBRARY_PATH,
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "LAMBDA_TASK_ROOT": "/var/task",
            "LAMBDA_RUNTIME_DIR": "/var/runtime",
            "_HANDLER": "rtp2mp3",
            "AWS_LAMBDA_FUNCTION_NAME": "rtp2mp3",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_REGION": s3_info["region"],
            "AWS_DEFAULT_REGION": s3_info["region"],
            "AWS_ACCESS_KEY_ID": session["accessKeyId"],
            "AWS_SECRET_ACCESS_KEY": session["secretAccessKey"],
            "AWS_SESSION_TOKEN": session["sessionToken"],
            "AWS_ENDPOINT_URL_S3": s3_info["endpoint"],
            "INPUT_PREFIX": "captures/",
        }
        function_log = os.path.join(work, "function.log")
        emulator = Server(
            servers,
            "Runtime API emulator",
            [sys.executable, os.path.join(ROOT, "scripts/runtime-api-emulator.py"), "--port", "0", "--timeout", "60",
             "--log-file", function_log, "--", chroot, f"--userspec={FUNCTION_USER}", root, "/var/task/bootstrap"],
            lambda_env,
            os.path.join(work, "emulator.log"),
        )
        url = emulator.ready["invokeURL"]
        require(url.startswith("http://127.0.0.1:"), f"emulator not on loopback: {emulator.ready}")
        log(f"   S3 {s3_info['endpoint']}, Runtime API {emulator.ready['runtimeAPI']}")

        log(f"4. S3 notification for s3://{bucket}/{CAPTURE_KEY} (key form-encoded)")
        begin = time.monotonic()
        status, function_error, body = invoke(url, notification_event(bucket, CAPTURE_KEY, head["ContentLength"],
                                                                      head["ETag"]))
        invoke_ms = (time.monotonic() - begin) * 1000
        require(status == 200, f"invoke answered HTTP {status}: {body[:300]!r}")
        require(function_error is None,
                f"the invocation failed ({function_error}): {body.decode(errors='replace')}\n{tail(function_log)}")
        for key in (RECORDING_KEY, REPORT_KEY):
            require(exists(s3, bucket, key), f"{key} missing after the invocation")
        mp3_path = os.path.join(work, "call-42.mp3")
        s3.download_file(bucket, RECORDING_KEY, mp3_path)
        mp3_bytes = os.path.getsize(mp3_path)
        seconds, channels, rate = check_recording(mp3_path)
        report = json.loads(s3.get_object(Bucket=bucket, Key=REPORT_KEY)["Body"].read())
        name = (report.get("input") or {}).get("name")
        require(name == f"s3://{bucket}/{CAPTURE_KEY}", f"the report names input {name!r}")
        log(f"   {RECORDING_KEY}: {mp3_bytes} bytes, {seconds:.2f} s, {channels} ch, {rate} Hz "
            f"(invoke {invoke_ms:.0f} ms, cold)")

        log("4b. SRTP capture with its key object")
        with open(os.path.join(TESTDATA, SRTP_CAPTURE), "rb") as f:
            s3.put_object(Bucket=bucket, Key="captures/srtp/marseillaise.pcap", Body=f.read())
        s3.put_object(Bucket=bucket, Key="captures/srtp/marseillaise.pcap.keys.json",
                      Body=json.dumps([{"suite": "AES_CM_128_HMAC_SHA1_80", "key": SRTP_KEY}]).encode())
        status, function_error, body = invoke(url, {"bucket": bucket, "key": "captures/srtp/marseillaise.pcap"})
        require(status == 200 and function_error is None,
                f"the SRTP invocation failed ({function_error}): {body.decode(errors='replace')}\n{tail(function_log)}")
        srtp_path = os.path.join(work, "marseillaise.mp3")
        s3.download_file(bucket, "recordings/srtp/marseillaise.mp3", srtp_path)
        srtp_seconds, _, _ = check_recording(srtp_path, SRTP_EXPECTED_SECONDS)
        log(f"   recordings/srtp/marseillaise.mp3: {srtp_seconds:.2f} s, decrypted with the key object")

        log("4c. G.729 and Opus captures (bcg729 and libopus from the zip)")
        for capture, name, expected_seconds, expected_rate in CODEC_CAPTURES:
            with open(os.path.join(TESTDATA, capture), "rb") as f:
                s3.put_object(Bucket=bucket, Key=f"captures/codecs/{name}.pcap", Body=f.read())
            status, function_error, body = invoke(url, {"bucket": bucket, "key": f"captures/codecs/{name}.pcap"})
            require(status == 200 and function_error is None,
                    f"the {name} invocation failed ({function_error}): {body.decode(errors='replace')}\n"
                    f"{tail(function_log)}")
            codec_path = os.path.join(work, f"{name}.mp3")
            s3.download_file(bucket, f"recordings/codecs/{name}.mp3", codec_path)
            codec_seconds, _, codec_rate = check_recording(codec_path, expected_seconds, expected_rate)
            log(f"   recordings/codecs/{name}.mp3: {codec_seconds:.2f} s, {codec_rate} Hz")

        log("5. files mapped by the running function (/proc/PID/maps)")
        pid, mapped = check_mapped_files(root)
        log(f"   pid {pid}: {len(mapped)} files, all in /var/task: {' '.join(mapped)}")

        log("6. invalid captures: InvalidCapture, no recording, the report holds the error")
        with open(os.path.join(TESTDATA, INVALID_CAPTURE), "rb") as f:
            s3.put_object(Bucket=bucket, Key="captures/bad/ssrc1.pcap", Body=f.read())
        head = s3.head_object(Bucket=bucket, Key="captures/bad/ssrc1.pcap")
        message = expect_invalid_capture(
            url,
            notification_event(bucket, "captures/bad/ssrc1.pcap", head["ContentLength"], head["ETag"]),
            s3,
            bucket,
            ("recordings/bad/ssrc1.mp3", "recordings/bad/ssrc1.json"),
            "one-packet capture",
        )
        log(f"   one-packet capture: InvalidCapture ({message[:100]})")
        s3.put_object(Bucket=bucket, Key="captures/bad/not a capture.pcap", Body=b"GIF89a, not a capture\n" * 64)
        message = expect_invalid_capture(
            url,
            {"bucket": bucket, "key": "captures/bad/not a capture.pcap"},
            s3,
            bucket,
            ("recordings/bad/not a capture.mp3", "recordings/bad/not a capture.json"),
            "not a capture",
        )
        log(f"   not a capture: InvalidCapture ({message[:100]})")

        starts = tail(os.path.join(work, "emulator.log"), 1000).count("started function pid")
        require(starts == 1, f"the function was started {starts} times, expected once for every invocation")
        with open(function_log, "rb") as f:
            logged = f.read().decode(errors="replace")
        require(logged.strip(), "the function logged nothing")
        for secret in (session["secretAccessKey"], session["sessionToken"], SRTP_KEY):
            require(secret not in logged, "a credential appears in the function's log")

        zip_bytes = os.path.getsize(zip_path)
        print(
            f"package end to end OK: {os.path.basename(zip_path)} ({zip_bytes} bytes) in an empty root "
            f"(busybox only, uid {FUNCTION_USER}): {len(libraries)} libraries all from the zip, "
            f"{CAPTURE_KEY} → {RECORDING_KEY} ({seconds:.2f} s stereo {rate} Hz), SRTP decrypted ({srtp_seconds:.2f} s), G.729 and Opus, "
            f"InvalidCapture ×2, "
            f"one process, no secrets logged; {time.monotonic() - started:.1f} s",
            flush=True,
        )
        return 0
    except Exception as failure:  # noqa: BLE001 - every failure ends in one clear message and the logs
        what = str(failure) if isinstance(failure, CheckFailed) else f"{type(failure).__name__}: {failure}"
        print(f"error: check-package-e2e: {what}", file=sys.stderr, flush=True)
        for name in ("emulator.log", "function.log", "s3-server.log") if work is not None else ():
            path = os.path.join(work, name)
            if os.path.exists(path) and os.path.getsize(path):
                print(f"--- {name} (last lines)\n{tail(path, 20)}", file=sys.stderr, flush=True)
        return 1
    finally:
        # A second SIGTERM or ^C must not cut the cleanup short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for server in reversed(servers):
            server.stop()
        if root is not None:
            # The emulator kills the function when it stops; a function left behind (emulator killed) is ours too.
            for pid in processes_rooted_in(root):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if args.keep:
            log(f"kept {root} and {work}")
        else:
            for directory in (root, work):
                if directory is not None:
                    shutil.rmtree(directory, ignore_errors=True)


def terminate(signum, frame):
    raise SystemExit(128 + signum)  # runs main's finally: servers stopped, directories removed


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    try:
        sys.exit(main())
    except CheckFailed as failure:
        print(f"error: check-package-e2e: {failure}", file=sys.stderr)
        sys.exit(1)
