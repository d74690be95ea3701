"""A scripted, OpenAI-compatible HTTP server for tests and offline demos (a real server, not a patch).

It answers ``POST /v1/chat/completions`` (and ``GET /v1/models``) on 127.0.0.1 from a script of canned
responses. A script is YAML or JSON::

    errors:                      # injected first, one per request, in order (then normal answers)
      - {status: 429, retry_after: 0}
      - {status: 500}
    rules:                       # first rule whose every ``match`` substring occurs in the prompt wins
      - match: ["analyze-trajectory", "trace-001"]
        response: {"lessons": [...]}     # a mapping/list is sent as JSON text; a string as-is
        times: 1                 # optional: use at most this many times
        status: 200              # optional: answer with this HTTP status instead (e.g. 500)
        delay: 0.0               # optional: seconds to wait before answering
        raw_body: {...}          # optional: send this JSON body verbatim (to test malformed answers)
    default: "..."               # optional answer when no rule matches (else HTTP 404 with the reason)

Run it for a demo: ``python -m skillyard.llm.fake_server --script FILE --port 8765``; then point the client
at ``http://127.0.0.1:8765/v1``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml


def load_script(path: str | Path) -> dict[str, Any]:
    """Read a script file (YAML or JSON); raises ``ValueError`` naming the file when it is malformed."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ValueError(f"{p}: cannot read fake-server script: {e}") from e
    if not isinstance(data, dict):
        raise ValueError(f"{p}: a fake-server script is a mapping with 'rules' (and optional 'errors')")
    return data


class _State:
    def __init__(self, script: Mapping[str, Any]) -> None:
        self.lock = threading.Lock()
        self.rules: list[dict[str, Any]] = [dict(r) for r in script.get("rules", [])]
        self.errors: list[dict[str, Any]] = [dict(e) for e in script.get("errors", [])]
        self.default = script.get("default")
        self.uses = [0] * len(self.rules)
        self.calls = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.requests: list[dict[str, Any]] = []

    def pick(self, prompt: str) -> tuple[int, dict[str, Any] | None]:
        """Under the lock: the injected error or the matching rule for ``prompt`` (index -1 = error)."""
        with self.lock:
            self.calls += 1
            if self.errors:
                return -1, self.errors.pop(0)
            for i, rule in enumerate(self.rules):
                match = rule.get("match", [])
                needles = [match] if isinstance(match, str) else list(match)
                if not all(n in prompt for n in needles):
                    continue
                times = rule.get("times")
                if times is not None and self.uses[i] >= int(times):
                    continue
                self.uses[i] += 1
                return i, rule
            if self.default is not None:
                return len(self.rules), {"response": self.default}
            return len(self.rules), None


def _as_text(response: Any) -> str:
    return response if isinstance(response, str) else json.dumps(response, ensure_ascii=False)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: tests and demos read results, not access logs

    _counted = False  # this request is counted in ``state.in_flight``

    def _done(self) -> None:
        if self._counted:
            self._counted = False
            with self.server.state.lock:
                self.server.state.in_flight -= 1

    def _send(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        # A request stops being in flight before its answer is written: once the client has read the answer it
        # may send the next request at once, which must not count as overlapping with this one.
        self._done()
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._send(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
        else:
            self._send(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {"error": {"message": f"no route {self.path}"}})
            return
        length = int(self.headers.get("Content-Length") or 0)
        try:
            payload = json.loads(self.rfile.read(length) or b"{}")
            messages = payload["messages"]
            prompt = "\n".join(str(m.get("content", "")) for m in messages)
        except (ValueError, KeyError, TypeError, AttributeError):
            self._send(400, {"error": {"message": "body is not a chat completion request"}})
            return
        state = self.server.state
        with state.lock:
            state.requests.append(payload)
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        self._counted = True
        try:
            self._answer(state, payload, prompt)
        finally:
            self._done()

    def _answer(self, state: _State, payload: dict[str, Any], prompt: str) -> None:
        index, rule = state.pick(prompt)
        if rule is None:
            self._send(404, {"error": {"message": "fake server: no scripted rule matches this prompt"}})
            return
        if (delay := float(rule.get("delay", 0))) > 0:
            time.sleep(delay)
        status = int(rule.get("status", 200))
        if index == -1 or status != 200:
            headers = {"Retry-After": str(rule["retry_after"])} if "retry_after" in rule else {}
            self._send(status, {"error": {"message": f"injected HTTP {status}"}}, headers)
            return
        if "raw_body" in rule:
            self._send(200, rule["raw_body"])
            return
        text = _as_text(rule.get("response", ""))
        self._send(
            200,
            {
                "id": f"fake-{state.calls}",
                "object": "chat.completion",
                "model": str(payload.get("model") or "fake-model"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {
                    "prompt_tokens": max(1, len(prompt) // 4),
                    "completion_tokens": max(1, len(text) // 4),
                    "total_tokens": max(1, len(prompt) // 4) + max(1, len(text) // 4),
                },
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State


class FakeLLMServer:
    """A running fake server. Use as a context manager; ``base_url`` ends in ``/v1``.

    ``calls`` counts chat requests (injected errors included); ``requests`` keeps their JSON bodies.
    """

    def __init__(self, script: Mapping[str, Any] | str | Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
        data = script if isinstance(script, Mapping) else load_script(script)
        self._server = _Server((host, port), _Handler)
        self._server.state = _State(data)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def calls(self) -> int:
        with self._server.state.lock:
            return self._server.state.calls

    @property
    def max_in_flight(self) -> int:
        """The most chat requests that were being answered at the same time (checks client pools)."""
        with self._server.state.lock:
            return self._server.state.max_in_flight

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self._server.state.lock:
            return list(self._server.state.requests)

    def start(self) -> FakeLLMServer:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-llm", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def demo_script_path() -> Path:
    """The packaged script used by the offline demo (``--demo``)."""
    return Path(__file__).with_name("demo_script.yaml")


def main(argv: list[str] | None = None) -> int:
    """``python -m skillyard.llm.fake_server --script FILE [--port N]``: serve until interrupted."""
    ap = argparse.ArgumentParser(prog="python -m skillyard.llm.fake_server", description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--script", help="YAML/JSON script of canned responses")
    src.add_argument("--demo", action="store_true", help="the built-in script for the README's distill demo")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    args = ap.parse_args(argv)
    try:
        script = demo_script_path() if args.demo else args.script
        server = FakeLLMServer(script, host=args.host, port=args.port)
    except (ValueError, OSError) as e:
        ap.exit(2, f"error: {e}\n")
    print(f"fake OpenAI-compatible server on {server.base_url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
