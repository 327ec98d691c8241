#!/usr/bin/env python3
"""Cold start of the packaged bootstrap: exec to its first GET /2018-06-01/runtime/invocation/next (issue 7).

Unpacks the zip into a temporary task root and, RUNS times, spawns its `bootstrap` launcher as Lambda does (a
clean environment with LAMBDA_TASK_ROOT, AWS_LAMBDA_RUNTIME_API, region and credentials), with a listening socket
on 127.0.0.1 standing in for the Runtime API: the time from posix_spawn to the arrival of the first /next request
is the cold start; the process is then killed (SIGKILL) and the connection dropped. Single-threaded: the clock is
read by the same thread that spawns and that receives, with nothing else running in this process.

For comparison, the same measure for the bundled loader run directly (the zip without its shell launcher) and for
the release binary outside the zip (host loader and libraries). Variants run round-robin so that a slow moment of
the shared machine hits them alike; WARMUP runs of each are discarded first (page cache).

Prints: `cold start (exec → first /next): median X ms (min–max) over N runs` (the packaged launcher), then one
line per comparison, then the CPU time of each (rusage of the killed process).
Usage: bench-coldstart.py [--zip ZIP] [--binary BIN] [--runs N] [--only-packaged]
"""

import argparse
import os
import select
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEXT = b"GET /2018-06-01/runtime/invocation/next "
WARMUP = 2
TIMEOUT_SECONDS = 10


class BenchFailed(Exception):
    pass


def unpack(zip_path, directory):
    """Extracts with the modes stored in the zip (zipfile alone drops them)."""
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            path = archive.extract(info, directory)
            mode = (info.external_attr >> 16) & 0o7777
            if mode:
                os.chmod(path, mode)


def environment(task_root, port):
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LAMBDA_TASK_ROOT": task_root,
        "LAMBDA_RUNTIME_DIR": "/var/runtime",
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
        "AWS_LAMBDA_FUNCTION_NAME": "rtp2mp3",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "AWS_SESSION_TOKEN": "session-token-example",
        "TZ": ":UTC",
    }


def one_run(argv, env, listener):
    """Milliseconds from spawn to the first /next request, and the CPU milliseconds (user + system) the process
    used until it was killed there (it blocks on /next, so that is its CPU time to /next, idle machine or not)."""
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env)
    connection = None
    try:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BenchFailed(f"{argv[0]} made no request within {TIMEOUT_SECONDS} s")
            readable, _, _ = select.select([listener], [], [], min(remaining, 0.5))
            if readable:
                break
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                pid = None
                raise BenchFailed(f"{argv[0]} exited (status {status}) before its first request")
        connection, _ = listener.accept()
        connection.settimeout(TIMEOUT_SECONDS)
        data = connection.recv(65536)
        arrived = time.perf_counter_ns()
        if not data.startswith(NEXT):
            raise BenchFailed(f"the first request was not GET …/invocation/next: {data[:200]!r}")
        os.kill(pid, signal.SIGKILL)
        _, _, usage = os.wait4(pid, 0)
        pid = None
        return (arrived - start) / 1e6, (usage.ru_utime + usage.ru_stime) * 1000
    finally:
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
        if connection is not None:
            connection.close()


def summary(times):
    return f"median {statistics.median(times):.1f} ms ({min(times):.1f}–{max(times):.1f}) over {len(times)} runs"


def cpu_summary(times):
    return f"CPU median {statistics.median(times):.1f} ms ({min(times):.1f}–{max(times):.1f})"


def main():
    parser = argparse.ArgumentParser(description="Cold start of the packaged bootstrap (exec → first /next).")
    parser.add_argument("--zip", default=os.path.join(ROOT, "dist/rtp2mp3-lambda.zip"))
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build-release/release/bootstrap"),
                        help="the release binary outside the zip, for comparison (skipped when missing)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only-packaged", action="store_true", help="print the packaged figure only")
    args = parser.parse_args()
    if not os.path.isfile(args.zip):
        raise BenchFailed(f"{args.zip} missing: run scripts/package first")
    if args.runs < 1:
        raise BenchFailed("--runs must be at least 1")

    task_root = tempfile.mkdtemp(prefix="rtp2mp3-coldstart.")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        unpack(args.zip, task_root)
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        env = environment(task_root, listener.getsockname()[1])
        variants = [("cold start (exec → first /next)", [os.path.join(task_root, "bootstrap")])]
        if not args.only_packaged:
            variants.append(
                ("  zip's loader without the launcher",
                 [os.path.join(task_root, "lib/ld-linux-x86-64.so.2"), "--library-path",
                  os.path.join(task_root, "lib"), os.path.join(task_root, "bin/bootstrap")])
            )
            if os.access(args.binary, os.X_OK):
                variants.append(("  release binary outside the zip", [os.path.abspath(args.binary)]))
            else:
                print(f"  (release binary {args.binary} missing: no comparison)", file=sys.stderr)
        times = {name: [] for name, _ in variants}
        cpu = {name: [] for name, _ in variants}
        for run in range(WARMUP + args.runs):
            for name, argv in variants:
                elapsed, used = one_run(argv, env, listener)
                if run >= WARMUP:
                    times[name].append(elapsed)
                    cpu[name].append(used)
        for name, _ in variants:
            print(f"{name}: {summary(times[name])}", flush=True)
        if not args.only_packaged:
            # CPU time does not grow with the load of a shared machine; wall time does.
            for name, _ in variants:
                print(f"  {name.strip()}, {cpu_summary(cpu[name])}", flush=True)
        return 0
    finally:
        listener.close()
        shutil.rmtree(task_root, ignore_errors=True)


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        sys.exit(main())
    except BenchFailed as failure:
        print(f"error: bench-coldstart: {failure}", file=sys.stderr)
        sys.exit(1)
