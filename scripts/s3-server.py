#!/usr/bin/env python3
"""Loopback S3 server for the tests: moto's server (moto[server] 5.2.1) with a faithful SigV4 checker.

Stock moto, with its IAM authentication on, checks S3 signatures but is not faithful to S3: it rebuilds the
canonical URI from a re-quoted path (so correctly signed requests for keys holding + = : , ( ) ' ! * & $ @ ; %
or non-ASCII characters are rejected), never compares x-amz-content-sha256 with the body, has no clock-skew
check, accepts unsigned x-amz-* headers and plain chunked uploads. This launcher replaces moto's S3 signature
check with one that follows the S3 API reference ("Authenticating Requests (AWS Signature Version 4)"):

- the canonical URI is the raw request path as sent (S3 neither normalizes nor re-encodes it);
- canonical query: names and values decoded then encoded with UriEncode, sorted;
- canonical headers from the request's own headers; SignedHeaders must include host and every x-amz-* header;
- x-amz-content-sha256 is required and compared with the SHA-256 of the body (unless UNSIGNED-PAYLOAD or a
  STREAMING-* value); Transfer-Encoding: chunked without aws-chunked is refused (S3 wants a length);
- x-amz-checksum-sha256 and Content-MD5, when sent, are compared with the body (BadDigest);
- X-Amz-Date within 15 minutes of the server clock; the credential scope date must be X-Amz-Date's date;
- keys of STS sessions need their x-amz-security-token; long-term keys must not send one;
- presigned (query) requests are checked the same way, with X-Amz-Expires.

It starts moto on 127.0.0.1 (a given port, or a free one), bootstraps with authentication off an IAM user with
an access key, a role and an STS session (all allowed everything), then switches authentication on with
POST /moto-api/reset-auth (body "0"), and prints one JSON line:
{"endpoint", "port", "region", "accessKeyId", "secretAccessKey", "session": {"accessKeyId", "secretAccessKey",
"sessionToken"}}. It runs until SIGTERM/SIGINT (or, with --exit-on-stdin-eof, until stdin closes).
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import json
import signal
import sys
import threading
import urllib.parse
import urllib.request
import uuid
from xml.sax.saxutils import escape

import boto3
import flask
from moto import settings
from moto.core.authorization import ActionAuthenticatorMixin
from moto.iam import access_control
from moto.iam.models import iam_backends
from moto.server import ThreadedMotoServer
from moto.sts.models import sts_backends
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

MAX_SKEW = datetime.timedelta(minutes=15)
UNRESERVED = "-_.~"


class S3AuthError(HTTPException):
    """An S3 error document, sent as is by Flask (moto's own serializer would pick the status from its model)."""

    def __init__(self, status, code, message, **extra):
        fields = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in extra.items())
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{escape(message)}</Message>{fields}"
            f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
        )
        super().__init__(description=message, response=Response(body, status=status, mimetype="application/xml"))


def uri_encode(data: bytes) -> str:
    return urllib.parse.quote(data, safe=UNRESERVED)


def canonical_query(raw_query: str, drop=()) -> str:
    pairs = []
    for part in raw_query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        name_bytes = urllib.parse.unquote_to_bytes(name)
        if name_bytes.decode("utf-8", "replace") in drop:
            continue
        pairs.append((uri_encode(name_bytes), uri_encode(urllib.parse.unquote_to_bytes(value))))
    pairs.sort()
    return "&".join(f"{n}={v}" for n, v in pairs)


def header_values(environ_headers, name):
    values = [v for k, v in environ_headers.items() if k.lower() == name]
    return ",".join(" ".join(v.split()) for v in values)


def find_secret(account_id, access_key_id):
    """(secret, session token or None) of a key known to moto's IAM or STS, or None."""
    for user in iam_backends[account_id]["aws"].users.values():
        for key in user.access_keys:
            if key.access_key_id == access_key_id:
                return key.secret_access_key, None
    for role in sts_backends[account_id]["aws"].assumed_roles:
        if role.access_key_id == access_key_id:
            return role.secret_access_key, role.session_token
    return None


def parse_amz_date(text):
    try:
        return datetime.datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except (TypeError, ValueError):
        return None


def check_request(account_id):
    """Raises S3AuthError unless the current Flask request is correctly signed for S3; returns True when it was
    a presigned (query-signed) request."""
    request = flask.request
    environ = request.environ
    raw_target = environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.full_path
    raw_target = raw_target.encode("latin-1").decode("utf-8", "surrogateescape")
    raw_path, _, raw_query = raw_target.partition("?")
    headers = request.headers
    authorization = headers.get("Authorization")
    query = urllib.parse.parse_qs(raw_query, keep_blank_values=True)
    presigned = authorization is None and "X-Amz-Signature" in query

    if presigned:
        credential = query.get("X-Amz-Credential", [""])[0]
        signed_headers = query.get("X-Amz-SignedHeaders", [""])[0]
        signature = query.get("X-Amz-Signature", [""])[0]
        amz_date_text = query.get("X-Amz-Date", [""])[0]
        token = query.get("X-Amz-Security-Token", [None])[0]
        payload_hash = "UNSIGNED-PAYLOAD"
        if query.get("X-Amz-Algorithm", [""])[0] != "AWS4-HMAC-SHA256":
            raise S3AuthError(400, "AuthorizationQueryParametersError", "X-Amz-Algorithm must be AWS4-HMAC-SHA256")
    elif authorization is not None:
        if not authorization.startswith("AWS4-HMAC-SHA256 "):
            raise S3AuthError(400, "InvalidArgument", "Unsupported Authorization Type")
        fields = {}
        for item in authorization[len("AWS4-HMAC-SHA256 "):].split(","):
            name, _, value = item.strip().partition("=")
            fields[name] = value
        credential = fields.get("Credential", "")
        signed_headers = fields.get("SignedHeaders", "")
        signature = fields.get("Signature", "")
        amz_date_text = headers.get("X-Amz-Date")
        token = headers.get("X-Amz-Security-Token")
        payload_hash = headers.get("X-Amz-Content-Sha256")
        if payload_hash is None:
            raise S3AuthError(
                400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256"
            )
    else:
        raise S3AuthError(403, "AccessDenied", "Anonymous access is not allowed by this test server")

    scope = credential.split("/")
    if len(scope) != 5 or scope[4] != "aws4_request" or scope[3] != "s3":
        raise S3AuthError(400, "AuthorizationHeaderMalformed", f"malformed credential scope: {credential}")
    access_key_id, scope_date, region = scope[0], scope[1], scope[2]

    amz_date = parse_amz_date(amz_date_text)
    if amz_date is None:
        raise S3AuthError(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header")
    now = datetime.datetime.now(datetime.timezone.utc)
    if presigned:
        expires = int(query.get("X-Amz-Expires", ["0"])[0] or 0)
        if now > amz_date + datetime.timedelta(seconds=expires) or amz_date - now > MAX_SKEW:
            raise S3AuthError(403, "AccessDenied", "Request has expired")
    elif abs(now - amz_date) > MAX_SKEW:
        raise S3AuthError(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
            RequestTime=amz_date_text,
            ServerTime=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            MaxAllowedSkewMilliseconds=900000,
        )
    if scope_date != amz_date.strftime("%Y%m%d"):
        raise S3AuthError(400, "AuthorizationHeaderMalformed", "credential scope date is not the x-amz-date date")

    found = find_secret(account_id, access_key_id)
    if found is None:
        raise S3AuthError(
            403,
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
            AWSAccessKeyId=access_key_id,
        )
    secret, session_token = found
    if session_token is not None and token != session_token:
        raise S3AuthError(400, "InvalidToken", "The provided token is malformed or otherwise invalid.")
    if session_token is None and token is not None:
        raise S3AuthError(400, "InvalidToken", "The provided token is malformed or otherwise invalid.")

    names = signed_headers.split(";") if signed_headers else []
    if names != sorted(set(names)) or "host" not in names:
        raise S3AuthError(400, "AuthorizationHeaderMalformed", "SignedHeaders must be sorted and include host")
    present = {k.lower() for k in headers.keys()}
    unsigned = sorted(n for n in present if n.startswith("x-amz-") and n not in names)
    if unsigned:
        raise S3AuthError(
            403,
            "AccessDenied",
            "There were headers present in the request which were not signed",
            HeadersNotSigned=", ".join(unsigned),
        )
    missing = [n for n in names if n not in present]
    if missing:
        raise S3AuthError(403, "AccessDenied", f"signed headers missing from the request: {', '.join(missing)}")

    transfer_encoding = (headers.get("Transfer-Encoding") or "").lower()
    if "chunked" in transfer_encoding and not payload_hash.startswith("STREAMING-"):
        raise S3AuthError(
            501,
            "NotImplemented",
            "A header you provided implies functionality that is not implemented",
            Header="Transfer-Encoding",
        )
    body = request.get_data(cache=True)
    if payload_hash not in ("UNSIGNED-PAYLOAD",) and not payload_hash.startswith("STREAMING-"):
        actual = hashlib.sha256(body).hexdigest()
        if payload_hash != actual:
            raise S3AuthError(
                400,
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
                ClientComputedContentSHA256=payload_hash,
                S3ComputedContentSHA256=actual,
            )

    if not payload_hash.startswith("STREAMING-"):
        # S3 verifies the checksum headers it is given (moto ignores x-amz-checksum-sha256).
        checksum = headers.get("X-Amz-Checksum-Sha256")
        if checksum is not None and checksum != base64.b64encode(hashlib.sha256(body).digest()).decode():
            raise S3AuthError(400, "BadDigest", "The SHA256 you specified did not match the calculated checksum.")
        md5 = headers.get("Content-MD5")
        if md5 is not None and md5 != base64.b64encode(hashlib.md5(body).digest()).decode():
            raise S3AuthError(400, "BadDigest", "The Content-MD5 you specified did not match what we received.")

    canonical_uri = raw_path or "/"
    canonical = "\n".join(
        [
            request.method,
            canonical_uri,
            canonical_query(raw_query, drop=("X-Amz-Signature",) if presigned else ()),
            "".join(f"{n}:{header_values(headers, n)}\n" for n in names),
            signed_headers,
            payload_hash,
        ]
    )
    canonical_bytes = canonical.encode("utf-8", "surrogateescape")
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            amz_date_text,
            f"{scope_date}/{region}/s3/aws4_request",
            hashlib.sha256(canonical_bytes).hexdigest(),
        ]
    )
    key = ("AWS4" + secret).encode()
    for part in (scope_date, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise S3AuthError(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
            AWSAccessKeyId=access_key_id,
            StringToSign=string_to_sign,
            CanonicalRequest=canonical_bytes.decode("utf-8", "replace"),
        )
    return presigned


def install_faithful_checker():
    original = ActionAuthenticatorMixin._authenticate_and_authorize_s3_action

    def authenticate(self, bucket_name=None, key_name=None):
        if ActionAuthenticatorMixin.request_count >= settings.INITIAL_NO_AUTH_ACTION_COUNT and flask.has_request_context():
            if check_request(self.current_account):
                # moto's own IAM step reads the Authorization header, which a presigned request has not; the
                # identities here are allowed everything, so the signature check above is the whole decision.
                return None
        return original(self, bucket_name=bucket_name, key_name=key_name)

    ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = authenticate
    # moto's own S3 signature check (re-quoted path) is replaced by the one above; its key lookup would also
    # fail on a missing token header with a KeyError, so the faithful check runs first and decides.
    access_control.S3IAMRequest.check_signature = lambda self: None


ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def bootstrap(endpoint, region):
    """With authentication still off: a user with a key, a role and an STS session."""
    common = dict(endpoint_url=endpoint, region_name=region)
    iam = boto3.client("iam", aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap", **common)
    iam.create_user(UserName="rtp2mp3-tests")
    iam.put_user_policy(UserName="rtp2mp3-tests", PolicyName="allow-all", PolicyDocument=ALLOW_ALL)
    key = iam.create_access_key(UserName="rtp2mp3-tests")["AccessKey"]
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
    role = iam.create_role(RoleName="rtp2mp3-tests-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    iam.put_role_policy(RoleName="rtp2mp3-tests-role", PolicyName="allow-all", PolicyDocument=ALLOW_ALL)
    sts = boto3.client(
        "sts", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], **common
    )
    session = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="rtp2mp3-tests", DurationSeconds=43200)
    return key, session["Credentials"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument(
        "--exit-on-stdin-eof",
        action="store_true",
        help="also stop when stdin closes (so the server dies with the test process that holds the pipe)",
    )
    args = parser.parse_args()

    # A test runner may spawn this with SIGTERM blocked (the mask of its spawning thread is inherited).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    install_faithful_checker()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=args.port, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    endpoint = f"http://127.0.0.1:{port}"
    key, session = bootstrap(endpoint, args.region)
    reset = urllib.request.Request(
        endpoint + "/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"}
    )
    with urllib.request.urlopen(reset) as answer:
        answer.read()

    print(
        json.dumps(
            {
                "endpoint": endpoint,
                "port": port,
                "region": args.region,
                "accessKeyId": key["AccessKeyId"],
                "secretAccessKey": key["SecretAccessKey"],
                "session": {
                    "accessKeyId": session["AccessKeyId"],
                    "secretAccessKey": session["SecretAccessKey"],
                    "sessionToken": session["SessionToken"],
                },
            }
        ),
        flush=True,
    )

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(65536):
                pass
        except (OSError, ValueError):
            pass
        done.set()

    if args.exit_on_stdin_eof:
        threading.Thread(target=watch_stdin, daemon=True).start()
    while not done.wait(0.5):
        pass
    server.stop()


if __name__ == "__main__":
    main()
