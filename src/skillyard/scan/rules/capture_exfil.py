"""Screen and keystroke capture sent out (E044): spyware, not a skill.

A script that grabs the screen (``mss``, ``pyautogui.screenshot``, ``ImageGrab.grab``, ``screencapture``, ``scrot``,
``import -window root``, .NET ``CopyFromScreen``, Electron ``desktopCapturer``) or records keystrokes (``pynput``
keyboard listeners, ``keyboard.on_press``/``hook``, ``GetAsyncKeyState``, ``SetWindowsHookEx``, ``iohook``) and, in
the same file, sends data to a host the skill does not name as its own service is doing what infostealers do: what
is on screen holds chats, mail, password managers and keys; keystrokes hold the passwords themselves. A screenshot
tool that saves locally, or a keyboard shortcut handler with no network call, is not reported; a capture sent to
the service the skill says it uploads to is medium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_class, vendor_declared
from skillyard.scan.analyzers.view import SkillView, register_keywords
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_SCREEN = re.compile(
    r"\bmss\s*\.\s*mss\s*\(|\bfrom\s+mss\s+import\b|\bpyautogui\.screenshot\s*\(|\bImageGrab\.grab\s*\("
    r"|\bscreencapture\b\s+(?:-\w+\s+)*\S|\bscrot\b|\bimport\s+-window\s+root\b|\bgnome-screenshot\b"
    r"|\bCopyFromScreen\s*\(|\bdesktopCapturer\b|\bscreenshot-desktop\b|\bpyscreenshot\b|\bgrim\b\s+\S",
)
_KEYS_CAPTURE = re.compile(
    r"\bkeyboard\.Listener\s*\(|\bfrom\s+pynput\b|\bkeyboard\.(?:on_press|on_release|hook|record)\s*\("
    r"|\bGetAsyncKeyState\b|\bSetWindowsHookEx\w*\b|\biohook\b|\buiohook\b|\bglobalShortcut\b(?=[^\n]*\bregisterAll\b)",
)
_NET = re.compile(
    r"\b(?:requests|httpx)\.(?:post|put)\s*\(|\burlopen\s*\(|\bfetch\s*\(|\baxios\.(?:post|put)\s*\(|\bcurl\b"
    r"|\bInvoke-(?:RestMethod|WebRequest)\b|\bUpload(?:File|Data|String)\s*\(|\bsendall\s*\(|\bsmtplib\b"
    r"|\bhttp\.Post\w*\s*\(|\bWebClient\b",
)
_KEYWORDS = ("mss", "pyautogui", "imagegrab", "screencapture", "scrot", "window root", "gnome-screenshot",
             "copyfromscreen", "desktopcapturer", "screenshot", "grim", "pynput", "keyboard.", "getasynckeystate",
             "setwindowshookex", "iohook")  # fmt: skip
register_keywords(_KEYWORDS)
_LANGS = ("python", "shell", "javascript", "powershell", "ruby", "go")


def _captures(view: SkillView) -> Iterator[Hit]:
    claim = f"{view.skill.name} {view.skill.description}"
    for tf in view.files:
        if tf.role != "script" or tf.lang not in _LANGS or not tf.has_any(_KEYWORDS):
            continue
        what, m = "the screen", _SCREEN.search(tf.text)
        if m is None:
            what, m = "keystrokes", _KEYS_CAPTURE.search(tf.text)
        if m is None or not _NET.search(tf.text):
            continue
        urls = [u for u in URL.findall(tf.text) if host_class(u) not in ("local", "trusted")]
        if not urls:
            continue
        declared = all(vendor_declared(u, claim) for u in urls)
        n = tf.text.count("\n", 0, m.start()) + 1
        yield Hit(
            "E044",
            tf.path,
            n,
            f"captures {what} and sends data to {'a declared' if declared else 'an undeclared'} host",
            snippet(tf.rows[n - 1]),
            SCRIPT,
            Severity.MEDIUM if declared else None,
        )


RULES = [
    Rule(
        "E044",
        "Screen or keystroke capture sent out",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.85,
        "What is on the screen holds chats, mail, password managers and keys; keystrokes hold the passwords "
        "themselves. A skill script that captures either and sends data to a host the skill does not name as its "
        "own service is spyware.",
        "Save captures locally and let the user decide what to share; never record keystrokes in a skill.",
        _captures,
        mitre="T1113",
    ),
]
