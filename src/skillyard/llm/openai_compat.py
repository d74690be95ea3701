"""An OpenAI-compatible chat client on ``httpx`` (OpenAI, vLLM, llama.cpp server, Ollama's ``/v1``, ...).

Configuration comes from arguments or the environment:

- ``SKILLYARD_LLM_BASE_URL`` (else ``OPENAI_BASE_URL``; e.g. ``http://127.0.0.1:11434/v1`` for Ollama),
- ``SKILLYARD_LLM_MODEL`` (else ``OPENAI_MODEL``),
- ``SKILLYARD_LLM_API_KEY`` (else ``OPENAI_API_KEY``; optional for local servers),
- ``SKILLYARD_LLM_TIMEOUT`` seconds (default 120), ``SKILLYARD_LLM_MAX_RETRIES`` (default 4),
- ``SKILLYARD_LLM_CACHE`` path of the response cache (``off`` disables it).

Retries: connection errors, timeouts, 429 and 5xx are retried with exponential backoff and full jitter,
honouring ``Retry-After`` (seconds or an HTTP date, capped at ``max_backoff``). Other 4xx fail at once.
"""

from __future__ import annotations

import email.utils
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from skillyard.llm.cache import ResponseCache, request_key
from skillyard.llm.interface import (
    ChatMessage,
    Completion,
    LLMConfigError,
    LLMHTTPError,
    LLMResponseError,
    TokenUsage,
    UsageMeter,
)

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


def _env(*names: str) -> str | None:
    for n in names:
        v = os.environ.get(n)
        if v:
            return v
    return None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date); ``None`` if absent/bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class OpenAICompatClient:
    """Chat completions over HTTP with timeouts, retries, a response cache and token accounting.

    Thread-safe: one ``httpx.Client`` (itself thread-safe) is shared; the cache and the usage meter lock.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        max_retries: int = 4,
        backoff_base: float = 0.5,
        max_backoff: float = 30.0,
        cache: ResponseCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
        extra_headers: dict[str, str] | None = None,
    ) -> None:
        if not base_url:
            raise LLMConfigError("no LLM base URL: set SKILLYARD_LLM_BASE_URL (e.g. http://127.0.0.1:8000/v1)")
        if not model:
            raise LLMConfigError("no LLM model: set SKILLYARD_LLM_MODEL")
        if max_retries < 0 or timeout <= 0:
            raise LLMConfigError("max_retries must be >= 0 and timeout > 0")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.max_backoff = max_backoff
        self.cache = cache
        self.usage = UsageMeter()
        self._sleep = sleep
        headers = {"Content-Type": "application/json", **(extra_headers or {})}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._http = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), headers=headers)

    @classmethod
    def from_env(
        cls,
        *,
        base_url: str | None = None,
        model: str | None = None,
        cache_path: str | Path | None = None,
        **kwargs: Any,
    ) -> OpenAICompatClient:
        """Build a client from explicit values, falling back to the environment variables above."""
        url = base_url or _env("SKILLYARD_LLM_BASE_URL", "OPENAI_BASE_URL") or ""
        name = model or _env("SKILLYARD_LLM_MODEL", "OPENAI_MODEL") or ""
        key = _env("SKILLYARD_LLM_API_KEY", "OPENAI_API_KEY")
        if "timeout" not in kwargs and (t := _env("SKILLYARD_LLM_TIMEOUT")):
            try:
                kwargs["timeout"] = float(t)
            except ValueError:
                raise LLMConfigError(f"SKILLYARD_LLM_TIMEOUT={t!r} is not a number") from None
        if "max_retries" not in kwargs and (r := _env("SKILLYARD_LLM_MAX_RETRIES")):
            try:
                kwargs["max_retries"] = int(r)
            except ValueError:
                raise LLMConfigError(f"SKILLYARD_LLM_MAX_RETRIES={r!r} is not an integer") from None
        cache: ResponseCache | None = None
        where = str(cache_path) if cache_path is not None else _env("SKILLYARD_LLM_CACHE")
        if where and where.lower() not in ("off", "0", "none", "false"):
            cache = ResponseCache(where)
        return cls(url, name, api_key=key, cache=cache, **kwargs)

    def close(self) -> None:
        self._http.close()
        if self.cache is not None:
            self.cache.close()

    def __enter__(self) -> OpenAICompatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def chat(
        self,
        messages: list[ChatMessage],
        *,
        model: str | None = None,
        temperature: float = 0.0,
        json_mode: bool = False,
        max_tokens: int | None = None,
    ) -> Completion:
        """POST ``/chat/completions``; served from the cache when the same request was answered before."""
        payload: dict[str, Any] = {
            "model": model or self.model,
            "messages": [{"role": m["role"], "content": m["content"]} for m in messages],
            "temperature": temperature,
        }
        if json_mode:
            payload["response_format"] = {"type": "json_object"}
        if max_tokens is not None:
            payload["max_tokens"] = max_tokens
        key = request_key({"base_url": self.base_url, **payload}) if self.cache is not None else ""
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            self.usage.record(hit)
            return hit
        completion = self._post_with_retries(payload)
        self.usage.record(completion)
        if self.cache is not None and completion.text:
            self.cache.put(key, completion)
        return completion

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_backoff)
        cap = min(self.max_backoff, self.backoff_base * (2**attempt))
        return random.uniform(cap / 2, cap)

    def _post_with_retries(self, payload: dict[str, Any]) -> Completion:
        url = f"{self.base_url}/chat/completions"
        last = ""
        status: int | None = None
        for attempt in range(self.max_retries + 1):
            retry_after: float | None = None
            try:
                resp = self._http.post(url, json=payload)
            except (httpx.TransportError, httpx.TimeoutException) as e:
                last, status = f"{type(e).__name__}: {e}", None
            else:
                if resp.status_code == 200:
                    return self._parse(resp, url)
                status = resp.status_code
                last = f"HTTP {status}: {resp.text[:300]}"
                if status not in RETRY_STATUSES:
                    raise LLMHTTPError(f"{url}: {last}", status)
                retry_after = parse_retry_after(resp.headers.get("retry-after"))
            if attempt < self.max_retries:
                self.usage.record_retry()
                self._sleep(self._backoff(attempt, retry_after))
        raise LLMHTTPError(f"{url}: failed after {self.max_retries + 1} attempts; last error: {last}", status)

    def _parse(self, resp: httpx.Response, url: str) -> Completion:
        try:
            data = resp.json()
            choice = data["choices"][0]
            message = choice.get("message") or {}
            text = message.get("content")
            if text is None:
                text = choice.get("text", "")
            usage = data.get("usage") or {}
            return Completion(
                text=str(text or ""),
                model=str(data.get("model") or ""),
                usage=TokenUsage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)),
                finish_reason=choice.get("finish_reason"),
            )
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as e:
            raise LLMResponseError(f"{url}: not a chat completion ({type(e).__name__}: {e})") from e
