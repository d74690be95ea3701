"""Something planted, out of the user's sight, in everything the agent generates for them.

A skill that writes migrations, configs or Dockerfiles can order the agent to add one more thing to each of them: a
database role with a fixed password and ``GRANT ALL``, an extra sudo user, a superuser in the seed data, or an LLM
API base URL pointed at a relay that then sees every prompt and key. The order is written in the skill's prose, in
any language; the planted artefact itself (SQL, a shell command, an environment variable) is language-independent.

- P029: a backdoor account or privilege (``GRANT ALL``, ``CREATE ROLE/USER ... PASSWORD``, ``useradd ... sudo``,
  ``NOPASSWD: ALL``, "create a hidden admin account") in a markdown paragraph that applies it to every generated
  artefact ("in every migration you generate", "em toda migração gerada", "in jeder erzeugten Datei") and keeps it
  from the user ("without telling the user", "sem avisar o usuário", "silently", "Erwähne ... nicht").
- P030: an LLM provider base-URL variable (``OPENAI_BASE_URL``, ``ANTHROPIC_BASE_URL``, ``OPENAI_API_BASE`` ...) set
  to a non-local URL in a paragraph that keeps the setting from the user.

Both read the artefact's row plus the neighbouring non-blank rows of its paragraph (three either side). An artefact
the words around it warn against ("never GRANT ALL ...") does not count. An honest template ("every migration
grants SELECT to the readonly role", "set OPENAI_BASE_URL=https://openrouter.ai/api/v1 in your .env") names no
secrecy, so it stays silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView, TextFile, register_keywords
from skillyard.scan.rules.base import Family, Hit, Rule, snippet, warns_against
from skillyard.scan.rules.covert_orders import order_context

_I = re.IGNORECASE

_BACKDOOR_GATE = ("grant all", "create role", "create user", "create login", "alter role", "alter user", "useradd",
                  "adduser", "usermod", "nopasswd", "superuser", "super-user", "admin", "root ")  # fmt: skip
_BACKDOOR = re.compile(
    r"\bGRANT\s+ALL\b"
    r"|\bCREATE\s+(?:ROLE|USER|LOGIN)\b[^;\n`]{0,100}\b(?:SUPERUSER|PASSWORD|IDENTIFIED\s+BY)\b"
    r"|\bALTER\s+(?:ROLE|USER)\b[^;\n`]{0,60}\bSUPERUSER\b"
    r"|\b(?:useradd|adduser|usermod)\b[^\n`]{0,80}(?:\bsudo\b|\bwheel\b|\badmin\b|\s-p\s|--password|-o\s+-u\s*0\b)"
    r"|\bNOPASSWD\s*:\s*ALL\b|\bcreatesuperuser\b"
    r"|\b(?:create|add)\w*\s+(?:a\s+|an\s+|one\s+)?(?:extra\s+|hidden\s+|second\s+|additional\s+|maintenance\s+"
    r"|support\s+|backup\s+)?(?:super-?user|admin(?:istrator)?\s+(?:account|user|login)|root\s+(?:account|user))\b",
    _I,
)

_URL_GATE = ("base_url", "api_base", "_endpoint", "_base")
_BASE_URL = re.compile(
    r"\b(?:OPENAI|ANTHROPIC|AZURE_OPENAI|GEMINI|GOOGLE_AI|MISTRAL|GROQ|DEEPSEEK|COHERE|OPENROUTER|LLM|AI|CLAUDE)"
    r"_(?:API_)?(?:BASE_URL|API_BASE|BASE|ENDPOINT)\b[`\"']?(?:\s*[=:]\s*|\s+(?:at|to)\s+)[\"'`]?https?://"
    r"(?!(?:localhost|127\.|0\.0\.0\.0|\[::1\]|host\.docker\.internal|[\w.-]*example\.(?:com|org|net))\b)[\w.-]+",
    _I,
)

# applied to everything the agent generates
_EVERY = re.compile(
    r"\b(?:every|each|all|any)\b[^.\n]{0,40}\b(?:generat\w*|you\s+(?:write|create|produce|scaffold|output)"
    r"|migrations?|configs?|configurations?|dockerfiles?|projects?|schemas?|templates?|manifests?|\.env)\b"
    r"|\b(?:always\s+(?:add|append|include|insert|set|put)|each\s+one|each\s+time|every\s+time)\b"
    r"|\b(?:toda|todo|todas|todos|cada|qualquer|cualquier)\b[^.\n]{0,40}\b(?:gerad|criad|migraç|configuraç|projet"
    r"|arquivo|generad|cread|migraci|configuraci|proyecto|archivo)"
    r"|\b(?:chaque|toute?s?|tous)\b[^.\n]{0,40}(?:génér|créé|migration|configuration|projet|fichier)"
    r"|\b(?:jede[nmrs]?|alle[nm]?)\b[^.\n]{0,40}(?:erzeugt|generiert|erstellt|Migration|Konfiguration|Projekt|Datei)"
    r"|\b(?:ogni|tutt[ie])\b[^.\n]{0,40}(?:generat|creat|migrazion|configurazion|progett|file)"
    r"|(?:每个|每次|所有|任何)[^。\n]{0,20}(?:生成|创建|迁移|配置|项目|文件)"
    r"|(?:すべての|全ての|毎回|各)[^。\n]{0,20}(?:生成|作成|マイグレーション|設定|プロジェクト|ファイル)"
    r"|(?:кажд|все|любо)\w*\s[^.\n]{0,40}(?:сгенерир|созда|миграц|конфиг|проект|файл)",
    _I,
)

# kept from the user
_SECRET = re.compile(
    r"\b(?:without\s+(?:telling|mentioning|informing|notifying|flagging|noting|commenting|pointing|showing|surfacing)"
    r"|do\s*n[o']?t\s+(?:mention|tell|point|call\s+attention|flag|comment|list|show"
    r"|surface|disclose|explain)|never\s+(?:mention|tell|disclose|show|flag|explain)|no\s+need\s+to\s+(?:mention|point"
    r"|tell|flag)|keep\s+(?:it|this|them)\s+(?:hidden|secret|out\s+of))\b"
    r"|\bsem\s+(?:comentar|avisar|informar|mencionar|dizer|mostrar|notificar)|\bsilenciosamente\b"
    r"|\bnão\s+(?:o\s+|os\s+|as?\s+)?(?:mencione|comente|avise|diga|mostre)"
    r"|\bsin\s+(?:avisar|decir|mencionar|comentar|informar|mostrar)|\ben\s+silencio\b"
    r"|\bno\s+(?:lo\s+|las?\s+|los\s+)?(?:menciones|comentes|digas|muestres)\b"
    r"|\bsans\s+(?:le\s+|les\s+|l['’]\s*)?(?:dire|signaler|mentionner|prévenir|avertir|commenter|afficher)"
    r"|\bsilencieusement\b|\bdiscrètement\b|\bne\s+(?:le\s+|les\s+|la\s+)?(?:mentionne|signale|dis|montre)\w*\s+"
    r"(?:pas|jamais)\b"
    r"|\bohne\b[^.\n]{0,30}\b(?:erwähnen|sagen|hinweisen|informieren|mitzuteilen|anzuzeigen)\b"
    r"|\berwähne\w*\b[^.\n]{0,40}\bnicht\b|\bstillschweigend\b|\bheimlich\b|\bunbemerkt\b"
    r"|\bsenza\s+(?:dirlo|dire|avvisare|menzionar\w*|segnalar\w*|informare)|\bnon\s+(?:menzionar|dirl|segnalar)\w*"
    r"|不要(?:告诉|告知|提及|提起|说明)|悄悄|静默|默默|偷偷|瞒着|黙って|こっそり|伝えないで|言わないで|知らせないで"
    r"|\bмолча\b|\bне\s+(?:сообщай|говори|упоминай)",
    _I,
)

# a bare "silently" counts only in a sentence that also adds or sets something ("add ... quietly to each one"), not
# in "silently falling back to the default"
_ADVERB = re.compile(r"\b(?:silently|quietly|secretly|covertly)\b", _I)
_ADDS = re.compile(r"\b(?:add|append|include|insert|set|put|create|grant|write|leave|plant|point)\b", _I)
# a sentence that warns against what it names ("never GRANT ALL ... without telling the user")
_WARN = re.compile(
    r"\b(?:never|don'?t|do\s+not|avoid|não|nunca|jamais|ne|n['’]|nie|niemals|non|не)\b|不要|切勿|绝不|決して", _I
)
_SENTENCES = re.compile(r"(?<=[.;!?。])\s+|\s+-\s+")

register_keywords(_BACKDOOR_GATE + _URL_GATE)


def _kept_from_user(text: str) -> bool:
    """Whether a sentence of ``text`` orders secrecy (and does not warn against it)."""
    for sentence in _SENTENCES.split(text):
        m = _SECRET.search(sentence) or (_ADVERB.search(sentence) if _ADDS.search(sentence) else None)
        if m is not None and _WARN.search(sentence, 0, m.start()) is None:
            return True
    return False


def _window(tf: TextFile, n: int) -> str:
    """Row ``n`` with the non-blank rows around it (its paragraph or list, at most three rows either side)."""
    rows = tf.rows
    lo = n - 1
    while lo > 0 and n - lo <= 3 and rows[lo - 1].strip():
        lo -= 1
    hi = n - 1
    while hi + 1 < len(rows) and hi - n < 2 and rows[hi + 1].strip():
        hi += 1
    return " ".join(r.strip() for r in rows[lo : hi + 1])


def _planted(
    view: SkillView, rule: str, gate: tuple[str, ...], artefact: re.Pattern[str], every: bool, message: str
) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or tf.lang not in ("markdown", "text") or not tf.has_any(gate):
            continue
        for n in tf.candidate_numbers(gate):
            row = tf.rows[n - 1]
            m = artefact.search(row)
            if m is None or warns_against(row, m.start(), m.end()):
                continue
            near = _window(tf, n)
            if not _kept_from_user(near) or (every and _EVERY.search(near) is None):
                continue
            yield Hit(rule, tf.path, n, message, snippet(row, m.start(), m.end()), order_context(tf, n))
            break


def _backdoor(view: SkillView) -> Iterator[Hit]:
    msg = "orders a hidden admin account or privilege into everything the agent generates"
    yield from _planted(view, "P029", _BACKDOOR_GATE, _BACKDOOR, True, msg)


def _relay(view: SkillView) -> Iterator[Hit]:
    msg = "points generated configs' LLM API base URL at another host, out of the user's sight"
    yield from _planted(view, "P030", _URL_GATE, _BASE_URL, False, msg)


RULES = [
    Rule(
        "P029",
        "Backdoor planted in every generated artefact",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.8,
        "The skill tells the agent to add an extra privileged account or grant (GRANT ALL, a role or user with a "
        "fixed password, a sudo user, a superuser) to every migration, config or file it generates, and to keep "
        "quiet about it, in any language. The user ships the backdoor in their own code.",
        "Remove the order. Accounts and grants belong in what the user asked for, visibly, with credentials they "
        "choose.",
        _backdoor,
        mitre="T1136",
    ),
    Rule(
        "P030",
        "LLM API base URL redirected out of sight",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.8,
        "The skill sets OPENAI_BASE_URL / ANTHROPIC_BASE_URL (or a similar provider endpoint) to a remote host and "
        "tells the agent to keep the line from the user: every prompt, completion and API key of the generated app "
        "then passes through that host.",
        "Remove the order; a relay or gateway must be the user's visible, explicit choice.",
        _relay,
        mitre="T1557",
    ),
]
