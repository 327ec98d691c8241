#!/usr/bin/env python3
"""The SAM template deployed, both ways it can be (issue 17); started by scripts/lint-template after cfn-lint.

cfn-lint proves the template well-formed; this proves it deploys and triggers what it should. The template is
translated by the SAM translator (what `sam deploy` and CloudFormation's Serverless transform run) and created
as a stack in moto's CloudFormation, on a moto server on 127.0.0.1 (in this process; moto without its IAM
checks: S3 signatures are what scripts/s3-server checks for the other suites, the subject here is the template).

1. Translated template: the created bucket's S3 notifications and the existing-bucket EventBridge rule watch the
   same capture extensions under InputPrefix. moto's CloudFormation does not apply a bucket's
   NotificationConfiguration and creates no EventInvokeConfig or SQS QueuePolicy: those are checked in the
   translated template.
2. A created bucket (UseExistingCaptureBucket=false): the stack owns the bucket, lets S3 invoke the function
   (SourceAccount set) and has no EventBridge rule.
3. An existing bucket (UseExistingCaptureBucket=true): a bucket that already has a notification of its owner's,
   with EventBridge turned on as the README says. The stack creates no bucket and leaves its notification
   configuration as it was; the function's role reads the bucket's input prefix and writes its output prefix.
   Captures uploaded there (one in gzip, with a space and a "+" in its key) raise Object Created events that the
   stack's rule matches; a note, an object under the output prefix and a capture in another bucket do not. Each
   matched event, exactly as EventBridge delivers it (seen through an SQS target added beside the function's),
   is given to the real bootstrap through the Runtime API emulator, with the environment the stack gave the
   function: the recordings and reports appear under the output prefix, and writing them triggers nothing.
4. Deleting the stack leaves the existing bucket, its objects and its owner's notification as they were.

Usage: check-template.py --bootstrap PATH      Exit status 0 when every check passed, 1 naming the failed one.
"""

import argparse
import ast
import gzip
import importlib.util
import io
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGION = "us-east-1"
CREATED_BUCKET = "rtp2mp3-created"
EXISTING_BUCKET = "rtp2mp3-existing"
OTHER_BUCKET = "rtp2mp3-other"
# The capture, its gzip copy under a key that needs no encoding in EventBridge (it has none) but would in an S3
# notification, and what each becomes.
UPLOADS = (
    ("captures/2026/12/04/call-7.pcap", False, "recordings/2026/12/04/call-7"),
    ("captures/2026/12/04/call 8+1.pcap.gz", True, "recordings/2026/12/04/call 8+1"),
)
IGNORED_UPLOADS = ("captures/2026/12/04/notes.txt", "recordings/2026/12/04/old.pcap")


def load_package_e2e():
    """The package check's helpers (log, require, Server, invoke, exists, check_recording, tail, CheckFailed)."""
    spec = importlib.util.spec_from_file_location("check_package_e2e", os.path.join(ROOT, "scripts/check-package-e2e.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


e2e = load_package_e2e()
log, require, CheckFailed = e2e.log, e2e.require, e2e.CheckFailed


def translated_template():
    """template.yaml through the SAM translator, with cfn-lint's copy of the managed-policy ARNs (offline)."""
    from cfnlint.data import Serverless
    from cfnlint.decode import cfn_yaml
    from cfnlint.helpers import load_resource
    from samtranslator.parser import parser
    from samtranslator.translator.translator import Translator

    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    template = cfn_yaml.load(os.path.join(ROOT, "template.yaml"))
    # `sam deploy` uploads the local zip and puts its S3 location here; the stack takes it from there.
    template["Resources"]["TranscodeFunction"]["Properties"]["CodeUri"] = "s3://rtp2mp3-artifacts/rtp2mp3-lambda.zip"
    translator = Translator(managed_policy_map=load_resource(Serverless, "ManagedPolicies.json"),
                            sam_parser=parser.Parser())
    # Through JSON: plain dicts and strings instead of the YAML loader's node types.
    return json.loads(json.dumps(translator.translate(sam_template=template, parameter_values={})))


def check_triggers_agree(template):
    resources = template["Resources"]
    notifications = resources["CaptureBucket"]["Properties"]["NotificationConfiguration"]["LambdaConfigurations"]
    suffixes = []
    for notification in notifications:
        rules = {rule["Name"]: rule["Value"] for rule in notification["Filter"]["S3Key"]["Rules"]}
        require(notification["Event"] == "s3:ObjectCreated:*", f"bucket notification on {notification['Event']}")
        require(notification["Function"] == {"Fn::GetAtt": ["TranscodeFunction", "Arn"]},
                f"bucket notification to {notification['Function']}")
        require(rules.get("prefix") == {"Ref": "InputPrefix"}, f"bucket notification filter {rules}")
        suffixes.append(rules["suffix"])
    wildcards = resources["CaptureRule"]["Properties"]["EventPattern"]["detail"]["object"]["key"]
    rule_suffixes = []
    for wildcard in wildcards:
        pattern = wildcard["wildcard"]["Fn::Sub"]
        require(pattern.startswith("${InputPrefix}*"), f"rule key pattern {pattern}")
        rule_suffixes.append(pattern.removeprefix("${InputPrefix}*"))
    require(sorted(suffixes) == sorted(rule_suffixes),
            f"the bucket notifies {suffixes} but the rule matches {rule_suffixes}")
    require(".pcap" in suffixes and ".gz" in suffixes, f"capture extensions {suffixes}")
    log(f"   both triggers watch InputPrefix + {', '.join(suffixes)}")


class Stack:
    def __init__(self, clients, name, template, parameters):
        self.cloudformation = clients["cloudformation"]
        self.name = name
        self.id = self.cloudformation.create_stack(
            StackName=name,
            TemplateBody=json.dumps(template),
            Parameters=[{"ParameterKey": key, "ParameterValue": value} for key, value in parameters.items()],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        )["StackId"]
        stack = self.wait()
        require(stack["StackStatus"] == "CREATE_COMPLETE",
                f"stack {name}: {stack['StackStatus']} {stack.get('StackStatusReason', '')}")
        self.outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
        summaries = self.cloudformation.list_stack_resources(StackName=name)["StackResourceSummaries"]
        self.resources = {summary["LogicalResourceId"]: summary for summary in summaries
                          if summary["LogicalResourceId"]}

    def wait(self):
        deadline = time.monotonic() + 60
        while True:
            stack = self.cloudformation.describe_stacks(StackName=self.id)["Stacks"][0]
            if not stack["StackStatus"].endswith("_IN_PROGRESS") or time.monotonic() > deadline:
                return stack
            time.sleep(0.2)

    def types(self):
        return {summary["ResourceType"] for summary in self.resources.values()}

    def delete(self):
        self.cloudformation.delete_stack(StackName=self.id)
        stack = self.wait()
        require(stack["StackStatus"] == "DELETE_COMPLETE", f"stack {self.name}: {stack['StackStatus']}")


def check_created_bucket(clients, template):
    log(f"2. UseExistingCaptureBucket=false: the stack creates s3://{CREATED_BUCKET}")
    stack = Stack(clients, "rtp2mp3-created", template, {"CaptureBucketName": CREATED_BUCKET})
    require(stack.resources.get("CaptureBucket", {}).get("PhysicalResourceId") == CREATED_BUCKET,
            f"no CaptureBucket {CREATED_BUCKET} in the stack: {sorted(stack.resources)}")
    clients["s3"].head_bucket(Bucket=CREATED_BUCKET)
    require("AWS::Events::Rule" not in stack.types(), "a created bucket got an EventBridge rule as well")
    require("CaptureBucketInvokePermission" in stack.resources, "S3 is not allowed to invoke the function")
    permission = template["Resources"]["CaptureBucketInvokePermission"]["Properties"]
    require(permission.get("SourceAccount") == {"Ref": "AWS::AccountId"}, "the S3 permission has no SourceAccount")
    require(stack.outputs.get("InputLocation") == f"s3://{CREATED_BUCKET}/captures/", f"outputs {stack.outputs}")
    log(f"   {len(stack.resources)} resources, trigger: {stack.outputs.get('Trigger')}")
    stack.delete()


def turn_on_eventbridge(s3, bucket):
    """The README's step for an existing bucket: its notification configuration, plus EventBridge."""
    configuration = s3.get_bucket_notification_configuration(Bucket=bucket)
    configuration.pop("ResponseMetadata", None)
    configuration["EventBridgeConfiguration"] = {}
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=configuration)


def notification_configuration(s3, bucket):
    configuration = s3.get_bucket_notification_configuration(Bucket=bucket)
    configuration.pop("ResponseMetadata", None)
    return configuration


def drain(sqs, queue_url):
    messages = []
    while True:
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        if not batch:
            return messages
        for message in batch:
            messages.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def check_role(clients, function_configuration):
    iam = clients["iam"]
    role = function_configuration["Role"].rsplit("/", 1)[-1]
    statements = []
    for policy in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        document = iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
        if isinstance(document, str):
            # moto keeps a policy set through CloudFormation as the repr of a dict, not as JSON.
            document = ast.literal_eval(document)
        statements += document["Statement"]
    granted = {(action, resource) for statement in statements
               for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
               for resource in ([statement["Resource"]] if isinstance(statement["Resource"], str)
                                else statement["Resource"])}
    for need in (("s3:GetObject", f"arn:aws:s3:::{EXISTING_BUCKET}/captures/*"),
                 ("s3:PutObject", f"arn:aws:s3:::{EXISTING_BUCKET}/recordings/*")):
        require(need in granted, f"the function's role lacks {need}: {sorted(granted)}")


def check_existing_bucket(clients, template, bootstrap, endpoint, work):
    s3, sqs, events = clients["s3"], clients["sqs"], clients["events"]
    log(f"3. UseExistingCaptureBucket=true: s3://{EXISTING_BUCKET} exists, with its owner's notification")
    for bucket in (EXISTING_BUCKET, OTHER_BUCKET):
        s3.create_bucket(Bucket=bucket)
    owner_queue = sqs.create_queue(QueueName="owners-audit")["QueueUrl"]
    owner_queue_arn = sqs.get_queue_attributes(QueueUrl=owner_queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]
    s3.put_bucket_notification_configuration(Bucket=EXISTING_BUCKET, NotificationConfiguration={
        "QueueConfigurations": [{"Id": "owners-audit", "QueueArn": owner_queue_arn, "Events": ["s3:ObjectCreated:*"]}]})
    turn_on_eventbridge(s3, EXISTING_BUCKET)
    turn_on_eventbridge(s3, OTHER_BUCKET)
    before = notification_configuration(s3, EXISTING_BUCKET)

    stack = Stack(clients, "rtp2mp3-existing", template,
                  {"CaptureBucketName": EXISTING_BUCKET, "UseExistingCaptureBucket": "true", "Calls": "longest"})
    require("AWS::S3::Bucket" not in stack.types(), "the stack created a bucket although one exists")
    require(notification_configuration(s3, EXISTING_BUCKET) == before,
            "the stack changed the existing bucket's notification configuration")
    require({"CaptureRule", "CaptureRuleInvokePermission"} <= set(stack.resources),
            f"resources {sorted(stack.resources)}")
    queue_policy = template["Resources"]["FailureQueueRulePolicy"]
    require(queue_policy.get("Condition") == "ExistingCaptureBucket"
            and queue_policy["Properties"]["PolicyDocument"]["Statement"][0]["Condition"]["ArnEquals"]
            == {"aws:SourceArn": {"Fn::GetAtt": ["CaptureRule", "Arn"]}},
            "the failure queue does not take the rule's dead letters")
    rule = stack.resources["CaptureRule"]["PhysicalResourceId"]
    function_arn = stack.outputs["FunctionArn"]
    targets = events.list_targets_by_rule(Rule=rule)["Targets"]
    require([target["Arn"] for target in targets] == [function_arn], f"rule targets {targets}")
    require(targets[0].get("DeadLetterConfig", {}).get("Arn", "").endswith(":" + stack.outputs["FailureQueueUrl"]
                                                                          .rsplit("/", 1)[-1]),
            f"the rule's dead letters do not go to the failure queue: {targets[0]}")
    function_configuration = clients["lambda"].get_function_configuration(FunctionName=function_arn)
    check_role(clients, function_configuration)
    log(f"   rule {rule} → {stack.outputs['FunctionName']}; bucket configuration unchanged; role reads captures/")

    # What EventBridge hands the function, seen through a queue target beside it. moto delivers to no Lambda
    # target (it gives up on the rule's remaining targets there), so the observer goes first and the function's
    # target, as deployed, after it.
    observer = sqs.create_queue(QueueName="rule-observer")["QueueUrl"]
    observer_arn = sqs.get_queue_attributes(QueueUrl=observer, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.remove_targets(Rule=rule, Ids=[targets[0]["Id"]])
    events.put_targets(Rule=rule, Targets=[{"Id": "observer", "Arn": observer_arn}, targets[0]])
    capture_path = os.path.join(e2e.TESTDATA, e2e.CAPTURE)
    if os.path.exists(capture_path):
        with open(capture_path, "rb") as f:
            capture = f.read()
    else:
        require(os.environ.get("CI") != "true", f"{capture_path} missing (the shared testdata must be there in CI)")
        log(f"   {capture_path} missing: the rule is checked with a stand-in, the function is not run")
        capture = b"no capture"
    for key, compressed, _ in UPLOADS:
        s3.put_object(Bucket=EXISTING_BUCKET, Key=key, Body=gzip.compress(capture, mtime=0) if compressed else capture)
    for key in IGNORED_UPLOADS:
        s3.put_object(Bucket=EXISTING_BUCKET, Key=key, Body=capture)
    s3.put_object(Bucket=OTHER_BUCKET, Key=UPLOADS[0][0], Body=capture)
    delivered = drain(sqs, observer)
    keys = [event.get("detail", {}).get("object", {}).get("key") for event in delivered]
    require(sorted(keys) == sorted(key for key, _, _ in UPLOADS), f"the rule delivered events for {keys}")
    # (S3 sends an s3:TestEvent, without Records, when a queue notification is configured.)
    owner_keys = [record["s3"]["object"]["key"] for message in drain(sqs, owner_queue)
                  for record in message.get("Records", [])]
    require(len(owner_keys) == len(UPLOADS) + len(IGNORED_UPLOADS),
            f"the owner's own notification no longer sees every upload: {owner_keys}")
    log(f"   the rule matched {len(keys)} of {len(UPLOADS) + len(IGNORED_UPLOADS) + 1} uploads: {keys}")

    if capture != b"no capture":
        run_function(s3, function_configuration, delivered, bootstrap, endpoint, work)
    require(drain(sqs, observer) == [], "writing the recordings triggered the rule again")

    log("4. deleting the stack leaves the existing bucket as it was")
    stack.delete()
    require(notification_configuration(s3, EXISTING_BUCKET) == before, "the existing bucket's configuration changed")
    for key, _, output in UPLOADS:
        require(e2e.exists(s3, EXISTING_BUCKET, key), f"{key} went with the stack")
        require(capture == b"no capture" or e2e.exists(s3, EXISTING_BUCKET, output + ".mp3"),
                f"the recording of {key} went with the stack")


def run_function(s3, function_configuration, delivered, bootstrap, endpoint, work):
    """The real bootstrap behind the Runtime API emulator, with the stack's environment, on each delivered event."""
    environment = function_configuration.get("Environment", {}).get("Variables", {})
    require(environment.get("INPUT_PREFIX") == "captures/" and environment.get("OUTPUT_PREFIX") == "recordings/",
            f"the stack gave the function {environment}")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_ENDPOINT_URL_S3": endpoint,
        "AWS_LAMBDA_FUNCTION_NAME": function_configuration["FunctionName"],
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function_configuration.get("MemorySize", 1024)),
        **environment,
    }
    servers = []
    function_log = os.path.join(work, "function.log")
    try:
        emulator = e2e.Server(
            servers, "Runtime API emulator",
            [sys.executable, os.path.join(ROOT, "scripts/runtime-api-emulator.py"), "--port", "0", "--timeout", "60",
             "--log-file", function_log, "--", bootstrap],
            env, os.path.join(work, "emulator.log"))
        for event in delivered:
            key = event["detail"]["object"]["key"]
            status, function_error, body = e2e.invoke(emulator.ready["invokeURL"], event)
            require(status == 200 and function_error is None,
                    f"{key}: the function failed ({function_error}): {body[:300]!r}\n{e2e.tail(function_log)}")
            output = next(output for upload, _, output in UPLOADS if upload == key)
            recording = os.path.join(work, "recording.mp3")
            s3.download_file(EXISTING_BUCKET, output + ".mp3", recording)
            seconds, channels, rate = e2e.check_recording(recording)
            report = json.loads(s3.get_object(Bucket=EXISTING_BUCKET, Key=output + ".json")["Body"].read())
            name = (report.get("input") or {}).get("name")
            require(name == f"s3://{EXISTING_BUCKET}/{key}", f"the report of {key} names input {name!r}")
            log(f"   {key} → {output}.mp3: {seconds:.2f} s, {channels} ch, {rate} Hz, and .json")
    finally:
        for server in servers:
            server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", required=True, help="the function program (a build's bootstrap)")
    args = parser.parse_args()
    require(os.access(args.bootstrap, os.X_OK), f"{args.bootstrap} is not an executable")

    log("1. template.yaml through the SAM translator")
    template = translated_template()
    check_triggers_agree(template)

    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    # moto creates no resource for the types it does not model (EventInvokeConfig, SQS QueuePolicy) and says so
    # for every stack; those are checked in the translated template instead.
    logging.getLogger("moto").addFilter(lambda record: "No Moto CloudFormation support" not in record.getMessage())
    warnings.filterwarnings("ignore", message="Tried to parse .* not supported by moto", category=UserWarning)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    work = tempfile.mkdtemp(prefix="rtp2mp3-template-")
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        session = boto3.session.Session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                                        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                        region_name=REGION)
        clients = {name: session.client(name, endpoint_url=endpoint)
                   for name in ("cloudformation", "s3", "sqs", "events", "lambda", "iam")}
        # The zip the stack's function is created from (its content does not matter to moto).
        artifact = io.BytesIO()
        with zipfile.ZipFile(artifact, "w") as archive:
            archive.writestr("bootstrap", "#!/bin/sh\n")
        clients["s3"].create_bucket(Bucket="rtp2mp3-artifacts")
        clients["s3"].put_object(Bucket="rtp2mp3-artifacts", Key="rtp2mp3-lambda.zip", Body=artifact.getvalue())
        log(f"   moto {endpoint} (CloudFormation, S3, EventBridge, SQS, Lambda, IAM)")

        check_created_bucket(clients, template)
        check_existing_bucket(clients, template, os.path.abspath(args.bootstrap), endpoint, work)
        log("template: both ways deploy and trigger the function")
        return 0
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    for variable in e2e.PROXY_VARIABLES:
        os.environ.pop(variable, None)
        os.environ.pop(variable.upper(), None)
    try:
        sys.exit(main())
    except CheckFailed as failure:
        print(f"error: check-template: {failure}", file=sys.stderr)
        sys.exit(1)
