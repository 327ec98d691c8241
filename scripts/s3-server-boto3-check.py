#!/usr/bin/env python3
"""Sanity check of the loopback S3 server with the real AWS SDK (boto3): the faithful SigV4 checker must accept
what boto3 signs (keys with special and non-ASCII characters included, plain and STS session credentials) and
reject a wrong secret. Reads the server's JSON line (from scripts/s3-server) on stdin; prints "ok" or fails.
"""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

KEYS = [
    "plain.txt",
    "with space/and+plus=equals:colon,comma(paren)'quote!bang*star&amp$dollar@at;semi%percent",
    "unicodé/日本語/ключ.pcap",
    "dir//double/./dot/../x",
]


def client(info, access_key, secret, token=None):
    return boto3.client(
        "s3",
        endpoint_url=info["endpoint"],
        region_name=info["region"],
        aws_access_key_id=access_key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


def main():
    info = json.loads(sys.stdin.readline())
    plain = client(info, info["accessKeyId"], info["secretAccessKey"])
    session = info["session"]
    temporary = client(info, session["accessKeyId"], session["secretAccessKey"], session["sessionToken"])
    bucket = "boto3-check"
    plain.create_bucket(Bucket=bucket)
    for s3 in (plain, temporary):
        for key in KEYS:
            body = ("body of " + key).encode()
            s3.put_object(Bucket=bucket, Key=key, Body=body, ChecksumAlgorithm="SHA256")
            got = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            assert got == body, f"round trip of {key!r}: {got!r}"
    listed = {o["Key"] for o in plain.list_objects_v2(Bucket=bucket)["Contents"]}
    assert set(KEYS) <= listed, f"listing {listed}"
    wrong = client(info, info["accessKeyId"], "not-the-secret")
    try:
        wrong.get_object(Bucket=bucket, Key=KEYS[0])
        raise AssertionError("a wrong secret was accepted")
    except ClientError as error:
        code = error.response["Error"]["Code"]
        assert code == "SignatureDoesNotMatch", code
    no_token = client(info, session["accessKeyId"], session["secretAccessKey"])
    try:
        no_token.get_object(Bucket=bucket, Key=KEYS[0])
        raise AssertionError("a session key without its token was accepted")
    except ClientError as error:
        code = error.response["Error"]["Code"]
        assert code == "InvalidToken", code
    # Presigned (query-signed) URLs are checked too: the right one reads the object, a tampered one is refused.
    import urllib.error
    import urllib.request

    url = plain.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": KEYS[1]}, ExpiresIn=300)
    with urllib.request.urlopen(url) as answer:
        assert answer.read() == ("body of " + KEYS[1]).encode(), "presigned GET body"
    tampered = url.replace("X-Amz-Signature=", "X-Amz-Signature=0")
    try:
        urllib.request.urlopen(tampered)
        raise AssertionError("a tampered presigned URL was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 403, error.code

    # A correctly signed PUT whose checksum header does not match its body is refused with BadDigest.
    import base64, hashlib
    plain.meta.events.register(
        "before-sign.s3.PutObject",
        lambda request, **_: request.headers.__setitem__(
            "x-amz-checksum-sha256", base64.b64encode(hashlib.sha256(b"other").digest()).decode()
        ),
    )
    try:
        plain.put_object(Bucket=bucket, Key="bad-digest", Body=b"hello")
        raise AssertionError("a wrong x-amz-checksum-sha256 was accepted")
    except ClientError as error:
        code = error.response["Error"]["Code"]
        assert code == "BadDigest", code
    print("ok")


if __name__ == "__main__":
    main()
