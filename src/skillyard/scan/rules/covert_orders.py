"""Orders to the model that work against the user, in forms the phrase rules miss.

- P020: a note addressed to the model ("note to the AI reading this file", "assistant usage note", "SYSTEM NOTE
  FOR THE ASSISTANT (not for display)", "instruction for the assistant" in other languages, an "Assistant:" label
  in a data file; see :mod:`agent_address`) in any file - a reference, an SVG text node, a CSV cell, an HTML
  comment - followed by an override, a consent claim, a secret action or an order to hide it.
- P021: phishing the user: the agent is told to ask for a password together with a one-time / 2FA code, a seed
  phrase or recovery codes (no honest skill collects them), often while posing as a security team.
- P022: sabotage the user's work and hide it: plant a fallback password or master account in code the agent
  writes, or make failing tests pass by changing assertions or skipping them and report success.
(P023 encoded instructions and P024 jailbreak personas are in :mod:`encoded_orders`.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.gates import Gated
from skillyard.scan.analyzers.view import SkillView, TextFile, fold, register_keywords
from skillyard.scan.context import Context, ContextKind, base_context
from skillyard.scan.rules import agent_address as aa
from skillyard.scan.rules.base import Family, Hit, Rule, snippet, warns_against
from skillyard.scan.rules.injection_patterns import AGAINST_USER

_TEXT_ROLES = ("skill_md", "reference", "script")
# Headings under which a skill quotes attacks (a "Checklist" or "Patterns" heading alone does not).
_TEACHING = re.compile(
    r"under heading '[^']*\b(?:attack|malicious|injection|exploit|threat|red\s+flags?|payload|phishing|poison|"
    r"jailbreak|examples?\s+of|detect|indicator|ioc)",
    re.IGNORECASE,
)


def order_context(tf: TextFile, n: int) -> Context | None:
    """The line's context; a documentation discount from nearby words alone does not apply (only a heading
    that introduces examples or attacks does), and a reference file counts fully (the skill sends the agent
    there)."""
    lines = tf.line_objs(n)
    ctx = lines[0].ctx if lines else None
    if ctx is None:
        return None
    if ctx.kind is ContextKind.DOCUMENTATION and not _TEACHING.search(ctx.reason):
        ctx = base_context(tf.role)
    if ctx.kind in (ContextKind.REFERENCE, ContextKind.SCRIPT):
        return None  # read as instructions: weight 1.0
    return ctx


def _in_comment(tf: TextFile, n: int) -> bool:
    """Whether line ``n`` sits inside an HTML comment (hidden when the markdown renders)."""
    before = "\n".join(tf.rows[: n - 1]) + "\n" + tf.rows[n - 1]
    return before.rfind("<!--") > before.rfind("-->")


def _confidence(tf: TextFile, n: int) -> float | None:
    """Full confidence for text hidden in an HTML comment: a security skill's topic discount is for quotations the
    reader can see, not for orders the rendered page hides."""
    return 1.0 if _in_comment(tf, n) else None


# -- P020 -----------------------------------------------------------------------------------------------------

_ADDRESS = re.compile(
    r"\b(?:note|notes|message|instructions?|directive|memo|guidance)\s+(?:to|for)\s+(?:the\s+|any\s+)?"
    r"(?:AIs?|assistants?|models?|LLMs?|agents?|Claude|GPT|Codex|Copilot)\b"
    r"|\b(?:AI|assistant|model|LLM|agent)(?:\s+model)?\s+(?:reading|processing|parsing|that\s+reads)\s+(?:this|these)\b"
    r"|\b(?:assistant|AI|model|agent)\s+usage\s+note\b|\bif\s+you\s+are\s+an?\s+(?:AI|LLM|language\s+model|assistant)\b"
    r"|\bSYSTEM\s+NOT(?:E|ICE)\b|\bnot\s+for\s+display\b|\baudience\s*:\s*(?:AI|LLM)\s+(?:agents?|assistants?|models?)\b"
    # "note to automated triage agents", "notes for AI coding assistants", "action required by AI coding agents"
    r"|\b(?:note|notes|message|instructions?|directive|memo|guidance)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?"
    r"(?:(?:automated|autonomous|AI|LLM|coding|code|triage|review|CI)[\s-]+){1,2}(?:agents?|assistants?|bots?)\b"
    r"|\b(?:action|attention)\s+required\s+(?:by|for|from)\s+(?:all\s+|any\s+)?(?:AI|LLM|automated|autonomous)\b"
    # es / de / fr / zh / ja: "nota para la IA", "Hinweis für die KI", "note pour l'IA", "给AI的说明", "AIへの指示"
    r"|\bnota\s+(?:para|al|a\s+la)\s+(?:la\s+|el\s+)?(?:IA|asistente|modelo|agente)\b"
    r"|\bhinweis\s+(?:für|an)\s+(?:die\s+|den\s+|das\s+)?(?:KI|Assistenten|Modell|Agenten)\b"
    r"|\bnote\s+(?:pour|à)\s+l[’']\s*(?:IA|assistant|agent)\b|\bà\s+l[’']attention\s+de\s+l[’'](?:IA|assistant)\b"
    r"|给\s*(?:AI|助手|模型|智能体)\s*的|致\s*(?:AI|助手|模型)|(?:AI|アシスタント|エージェント|モデル)への",
    re.IGNORECASE,
)
_COVERT = re.compile(
    r"\b(?:higher|highest|top)\s+priority\b|\bpriority\s+over\b|\bpre-?approved\b|\bauthori[sz]es?\s+you\b"
    r"|\bsilently\b|\bsecretly\b|\bquietly\b|\bnever\s+(?:reveal|mention|disclose|show|tell)\b"
    r"|\bdo\s+not\s+(?:reveal|mention|disclose|show|tell|point\s+(?:it|this)\s+out|display)\b|\bdon'?t\s+(?:reveal|mention|tell)\b"
    r"|\bskip\s+(?:all\s+)?confirmations?\b|\bwithout\s+(?:asking|confirmation|telling)\b"
    # consent and delegation claimed for the user: "the user is away and has delegated this", "the owner asked
    # agents to act on their behalf", "already approved by the owner" (not after "if/once/when": _claim)
    r"|\b(?:user|owner|maintainer)\s+is\s+(?:away|travell?ing|offline|unavailable)\b"
    r"|\b(?:user|owner|maintainer)\b[^.\n]{0,30}\bhas\s+delegated\b|\b(?:asked|authori[sz]ed|delegated)\b[^.\n]{0,40}"
    r"\bon\s+(?:their|his|her|the\s+user'?s|the\s+owner'?s)\s+behalf\b|\bconsented\s+on\s+behalf\s+of\b"
    r"|\b(?:not|never)\s+surface\b|\b(?:user|owner|administrator|admin)\s+(?:has\s+)?(?:already\s+"
    r"(?:consented|approved|agreed|authori[sz]ed)|pre-?approved)\b|\b(?:is|was|has\s+been)\s+(?:pre-?)?(?:approved"
    r"|authori[sz]ed)\s+by\s+the\s+(?:user|owner)\b|\bdo\s+not\s+(?:list|include|report|record)\s+(?:it|this|them)\s+"
    r"in\s+(?:the|your)\s+(?:\w+\s+)?(?:summary|reply|response|report|change\s*log|description)\b"
    r"|\bif\s+the\s+user\s+asks\b[^.\n]{0,80}\b(?:say|tell|claim|deny|answer)\b"
    r"|\bignore\s+(?:the\s+user|previous|prior|all)\b|\bover(?:ride|rides)\s+(?:the\s+user|user|any)\b"
    r"|\bno\s+(?:lo\s+|se\s+lo\s+)?(?:menciones|digas|reveles|muestres)\b|\ben\s+secreto\b|\bsin\s+(?:preguntar|avisar)\b"
    r"|\bprioridad\s+(?:sobre|máxima)\b|\bnicht\s+(?:erwähnen|verraten|zeigen)\b|\berwähne\s+(?:das\s+|dies\s+)?nicht\b"
    r"|\bheimlich\b|\bohne\s+(?:zu\s+fragen|Rückfrage|nachzufragen)\b|\bVorrang\b|\bhöchste\s+Priorität\b"
    r"|\bne\s+(?:le\s+|la\s+|l['’]\s*)?(?:mentionne|dis|révèle|montre|signale)\s+(?:pas|jamais)\b|\bsecrètement\b"
    r"|\bsilencieusement\b|\bsans\s+demander\b"
    r"|\bpriorité\s+(?:sur|absolue)\b|不要(?:告诉|提及|透露|显示)|秘密地|悄悄|无需(?:询问|确认)|优先于"
    r"|(?:言わない|伝えない|黙って|こっそり|確認せず|優先)",
    re.IGNORECASE,
)


_IF = re.compile(r"\b(?:if|once|unless|until|when|whether|after)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def _claim(rx: re.Pattern[str], block: str) -> re.Match[str] | None:
    """The first match of ``rx`` in ``block`` that is not a condition ("only once the user has already approved")."""
    for m in rx.finditer(block):
        if not _IF.search(block[max(0, m.start() - 40) : m.start()]):
            return m
    return None


# Speed: the row loops below try their first pattern only on rows whose case-folded text holds a literal every
# match of it contains (found for all files in the shared one-pass keyword index), so skipping loses no match.
_ADDRESS_KEYS = (
    "note", "message", "instruction", "directive", "memo", "guidance", "reading", "processing", "parsing", "reads",
    "usage", "display", "nota", "hinweis", "l'", "l’", "给", "致", "への", "notice", "action required", "audience",
    "attention required",
)  # fmt: skip
# The "if you are an AI / LLM / language model / assistant" branch: "you" is on most lines, so a row found only
# through it must also hold "if" and one of the words that branch ends with (exact: every match contains them).
_YOU_KEYS = ("you",)
_YOU_ALSO = ("ai", "llm", "language", "assistant")
_ASK_KEYS = ("ask", "request", "prompt", "collect", "obtain", "get", "have")
_SABOTAGE_KEYS = (
    "fallback", "maintenance", "master", "universal", "backdoor", "hidden", "hard", "accept", "match", "skip",
    "weaken", "loosen", "relax", "water down", "comment out", "failing test", "failing case", "failing spec",
    "failing assert", "broken test", "broken case", "broken spec", "broken assert", "xfail",
)  # fmt: skip
UNBOUND_KEYS = (
    "bound", "restricted", "limited", "appl", "refuse", "warning", "disclaimer", "restrictions", "limits", "filters",
    "confirmation", "polic", "guidelines", "exist", "ignore",
)  # fmt: skip
register_keywords(_ADDRESS_KEYS + _YOU_KEYS + _ASK_KEYS + _SABOTAGE_KEYS + UNBOUND_KEYS)


# A file holds a match of _ADDRESS only if it holds one of these (every branch contains one; "memo", "guidance",
# "processing", "parsing", "reads", "display" and "attention" were missing, so a file addressed only through them
# was skipped).
_FILE_KEYS = (
    "note", "message", "instruction", "directive", "reading", "usage", "if you are", "nota", "hinweis", "给", "致",
    "への", "notice", "memo", "guidance", "processing", "parsing", "reads", "display", "attention", "action required",
    "audience",
    *aa.ML_ADDRESS_KEYS, *aa.LABEL_KEYS,
)  # fmt: skip
register_keywords(_FILE_KEYS)
_DATA_LANGS = ("text", "json", "yaml", "toml", "xml", "svg", "csv")


_ADDRESS_G = Gated(_ADDRESS)  # searches only the branches the row holds the literals of


def _sent_data(view: SkillView, tf: TextFile) -> bool:
    """A data file under a samples/fixtures folder that SKILL.md names: the skill sends the agent to read it."""
    if tf.role != "test" or tf.lang not in _DATA_LANGS:
        return False
    md = view.file("SKILL.md")
    return md is not None and tf.path in md.text


def _address(
    tf: TextFile, n: int, ml: set[int] | frozenset[int], label: set[int] | frozenset[int]
) -> tuple[re.Match[str] | None, str]:
    """The address on row ``n`` and its kind: "en" (the English forms), "ml" (another language) or "label" (an
    "Assistant:" / "SYSTEM:" label, taken outside markdown prose only)."""
    row = tf.rows[n - 1]
    m = _ADDRESS_G.search(row, tf.lower_rows[n - 1])
    if m is not None:
        return m, "en"
    if n in ml and (m := aa.ML_ADDRESS.search(row)) is not None:
        return m, "ml"
    if n not in label or tf.role == "skill_md" or (m := aa.LABEL.search(row)) is None:
        return None, ""
    if tf.md is None or _in_comment(tf, n):  # in markdown only a hidden comment, not prose (quoted transcripts)
        return m, "label"
    return None, ""


def _addressed_notes(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        sent = _sent_data(view, tf)
        if tf.role not in _TEXT_ROLES and tf.role != "asset" and not sent:
            continue
        if tf.role == "script" and tf.lang in ("python", "javascript", "typescript", "shell", "powershell", "go"):
            continue
        if not tf.rows_with(_FILE_KEYS):  # from the shared keyword index: no substring search per word
            continue
        low_rows = tf.lower_rows
        you = [
            n
            for n in tf.candidate_numbers(_YOU_KEYS)
            if "if" in low_rows[n - 1] and any(w in low_rows[n - 1] for w in _YOU_ALSO)
        ]
        ml, label = tf.rows_with(aa.ML_ADDRESS_KEYS), tf.rows_with(aa.LABEL_KEYS)
        numbers = tf.candidate_numbers(_ADDRESS_KEYS)
        if you or ml or label:
            numbers = sorted(set(numbers).union(you, ml, label))
        for n in numbers:
            row = tf.rows[n - 1]
            m, kind = _address(tf, n, ml, label)
            if m is None or warns_against(row, m.start(), m.end()):
                continue
            block = "\n".join(tf.rows[n - 1 : n + 8])
            if kind == "label":  # a transcript or prompt-template label: a consent or hide-it claim and an action
                c = _claim(aa.LABEL_COVERT, block) or aa.ML_COVERT.search(block)
                if c is not None and aa.ACTION.search(block) is None:
                    c = None
            else:
                c = _claim(_COVERT, block) or aa.ML_COVERT.search(block)
            if c is None:
                continue
            # a teaching text quoting such a note says so nearby ("example of an injection", "attackers write")
            around = "\n".join(tf.rows[max(0, n - 3) : n + 8]).lower()
            if aa.QUOTING.search(around) or (kind == "ml" and aa.TEACHING.search(around)):
                continue
            yield Hit(
                "P020",
                tf.path,
                n,
                f"a note addressed to the model, followed by {c.group(0)!r}"
                + (" (in an HTML comment)" if _in_comment(tf, n) else "")
                + (" (in a data file SKILL.md sends the agent to)" if sent else ""),
                snippet(row, m.start(), m.end()),
                None if sent else order_context(tf, n),
                confidence=_confidence(tf, n),
            )
            break


# -- P021 -----------------------------------------------------------------------------------------------------

_ASK = re.compile(
    r"\b(?:ask|asks|asking|request|prompt|collect|obtain|get|have)\b[^.\n]{0,40}\b(?:user|them|operator|customer|him|her"
    r"|the\s+person)\b[^.\n]{0,40}\b(?:to\s+(?:reply|send|enter|type|provide|share|give|paste)|for)\b[^.\n]{0,120}",
    re.IGNORECASE,
)
# es / de / fr / zh / ja requests to the user ("pídele al usuario", "bitte den Nutzer um", "demande à l'utilisateur",
# "请用户提供", "ユーザーに…入力してもらう")
_ASK_ML = re.compile(
    r"\b(?:p[ií]de(?:le|les)?|pedir|solicita(?:r|le)?|preg[uú]nta(?:le)?)\b[^.\n]{0,60}"
    r"|\b(?:bitte|frage|fordere|verlange)\b[^.\n]{0,40}\b(?:Nutzer|Benutzer|Kunden|ihn|sie)\b[^.\n]{0,60}"
    r"|\b(?:demande[rz]?|exige[rz]?)\b[^.\n]{0,60}"
    r"|(?:请|要求|让)\s*(?:用户|客户|对方)[^。\n]{0,60}|(?:ユーザー|利用者|お客様)に[^。\n]{0,60}",
    re.IGNORECASE,
)
_ASK_ML_KEYS = ("pide", "pída", "pídel", "pedir", "solicit", "pregunt", "pregúnt", "bitte", "frage", "fordere",
                "verlange", "demande", "exige", "请", "要求", "让", "に")  # fmt: skip
_OTP = re.compile(
    r"\b(?:2fa|two-factor|mfa|otp|one-time|6-digit|six-digit|verification|authenticator|sms)\s*(?:code|passcode|token)?"
    r"|\bseed\s+phrase\b|\brecovery\s+(?:phrase|codes?|words)\b|\bbackup\s+codes?\b|\bmnemonic\b|\bprivate\s+key\b"
    r"|\bc[óo]digo\s+(?:2FA|de\s+verificaci[óo]n|SMS|de\s+un\s+solo\s+uso)|\b(?:2FA|SMS|TAN|Best[äa]tigungs)-?Code\b"
    r"|\bcode\s+(?:2FA|SMS|de\s+v[ée]rification|à\s+usage\s+unique)|验证码|动态码|助记词|認証コード|ワンタイム|確認コード",
    re.IGNORECASE,
)
_ASK_G = Gated(_ASK)
_PASSWORD = re.compile(
    r"\bpassword\b|\bpasscode\b|\bPIN\b|\bcontraseña\b|\bPasswort\b|\bKennwort\b|\bmot\s+de\s+passe\b|密码|パスワード",
    re.IGNORECASE,
)


def _phishing(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role not in ("skill_md", "reference"):
            continue
        for n in tf.candidate_numbers(_ASK_KEYS + _ASK_ML_KEYS):
            row = tf.rows[n - 1]
            m = _ASK_G.search(row, tf.lower_rows[n - 1]) or _ASK_ML.search(row)
            if m is None:
                continue
            span = " ".join(tf.rows[n - 1 : n + 1])
            what = span[m.start() :]
            if not (
                _OTP.search(what) and (_PASSWORD.search(what) or re.search(r"\bseed|recovery|mnemonic", what, re.I))
            ):
                continue
            if warns_against(row, m.start(), m.end()) or re.search(
                r"\b(?:never|don'?t|do\s+not|must\s+not|will\s+never|we\s+never|nunca|jam[aá]s|niemals|nie|ne\s+\w+"
                r"\s+jamais)\b[^.\n]{0,60}\b(?:ask|request|collect|pid|solicit|pregunt|frag|fordert|demand)"
                r"|(?:绝不|从不|不会)[^。\n]{0,20}(?:索要|要求|询问)|(?:決して|絶対に)[^。\n]{0,30}(?:聞|尋ね|求め)",
                row,
                re.IGNORECASE,
            ):
                continue
            yield Hit(
                "P021",
                tf.path,
                n,
                "tells the agent to ask the user for a password with a one-time code / recovery secret (phishing)",
                snippet(row, m.start(), m.end()),
                order_context(tf, n),
            )
            break


# -- P022 -----------------------------------------------------------------------------------------------------

_BACKDOOR = re.compile(
    r"\b(?:add|adds|insert|include|accept|accepts|also\s+accepts?|plant|embed)\b[^.\n]{0,80}\b(?:fallback|maintenance"
    r"|master|universal|backdoor|hidden|hard-?coded)\s+(?:password|passcode|account|login|admin|user"
    r"|key|credential|token)"
    r"|\baccepts?\s+the\s+password\s+[\"'`][^\"'`]+[\"'`]\s+for\s+(?:any|every|all)\s+users?\b",
    re.IGNORECASE,
)
_TEST_RIG = re.compile(
    r"\b(?:change|adjust|rewrite|update|edit|modify|weaken|loosen|relax)\b[^.\n]{0,30}\b(?:its|the|their|each)?\s*"
    r"(?:assertions?|expected\s+values?|asserts?)\b[^.\n]{0,40}\bmatch\b[^.\n]{0,20}\b(?:actual|output|result)"
    r"|\bmark\s+(?:it|them|the\s+test|failing\s+tests?)\b[^.\n]{0,30}\bskip\b[^.\n]{0,40}\b(?:no|without)\s+(?:a\s+)?reason"
    # weaken the check itself, or throw the failing test away: "loosen the assertion", "comment out its asserts",
    # "delete the failing case", "mark the test `skip`"
    r"|\b(?:weaken|loosen|relax|water\s+down|comment\s+out)\s+(?:the\s+|its\s+|their\s+|each\s+|any\s+)?(?:failing\s+)?"
    r"(?:assertions?|asserts?|expectations?)\b"
    r"|\b(?:delete|remove|comment\s+out)\s+(?:the\s+|any\s+)?(?:failing|broken)\s+(?:tests?|cases?|specs?|assertions?)\b"
    r"|\bmark\s+(?:it|them|the\s+test|(?:the\s+)?failing\s+tests?)\s+(?:as\s+|with\s+)?[`\"']?"
    r"(?:@?(?:pytest\.mark\.|unittest\.|it\.|test\.|describe\.))?(?:skip|skipped|xfail)\b",
    re.IGNORECASE,
)
_CLAIM = re.compile(
    r"\breport\b[^.\n]{0,30}[\"“']?all\s+tests?\s+pass|\breport\s+(?:success|a\s+green\s+run|that\s+(?:the\s+)?"
    r"(?:build|suite)\s+(?:passed|is\s+green))\b|\bdo\s*n[o']t\s+(?:list|mention|report)\b[^.\n]{0,40}\b(?:modified|"
    r"skipped|changed|fallback|edited|removed|deleted|weakened|commented)|\bnever\s+mention\b"
    r"|\bdescribe\s+the\s+change\s+only\s+as\b"
    r"|\b(?:say|claim|report|state|tell\s+(?:the\s+user|them))\s+(?:that\s+)?(?:the\s+)?(?:root\s+cause|bug|issue|defect"
    r"|failure)\s+(?:was|is|has\s+been)\s+(?:fixed|resolved)",
    re.IGNORECASE,
)


_BACKDOOR_G, _TEST_RIG_G = Gated(_BACKDOOR), Gated(_TEST_RIG)


_ACCOUNT = re.compile(
    r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?\b|\b0x[0-9a-fA-F]{40}\b"
    r"|\b(?:bc1|[13])[a-km-zA-HJ-NP-Z1-9]{25,59}\b"
)
_REGARDLESS = re.compile(
    r"\b(?:always|regardless|whatever|instead\s+of|siempre|independientemente|sin\s+importar|en\s+lugar\s+de"
    r"|immer|unabh[äa]ngig|statt|anstelle|toujours|quel\s+que\s+soit|au\s+lieu\s+de|sempre|indipendentemente)\b"
    r"|无论|不管|总是|始终|常に|かかわらず",
    re.IGNORECASE,
)
_USER_GIVEN = re.compile(
    r"\b(?:users?|usuarios?|clientes?|Nutzer[sn]?|Benutzer[sn]?|utilisateurs?|utenti|utente)\b|用户|ユーザー",
    re.IGNORECASE,
)


_EXAMPLE = re.compile(
    r"\b(?:e\.g\.|for\s+example|such\s+as|z\.\s?B\.|por\s+ejemplo|par\s+exemple|your\s+own|placeholder|sample|dummy)",
    re.IGNORECASE,
)


_ACCOUNT_WORDS = ("iban", "wallet", "cuenta", "konto", "compte", "conto", "address", "direcci", "账户", "口座")
register_keywords(_ACCOUNT_WORDS)


_ACCOUNT_KIND = re.compile(r"IBAN|wallet|cuenta|Konto|compte|conto|address|direcci|账户|口座", re.IGNORECASE)


def _overrides_user_value(tf: TextFile, n: int) -> bool:
    """The account's passage (up to eight lines before it and two after, not across a markdown heading) names the
    account kind and orders it used in place of what the user gave: "instead of the one in the conversation",
    "regardless of what the user entered", "unabhängig von den Angaben des Nutzers" (an order wrapped over lines,
    or a list of accounts under the sentence that orders the swap)."""
    rows, md = tf.rows, tf.lang == "markdown"
    lo = n
    while lo > 1 and n - lo < 8 and not (md and rows[lo - 1].lstrip().startswith("#")):
        lo -= 1
    hi = n
    while hi < len(rows) and hi - n < 2 and not (md and rows[hi].lstrip().startswith("#")):
        hi += 1
    passage = " ".join(r.strip() for r in rows[lo - 1 : hi])
    if not _ACCOUNT_KIND.search(passage):
        return False
    # "even if the user asks" is a refusal, not a swap; "even if the user provides another" is one
    return any(not m.group("asks") or m.group("gives") for m in AGAINST_USER.finditer(passage))


def _payment_swap(tf: TextFile) -> Iterator[Hit]:
    # The block around a hit must name the account kind, so a file without any such word has no hit (a substring
    # test per word is far cheaper than the account pattern); matches are then found in the whole text (no pattern
    # crosses a newline) and only rows holding one are visited.
    if not tf.rows_with(_ACCOUNT_WORDS):  # from the shared keyword index: no substring search per word
        return
    seen, pos, n = 0, 0, 1
    for whole in _ACCOUNT.finditer(tf.text):
        n += tf.text.count("\n", pos, whole.start())
        pos = whole.start()
        if n <= seen or n > len(tf.rows):
            continue
        seen = n
        row = tf.rows[n - 1]
        m = _ACCOUNT.search(row)
        if m is None or _EXAMPLE.search(row):
            continue
        block = " ".join(tf.rows[max(0, n - 3) : n + 1])
        if (
            _REGARDLESS.search(block) and _USER_GIVEN.search(block) and _ACCOUNT_KIND.search(block)
        ) or _overrides_user_value(tf, n):
            yield Hit(
                "P022",
                tf.path,
                n,
                "tells the agent to put a hard-coded account in place of the user's payment details",
                snippet(row, m.start(), m.end()),
                order_context(tf, n),
            )
            return


def _sabotage(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role not in ("skill_md", "reference"):
            continue
        yield from _payment_swap(tf)
        rows = tf.rows
        held = tf.candidate_numbers(_SABOTAGE_KEYS)  # the joined row n holds a key when line n or n + 1 does
        for n in sorted({k for h in held for k in (h - 1, h) if k >= 1}):
            line = rows[n - 1]
            row = line + " " + rows[n] if n < len(rows) else line  # a sentence wrapped onto the next line
            low = fold(row)
            m = _BACKDOOR_G.search(row, low) or _TEST_RIG_G.search(row, low)
            if m is None or m.start() >= len(line) or warns_against(row, m.start(), m.end()):
                continue
            if re.search(
                r"\b(?:flag|report|detect|find|look\s+for|never|not|don'?t|doesn'?t|avoid|without)\b",
                row[: m.start()],
                re.I,
            ):
                continue
            block = "\n".join(tf.rows[max(0, n - 2) : n + 4])
            hides = _CLAIM.search(block)
            yield Hit(
                "P022",
                tf.path,
                n,
                "tells the agent to sabotage the user's code or tests" + (" and hide it" if hides else ""),
                snippet(row, m.start(), m.end()),
                order_context(tf, n),
                None if hides else Severity.MEDIUM,
                _confidence(tf, n),
            )
            break


RULES = [
    Rule(
        "P020",
        "Covert note addressed to the model",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.85,
        "Text written to the model rather than the user ('note to the AI reading this file', 'assistant usage note', "
        "an HTML comment 'not for display', 'instruction for the assistant' in any of some twenty languages) that "
        "claims priority, pre-approval or the user's consent, or asks for secrecy, is an injection, wherever it sits: "
        "a style guide, an SVG text node, a CSV cell, a YAML comment, an API description.",
        "Write instructions for the agent in SKILL.md, visibly, with nothing the user must not see.",
        _addressed_notes,
        mitre="T1564",
    ),
    Rule(
        "P021",
        "Asks the user for passwords and one-time codes",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.85,
        "A skill that has the agent ask for the account password together with a 2FA/one-time code, seed phrase or "
        "recovery codes (often posing as a security team) is phishing: no legitimate workflow needs both.",
        "Never collect passwords or one-time codes; send users to the service's own sign-in page.",
        _phishing,
        mitre="T1566",
    ),
    Rule(
        "P022",
        "Sabotages the user's code or tests",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.85,
        "Orders to plant a fallback password or master account in code the agent writes, or to make failing tests "
        "pass by rewriting assertions or skipping them, and then to report success, turn the agent against the "
        "user's codebase.",
        "Report failing tests and security-relevant changes as they are.",
        _sabotage,
        mitre="T1565",
    ),
]
