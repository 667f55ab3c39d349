"""Signed SLA documents in S3-compatible storage (MinIO in compose, moto's server in tests), via aioboto3."""

from __future__ import annotations

import base64
import datetime as dt
from contextlib import AsyncExitStack
from typing import Any

import aioboto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from registry.settings import Settings
from resolvers.errors import StorageUnavailable


class S3DocumentStore:
    """One S3 client for the process, opened and closed with the app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.bucket = settings.s3_bucket
        self._stack = AsyncExitStack()
        self._client: Any = None
        self._links: Any = None

    async def open(self) -> None:
        self._client = await self._open_client(self.settings.s3_endpoint_url)
        # Download links must name the store as their reader reaches it (e.g. MinIO behind compose).
        public = self.settings.s3_public_endpoint_url
        self._links = await self._open_client(public) if public else self._client
        if self.settings.s3_create_bucket:
            try:
                await self._client.head_bucket(Bucket=self.bucket)
            except ClientError:
                await self._client.create_bucket(Bucket=self.bucket)

    async def _open_client(self, endpoint_url: str | None) -> Any:
        session = aioboto3.Session()
        secret = self.settings.s3_secret_key.get_secret_value() if self.settings.s3_secret_key else None
        return await self._stack.enter_async_context(
            session.client(
                "s3",
                endpoint_url=endpoint_url,
                region_name=self.settings.s3_region,
                aws_access_key_id=self.settings.s3_access_key,
                aws_secret_access_key=secret,
                config=Config(
                    connect_timeout=3, read_timeout=10, retries={"max_attempts": 2}, s3={"addressing_style": "path"}
                ),
            )
        )

    async def close(self) -> None:
        await self._stack.aclose()

    async def put(self, key: str, content: bytes, media_type: str, sha256: str) -> None:
        checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
        try:
            # S3 verifies the checksum on arrival: what it stores is what we hashed.
            await self._client.put_object(
                Bucket=self.bucket, Key=key, Body=content, ContentType=media_type, ChecksumSHA256=checksum
            )
        except (BotoCoreError, ClientError, OSError) as error:
            raise StorageUnavailable(f"document store: {type(error).__name__}") from None

    async def delete(self, key: str) -> None:
        try:
            await self._client.delete_object(Bucket=self.bucket, Key=key)
        except (BotoCoreError, ClientError, OSError) as error:
            raise StorageUnavailable(f"document store: {type(error).__name__}") from None

    async def download_url(self, key: str) -> str:
        url: str = await self._links.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=self.settings.download_url_ttl_s
        )
        return url

    async def keys(self, prefix: str) -> list[tuple[str, dt.datetime]]:
        found: list[tuple[str, dt.datetime]] = []
        try:
            paginator = self._client.get_paginator("list_objects_v2")
            async for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                found += [(o["Key"], o["LastModified"]) for o in page.get("Contents", [])]
        except (BotoCoreError, ClientError, OSError) as error:
            raise StorageUnavailable(f"document store: {type(error).__name__}") from None
        return found
