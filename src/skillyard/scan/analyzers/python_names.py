"""Names the Python analyzer treats as network and exec sinks, remote sources, code runners and decoders."""

from __future__ import annotations

NET_SINKS = frozenset(
    {
        "requests.post",
        "requests.put",
        "requests.get",
        "requests.patch",
        "requests.request",
        "httpx.post",
        "httpx.put",
        "httpx.get",
        "httpx.request",
        "urllib.request.urlopen",
        "urlopen",
        "urllib.request.Request",
        "Request",
        "session.post",
        "s.post",
        "client.post",
        "sendall",
        "send",
        "sendto",
        "connect",
        "sendmail",
        "send_message",
        "storbinary",
        "aiohttp.ClientSession.post",
        "post",
        "put",
        "upload_file",
        "urlretrieve",
        "socket.gethostbyname",
        "gethostbyname",
        "gethostbyname_ex",
        "socket.gethostbyname_ex",
        "socket.getaddrinfo",
        "getaddrinfo",
        "dns.resolver.resolve",
        "dns.resolver.query",
    }
)
# Calls whose result is data received from the network (taint kind ``remote``).
REMOTE_SOURCES = ("urlopen", "requests.get", "requests.post", "httpx.get", "httpx.post", "recv", "urlretrieve")
EXEC_SINKS = frozenset(
    {
        "subprocess.run",
        "subprocess.Popen",
        "subprocess.call",
        "subprocess.check_output",
        "subprocess.check_call",
        "os.system",
        "os.popen",
        "os.execv",
        "os.execve",
        "os.spawnl",
        "pty.spawn",
        "asyncio.create_subprocess_shell",
        "asyncio.create_subprocess_exec",
    }
)
# Builtins that run a Python code string (``compile`` only builds it, but its result goes to one of the others).
CODE_SINKS = frozenset({"exec", "eval", "builtins.exec", "builtins.eval"})
DECODERS = frozenset(
    {
        "b64decode",
        "b32decode",
        "b85decode",
        "a85decode",
        "urlsafe_b64decode",
        "decodebytes",
        "decompress",
        "fromhex",
        "unhexlify",
        "loads",
        "decode",
        "rot13",
        "bytes",
        "join",
    }
)
