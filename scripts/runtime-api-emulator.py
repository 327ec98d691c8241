#!/usr/bin/env python3
"""A local Lambda Runtime API emulator, standard library only.

It behaves like AWS's Runtime Interface Emulator (RIE) for one function instance: it starts the function
process itself (the command after `--`, with AWS_LAMBDA_RUNTIME_API pointing here and the rest of the
environment passed through), serves the Runtime API the function polls, and takes invocations on the RIE's
invoke endpoint:

    POST /2015-03-31/functions/function/invocations      -> the function's response body, or its error JSON
                                                             with the header X-Amz-Function-Error: Unhandled

Runtime API (Lambda Developer Guide, "Using the Lambda runtime API for custom runtimes"):

    GET  /2018-06-01/runtime/invocation/next             long poll; Lambda-Runtime-Aws-Request-Id,
                                                          -Deadline-Ms (epoch ms), -Invoked-Function-Arn,
                                                          -Trace-Id (and -Client-Context when given)
    POST /2018-06-01/runtime/invocation/{id}/response    202; 413 over 6 MiB (the invoker gets
                                                          Function.ResponseSizeTooLarge); 403 when the
                                                          invocation was already answered; 400 unknown id
    POST /2018-06-01/runtime/invocation/{id}/error       202; the invoker gets the posted error
    POST /2018-06-01/runtime/init/error                  202; the invoker gets the init error

Like Lambda, one invocation runs at a time; the function is started at the first invocation (and again after
it died or was killed); a function that does not answer before the deadline is killed and the invoker gets
`Task timed out`; a function that exits during an invocation gives `Runtime.ExitError`. The function's stdout
and stderr go to this program's stderr, or to --log-file.

When ready it prints one JSON line on stdout: {"port": N, "runtimeAPI": "127.0.0.1:N", "invokeURL": "..."}.

Usage: runtime-api-emulator.py [--port 0] [--timeout 300] [--log-file F] [--function-runtime-api HOST:PORT]
                               -- COMMAND [ARG...]
"""

import argparse
import base64
import json
import os
import secrets
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The RIE's limit for a response or error payload: 6 MiB plus 100 bytes of framing (interop.MaxPayloadSize).
MAX_PAYLOAD = 6 * 1024 * 1024 + 100
RUNTIME_PREFIX = "/2018-06-01/runtime"


def now_ms():
    return int(time.time() * 1000)


def log(message):
    print(f"[emulator] {message}", file=sys.stderr, flush=True)


class Invocation:
    def __init__(self, payload, client_context):
        self.id = str(uuid.uuid4())
        self.payload = payload
        self.client_context = client_context
        self.deadline_ms = None
        self.trace_id = "Root=1-%08x-%s;Parent=%s;Sampled=0" % (
            int(time.time()),
            secrets.token_hex(12),
            secrets.token_hex(8),
        )
        self.delivered = threading.Event()  # handed to /next (or finished before that)
        self.done = threading.Event()
        self.result = None  # (status, headers, body)
        self.process = None  # the function process serving it


class Emulator:
    def __init__(self, args):
        self.command = args.command
        self.timeout = args.timeout
        self.init_timeout = args.init_timeout
        self.function_name = args.function_name
        self.log_target = open(args.log_file, "ab", buffering=0) if args.log_file else None
        self.function_api = args.function_runtime_api
        self.cond = threading.Condition()
        self.invoke_lock = threading.Lock()
        self.process = None
        self.children = set()  # every function process started and not yet reaped, killed when we stop
        self.current = None  # the invocation being served
        self.pending = None  # the invocation waiting for /next
        self.answered = set()  # ids already answered, for 403 on a second post
        self.port = None
        self.env = dict(os.environ)
        self.env.setdefault("AWS_LAMBDA_FUNCTION_NAME", args.function_name)
        self.env.setdefault("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.env.setdefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", str(args.memory))
        self.env.setdefault("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + args.function_name)
        self.env.setdefault("AWS_LAMBDA_LOG_STREAM_NAME", "emulator")
        self.env.setdefault("AWS_REGION", "us-east-1")
        self.region = self.env["AWS_REGION"]

    # Function process -----------------------------------------------------------------------------------------

    def ensure_started(self):
        """Starts the function unless it runs. Called with self.cond held."""
        if self.process is not None and self.process.poll() is None:
            return
        env = dict(self.env)
        # The function may be told another address (a fault-injecting proxy in front of this emulator).
        env["AWS_LAMBDA_RUNTIME_API"] = self.function_api or f"127.0.0.1:{self.port}"
        target = self.log_target if self.log_target is not None else sys.stderr.fileno()
        process = subprocess.Popen(
            self.command,
            env=env,
            stdout=target,
            stderr=target,
            start_new_session=True,
        )
        self.process = process
        self.children.add(process)
        log(f"started function pid {process.pid}: {' '.join(self.command)}")
        threading.Thread(target=self.watch, args=(process,), daemon=True).start()

    def watch(self, process):
        status = process.wait()
        with self.cond:
            self.children.discard(process)
            if self.process is process:
                self.process = None
            self.cond.notify_all()
            reason = f"signal: {signal.Signals(-status).name.lower()[3:]}" if status < 0 else f"exit status {status}"
            log(f"function pid {process.pid} exited ({reason})")
            invocation = self.current
            if invocation is not None and invocation.process is process and not invocation.done.is_set():
                self.finish_error(
                    invocation,
                    "Runtime.ExitError",
                    f"RequestId: {invocation.id} Error: Runtime exited with error: {reason}",
                )

    def kill(self, everything=False):
        """Kills the serving function (its whole process group), or every function started when stopping."""
        with self.cond:
            processes = list(self.children) if everything else [self.process]
        for process in processes:
            if process is not None and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()

    # Answers --------------------------------------------------------------------------------------------------

    def finish(self, invocation, status, headers, body):
        """Answers the invoker once. Called with self.cond held; False when it was already answered."""
        if invocation.done.is_set():
            return False
        invocation.result = (status, headers, body)
        self.answered.add(invocation.id)
        invocation.done.set()
        invocation.delivered.set()
        return True

    def finish_error(self, invocation, error_type, message):
        body = json.dumps({"errorMessage": message, "errorType": error_type}).encode()
        return self.finish(invocation, 200, {"X-Amz-Function-Error": "Unhandled"}, body)

    # Invoke ---------------------------------------------------------------------------------------------------

    def invoke(self, payload, client_context):
        with self.invoke_lock:
            invocation = Invocation(payload, client_context)
            with self.cond:
                self.ensure_started()
                invocation.process = self.process
                self.current = invocation
                self.pending = invocation
                self.cond.notify_all()
            # Init (start to the first /next) has its own limit, as on Lambda.
            if not invocation.delivered.wait(self.init_timeout):
                with self.cond:
                    timed_out = self.finish_error(
                        invocation,
                        "Runtime.InitTimeout",
                        f"RequestId: {invocation.id} Error: init did not reach /next within {self.init_timeout:.2f} s",
                    )
                if timed_out:
                    self.kill()
            remaining = (invocation.deadline_ms or now_ms()) - now_ms()
            if not invocation.done.wait(max(0, remaining) / 1000.0):
                with self.cond:
                    timed_out = self.finish_error(
                        invocation,
                        "Sandbox.Timedout",
                        f"RequestId: {invocation.id} Error: Task timed out after {self.timeout:.2f} seconds",
                    )
                if timed_out:
                    log(f"invocation {invocation.id} timed out: killing the function")
                    self.kill()
            invocation.done.wait()
            with self.cond:
                self.current = None
                if self.pending is invocation:
                    self.pending = None
            return invocation.result

    # Runtime API ----------------------------------------------------------------------------------------------

    def next_invocation(self, connection):
        """Blocks until an invocation is pending; None when the poller hung up (a function that was killed or
        restarted: its connection closed), so an invocation is never handed to a dead process."""
        with self.cond:
            while True:
                if not connection_alive(connection):
                    return None
                if self.pending is not None:
                    invocation = self.pending
                    self.pending = None
                    invocation.deadline_ms = now_ms() + int(self.timeout * 1000)
                    invocation.delivered.set()
                    return invocation
                self.cond.wait(0.5)

    def post_result(self, request_id, kind, body, error_type):
        """Returns (status, json) for the function. kind: response or error."""
        with self.cond:
            invocation = self.current
            if invocation is None or invocation.id != request_id:
                if request_id in self.answered:
                    return 403, state_error(kind)
                return 400, {"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"}
            if invocation.done.is_set():
                return 403, state_error(kind)
            if len(body) > MAX_PAYLOAD:
                self.finish_error(
                    invocation,
                    "Function.ResponseSizeTooLarge",
                    f"Response payload size exceeded maximum allowed payload size ({MAX_PAYLOAD} bytes).",
                )
                return 413, {
                    "errorMessage": f"Exceeded maximum allowed payload size ({MAX_PAYLOAD} bytes).",
                    "errorType": "RequestEntityTooLarge",
                }
            if kind == "response":
                self.finish(invocation, 200, {}, body)
            else:
                self.finish(invocation, 200, {"X-Amz-Function-Error": "Unhandled"}, error_document(body, error_type))
            return 202, {"status": "OK"}

    def init_error(self, body, error_type):
        with self.cond:
            invocation = self.current
            if invocation is not None:
                self.finish(invocation, 200, {"X-Amz-Function-Error": "Unhandled"}, error_document(body, error_type))
            process = self.process
            # The next invocation starts a fresh process instead of reusing this one while it exits.
            self.process = None
            self.cond.notify_all()
        log(f"init error posted: {error_document(body, error_type).decode(errors='replace')}")
        # The function is expected to exit after an init error; Lambda resets the sandbox if it does not.
        if process is not None:
            threading.Thread(target=self.reap, args=(process,), daemon=True).start()
        return 202, {"status": "OK"}

    def reap(self, process):
        try:
            process.wait(2)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def state_error(kind):
    return {
        "errorMessage": f"State transition from ResponseSent to Invocation{kind.capitalize()} failed: "
        "the invocation was already answered",
        "errorType": "InvalidStateTransition",
    }


def error_document(body, error_type):
    """The error the invoker sees: the posted JSON, with errorType from the header when the body lacks it."""
    try:
        document = json.loads(body) if body else {}
    except ValueError:
        document = {"errorMessage": body.decode(errors="replace")}
    if not isinstance(document, dict):
        document = {"errorMessage": json.dumps(document)}
    if error_type and not document.get("errorType"):
        document["errorType"] = error_type
    document.setdefault("errorType", "Unhandled")
    document.setdefault("errorMessage", "")
    return json.dumps(document).encode()


def connection_alive(connection):
    """False when the peer closed the connection (a poll left behind by a killed function)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        if not readable:
            return True
        return len(connection.recv(1, socket.MSG_PEEK)) > 0
    except OSError:
        return False


def make_handler(emulator):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as libcurl expects

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            if os.environ.get("EMULATOR_VERBOSE"):
                log(format % args)

        def read_body(self):
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length > 0 else b""

        def send(self, status, body, headers=None, content_type="application/json"):
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 - http.server's naming
            if self.path == RUNTIME_PREFIX + "/invocation/next":
                invocation = emulator.next_invocation(self.connection)
                if invocation is None:
                    self.close_connection = True
                    self.send(500, {"errorMessage": "function restarted", "errorType": "Runtime.Restarted"})
                    return
                headers = {
                    "Lambda-Runtime-Aws-Request-Id": invocation.id,
                    "Lambda-Runtime-Deadline-Ms": str(invocation.deadline_ms),
                    "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:%s:012345678912:function:%s"
                    % (emulator.region, emulator.function_name),
                    "Lambda-Runtime-Trace-Id": invocation.trace_id,
                }
                if invocation.client_context:
                    headers["Lambda-Runtime-Client-Context"] = invocation.client_context
                self.send(200, invocation.payload, headers)
                return
            self.send(404, {"errorMessage": f"no route GET {self.path}", "errorType": "NotFound"})

        def do_POST(self):  # noqa: N802
            body = self.read_body()
            path = self.path
            error_type = self.headers.get("Lambda-Runtime-Function-Error-Type")
            if path.startswith("/2015-03-31/functions/") and path.endswith("/invocations"):
                client_context = None
                if self.headers.get("X-Amz-Client-Context"):
                    try:
                        client_context = base64.b64decode(self.headers["X-Amz-Client-Context"]).decode()
                    except ValueError:
                        client_context = None
                status, headers, result = emulator.invoke(body, client_context)
                self.send(status, result, headers)
                return
            if path == RUNTIME_PREFIX + "/init/error":
                status, answer = emulator.init_error(body, error_type)
                self.send(status, answer)
                return
            prefix = RUNTIME_PREFIX + "/invocation/"
            if path.startswith(prefix):
                request_id, _, kind = path[len(prefix) :].partition("/")
                if kind in ("response", "error"):
                    status, answer = emulator.post_result(request_id, kind, body, error_type)
                    self.send(status, answer)
                    return
            self.send(404, {"errorMessage": f"no route POST {path}", "errorType": "NotFound"})

    return Handler


def main():
    parser = argparse.ArgumentParser(description="Local Lambda Runtime API emulator (like AWS's RIE).")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--timeout", type=float, default=300.0, help="function timeout in seconds")
    parser.add_argument("--init-timeout", type=float, default=10.0, help="seconds from start to the first /next")
    parser.add_argument("--function-name", default="function")
    parser.add_argument("--memory", type=int, default=1024, help="AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
    parser.add_argument("--log-file", help="append the function's stdout and stderr here instead of stderr")
    parser.add_argument("--function-runtime-api", help="HOST:PORT given to the function instead of this emulator's "
                        "own address (a proxy in front of it)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG...]")
    args = parser.parse_args()
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        parser.error("the function command is missing (after --)")

    # A parent may start us with signals blocked (Foundation's Process does); unblock them so SIGTERM stops us
    # and the function inherits a clean mask.
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    emulator = Emulator(args)
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(emulator))
    emulator.port = server.server_address[1]

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    ready = {
        "port": emulator.port,
        "runtimeAPI": f"127.0.0.1:{emulator.port}",
        "invokeURL": f"http://127.0.0.1:{emulator.port}/2015-03-31/functions/function/invocations",
    }
    print(json.dumps(ready), flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        emulator.kill(everything=True)
        server.server_close()


if __name__ == "__main__":
    main()
