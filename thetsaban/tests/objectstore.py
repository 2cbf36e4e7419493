"""An S3-compatible object store on loopback for tests: moto's server mode (`moto_server`),
started in a process of its own and stopped with it (thetsaban/tests/serving.py).

moto comes with the test extras (`pip install -e .[test]`); without it the tests that need the
store are skipped with that reason.
"""

import importlib.util
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

from thetsaban.tests.serving import Process, free_port

MOTO_MISSING = importlib.util.find_spec("moto") is None
SKIP_REASON = ("moto is not installed: the object storage tests run against moto's S3 server "
               "(pip install -e '.[test]')")
# moto accepts any credentials; boto3 needs some to sign with.
CREDENTIALS = {"access_key": "testing-key", "secret_key": "testing-secret"}


class ObjectStore:
    """A moto S3 server on 127.0.0.1 and one bucket in it."""

    def __init__(self, port: int | None = None, bucket: str | None = None):
        self.directory = Path(tempfile.mkdtemp(prefix="thetsaban-s3-"))
        self.port = port or free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.bucket = bucket or f"thetsaban-{uuid.uuid4().hex[:12]}"
        command = shutil.which("moto_server", path=os.path.dirname(sys.executable)) or "moto_server"
        env = {"PATH": os.environ.get("PATH", ""), "MOTO_PORT": str(self.port)}
        self.process = Process([command, "-H", "127.0.0.1", "-p", str(self.port)], env=env,
                               log=self.directory / "moto.log")
        try:
            self.process.wait_for_port(self.port, timeout=60)
            self.client().create_bucket(Bucket=self.bucket)
        except BaseException:
            self.stop()
            raise

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=CREDENTIALS["access_key"],
                            aws_secret_access_key=CREDENTIALS["secret_key"])

    def storages(self, **options) -> dict:
        """A STORAGES setting with this bucket as the default storage, made from
        MEDIA_STORAGE_URL as a deployment would set it."""
        from thetsaban.storage import media_storage

        url = f"s3://{self.bucket}/media?endpoint_url={self.endpoint}&region_name=us-east-1"
        saved = os.environ.get("MEDIA_STORAGE_URL")
        os.environ["MEDIA_STORAGE_URL"] = url
        try:
            entry = media_storage()
        finally:
            if saved is None:
                os.environ.pop("MEDIA_STORAGE_URL")
            else:
                os.environ["MEDIA_STORAGE_URL"] = saved
        entry["OPTIONS"].update(CREDENTIALS, **options)
        from django.conf import settings

        return {**settings.STORAGES, "default": entry}

    def keys(self) -> list[str]:
        answer = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in answer.get("Contents", []))

    def empty(self):
        client = self.client()
        for key in self.keys():
            client.delete_object(Bucket=self.bucket, Key=key)

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def stop(self):
        self.process.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
