"""What a decoded PowerShell ``-EncodedCommand`` payload does, read like a PowerShell script (never run).

SC022 decodes the payload; a payload that fetches and runs code, sets up persistence (a ``Run`` key, a scheduled
task, a service, the Startup folder) or reads a credential store and sends data out is hidden work, not a
harmless one-liner kept in base64 to dodge quoting.
"""

from __future__ import annotations

import re

from skillyard.scan.analyzers.secrets import secret_kind

_FETCH_RUN = re.compile(
    r"\b(?:iex|Invoke-Expression|DownloadString|DownloadFile|DownloadData|Invoke-WebRequest|iwr|irm|Invoke-RestMethod"
    r"|Net\.WebClient|Start-Process|FromBase64String|Add-MpPreference|Set-MpPreference|bitsadmin|certutil)\b",
    re.IGNORECASE,
)
_PERSIST = re.compile(
    r"CurrentVersion\\+(?:Run|RunOnce|Policies\\+Explorer\\+Run)\b|\bschtasks(?:\.exe)?\s+/create\b"
    r"|\bRegister-ScheduledTask\b|\bNew-Service\b|\bsc(?:\.exe)?\s+create\b|Start Menu\\+Programs\\+Startup"
    r"|shell:startup|\bWinlogon\b|\bUserInitMprLogonScript\b",
    re.IGNORECASE,
)
_SEND = re.compile(
    r"Net\.Http\.HttpClient|Net\.Sockets\.(?:TcpClient|UdpClient|Socket)|\.Upload(?:String|File|Data|Values)\b"
    r"|\bSend-MailMessage\b|\bcurl(?:\.exe)?\s|https?://|\bResolve-DnsName\b|\bnslookup\b",
    re.IGNORECASE,
)


def payload_does(decoded: str) -> str | None:
    """A short description of the harmful thing ``decoded`` PowerShell does, else ``None``."""
    if (m := _FETCH_RUN.search(decoded)) is not None:
        return f"calls {m.group(0)}"
    if (m := _PERSIST.search(decoded)) is not None:
        return f"sets up persistence ({m.group(0)})"
    kind = secret_kind(decoded)
    if kind is not None and _SEND.search(decoded):
        return f"reads a {kind} and sends data out"
    return None
