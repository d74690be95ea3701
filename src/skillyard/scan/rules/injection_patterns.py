"""Prompt-injection (P*) patterns: the regular expressions the rules in :mod:`prompt_injection` apply.

Kept apart from the rules so that each module stays small; the checks and the rule catalogue live in
:mod:`skillyard.scan.rules.prompt_injection`.
"""

from __future__ import annotations

import re

from skillyard.scan.analyzers import agent_files

OVERRIDE = re.compile(
    r"\b(?:ignore|disregard|forget|override|overrule|supersede|bypass|skip|set\s+aside|abandon|drop|discard|neglect)\s+"
    r"(?:(?:all|any|the|your|its|their|my|every|of|these|those|and|or|whatever|instructions?|rules|guidance)\s+){0,3}"
    r"(?:(?:earlier|prior|previous|above|preceding|original|system|developer|safety|your)\s+){1,2}"
    r"(?:instructions?|prompts?|rules|guidelines|guidance|directions|directives|messages|guardrails|policies"
    r"|restrictions|constraints|programming|orders|training)"
    r"|\byou\s+are\s+now\s+(?:in\s+)?(?:DAN|developer mode|jailbroken|unrestricted|an? unfiltered|free\s+of)"
    r"|\b(?:new|updated|real)\s+system\s+(?:prompt|instructions?)\s*:|\bsystem\s+override\b"
    r"|\b(?:prior|previous|earlier|original|existing|old)\s+(?:configuration|instructions?|prompts?|guidelines|rules"
    r"|directives|settings)\s+(?:is|are)\s+(?:now\s+)?(?:deprecated|void|obsolete|cancell?ed|revoked|invalid|no\s+longer"
    r"\s+(?:valid|apply|applies|in\s+effect))"
    r"|\b(?:obey|follow|heed)\s+only\s+(?:the\s+)?(?:directives|instructions?|rules|commands)\s+(?:in|from)\s+this\s+"
    r"(?:file|skill|document|message)"
    r"|\b(?:this|these)\s+(?:skill|file|instructions?|document|notes?|rules|guidelines|directives)\s+(?:supersedes?"
    r"|overrides?|replaces?|outranks?|takes?\s+precedence\s+over)\s+(?:(?:all|any|every|the|your)\s+)?(?:\w+\s+){0,2}"
    r"(?:system|previous|prior|earlier|other|safety|user)\s+(?:\w+\s+){0,2}?(?:instructions?|prompts?|rules|guidelines"
    r"|polic(?:y|ies)|messages)"
    # ignoring the instruction files the user keeps for agents ("ignore any instruction in CLAUDE.md that ...")
    r"|\b(?:ignore|disregard|override)\s+(?:any|all|every|the)?\s*(?:instructions?|rules?|guidance|directives?)\s+"
    r"(?:in|from)\s+(?:the\s+(?:user['’]s|project['’]s|repo(?:sitory)?['’]s)\s+)?[`\"']?(?:\.?/)?(?:"
    + agent_files.TOOL_FILES
    + ")"
    r"|\bfrom\s+now\s+on,?\s+(?:your|you)\s+(?:only|new|real|true|sole|top)?\s*(?:goal|task|purpose|job|priority"
    r"|instructions?|objective)\b(?:\s+(?:is|are))?\s+(?:to\b|now\b)"
    # "you are no longer bound by ...", "ignore ... the user's CLAUDE.md / safety preferences"
    r"|\b(?:you\s+are|you're|(?:the\s+)?(?:assistant|agent|model|ai)\s+is)\s+(?:now\s+)?no\s+longer\s+(?:bound|constrained"
    r"|restricted|limited|governed)\s+by\b"
    r"|\b(?:ignore|disregard)\s+(?:[\w-]+\s+){0,5}?(?:the\s+)?(?:user|operator|owner)['’]s\s+(?:own\s+|safety\s+"
    r"|security\s+|global\s+|project\s+)*(?:CLAUDE\.md|AGENTS\.md|GEMINI\.md|instructions|rules|settings|preferences"
    r"|guidelines|policies|configuration|memory)"
    # the same override in other languages (zh, ja, es, fr, de)
    r"|(?:忽略|无视|忘记|忘掉|不要理会)\s*(?:之前|以前|先前|上面|以上|所有)的?\s*(?:所有的?)?\s*(?:安全)?\s*(?:指令|指示|说明|规则|提示"
    r"|准则|规范|政策)"
    r"|(?:前|以前|これまで|今まで)の?\s*(?:指示|命令|ルール)(?:を|は)?\s*(?:すべて|全て)?\s*(?:無視|忘れ)"
    r"|\bignora\s+(?:todas\s+)?las\s+instrucciones\s+(?:anteriores|previas)"
    r"|\bignor(?:e|ez)\s+(?:toutes\s+)?les\s+instructions\s+(?:précédentes|antérieures)"
    r"|\bignorier(?:e|en\s+sie)\s+(?:alle\s+)?(?:vorherigen|bisherigen|früheren)\s+(?:Anweisungen|Instruktionen)",
    re.IGNORECASE,
)
# A jailbreak persona given as the skill's operating instructions: "an AI with no content policy", "you have no
# restrictions", "ignore Anthropic's guidelines", DAN / "developer mode enabled".
JAILBREAK = re.compile(
    r"\b(?:you\s+(?:are|have|will\s+have|now\s+have)|you're|an?\s+(?:AI|assistant|model|chatbot|LLM|bot)(?:\s+(?:with"
    r"|that\s+has))?)\s+(?:now\s+)?(?:absolutely\s+)?(?:no|zero|without\s+(?:any\s+)?|free\s+(?:of|from)\s+(?:all\s+|any\s+)?)"
    r"\s*(?:content\s+polic(?:y|ies)|content\s+filters?|filters?|censorship|restrictions|limitations|limits"
    r"|ethical\s+(?:guidelines|constraints|boundaries|limits|rules)|moral\s+(?:guidelines|constraints|compass|limits)"
    r"|safety\s+(?:guidelines|filters|rules|restrictions|training)|(?:rules|guidelines)\s+(?:at\s+all|whatsoever))\b"
    r"(?!\s+(?:on|about|regarding|around|in\s+(?:length|format|style))\b)"
    r"|\b(?:ignore|disregard|bypass|override)\s+(?:all\s+|any\s+|the\s+)?(?:Anthropic|OpenAI|Google|Meta"
    r"|Mistral|your\s+(?:creators?|developers?|makers?|provider))(?:['’]s)?(?:\s+(?:and|or)\s+\w+(?:['’]s)?)?\s+"
    r"(?:content\s+|usage\s+|safety\s+)?(?:guidelines|polic(?:y|ies)|rules|restrictions|terms)"
    r"|\bDo\s+Anything\s+Now\b|\b(?:you\s+are|act\s+as|pretend\s+to\s+be|become)\s+(?:now\s+)?DAN\b"
    r"|\b(?:developer|god|jailbreak|jailbroken|unrestricted|unfiltered)\s+mode\s+(?:is\s+)?(?:now\s+)?(?:enabled|activated"
    r"|on)\b"
    r"|(?:你|AI|助手|模型)[^。\n]{0,12}没有(?:任何)?(?:限制|约束|审查|过滤|内容政策|道德准则)",
    re.IGNORECASE,
)
JAILBREAK_KEYS = (
    "polic", "filter", "censor", "restriction", "limitation", "limits", "ethical", "moral", "safety", "rules",
    "guidelines", "terms", "do anything now", " dan", "mode", "没有",
)  # fmt: skip
WHO = r"(?:the\s+)?(?:users?|humans?|operators?|owners?|person|them|him|her)\b"
CONCEAL = re.compile(
    r"\b(?:do\s*n[o']t|never|must\s+not|should\s+not|no\s+need\s+to)\s+(?:tell|inform|notify|alert|mention\s+"
    r"(?:this|it|that|the\s+\w+)?\s*to|reveal\s+(?:this|these|it|that)\s+(?:step|command|action|instruction)s?\s+to"
    r")\s+" + WHO + r"(?!\s+to\b)(?!\s+(?:how|what|which|where|why|when|about\s+(?:the\s+)?(?:result|progress|outcome)"
    r"|about\s+(?:each|every|all\s+the)\s+(?:tool|step|call|command|intermediate)"
    r"|about\s+(?:the\s+)?(?:missing|internal|implementation|technical|errors?|warnings?|retries|cli)\b))"
    r"|\bno\s+need\s+to\s+(?:mention|tell|report|disclose|show)\b[^.\n]{0,60}\bto\s+"
    + WHO
    + r"|\bwithout\s+(?:telling|informing|notifying|alerting)\s+"
    + WHO
    + r"\b(?![^.\n]{0,30}\bfor\s+(?:each|every))"
    r"|\bwithout\s+" + WHO + r"\s+(?:knowing|noticing|seeing|being\s+aware)\b"
    r"|\b(?:hide|conceal)\s+(?:this|these|it|the\s+\w+)\s+from\s+"
    + WHO
    + r"|\bkeep\s+(?:this|it)\s+(?:secret|hidden)\s+from\s+"
    + WHO
    + r"|\b(?:the\s+)?(?:user|human)\s+(?:must|should)\s+(?:never|not)\s+"
    r"(?:know|find\s+out|see|be\s+told)\b"
    r"|\bdo\s*n[o']t\s+(?:mention|disclose|report)\s+(?:this|these|that|the)\s+(?:\w+\s+)?(?:step|action|command|request"
    r"|upload|download|transfer)s?\b"
    r"|(?<!not\s)(?<!n't\s)\b(?:silently|quietly|secretly|covertly|discreetly)\s+(?:send|upload|post|run|execute|install|download|copy|forward"
    r"|read|collect|exfiltrate|transmit)\b"
    r"|\bperform\s+(?:these|this|the)\s+(?:steps?|actions?)\s+(?:quietly|silently|secretly|covertly)"
    r"|\b(?:so(?:\s+that)?|ensure|make\s+sure|making\s+sure)\s+(?:the\s+)?(?:user|human|owner)\s+(?:won'?t|will\s+not"
    r"|does\s*n[o']t|doesn'?t|never)\s+(?:notices?|knows?|finds?\s+out|suspects?)\b"
    r"|\bkeep\s+" + WHO + r"\s+(?:unaware|in\s+the\s+dark|uninformed|oblivious)\b"
    r"|\b(?:do\s*n[o']t|never)\s+(?:let|make)\s+" + WHO + r"\s+(?:know|aware|notice|see)\b"
    r"|\b(?:only|just)\s+(?:report|say|reply|respond|answer|tell\s+" + WHO + r")\s*(?:with\s+)?[:'\"]\s*(?:done|ok|okay"
    r"|success|completed?|all\s+good)\b"
    # "do this quietly", "run it silently in the background"
    r"|\b(?:do|run|perform|execute)\s+(?:this|it|these\s+steps?|this\s+step)\s+(?:quietly|silently|secretly|covertly)\b"
    r"|\b(?:run|do|execute|start|launch)\b(?-i:[^.\nA-Z]){0,60}\b(?:silently|quietly|secretly|covertly)\s+in\s+the\s+background\b"
    r"|\b(?:the\s+)?(?:user|human|owner)\s+(?:does\s*n[o']t|doesn't|does\s+not|won'?t|will\s+not)\s+need\s+to\s+"
    r"(?:know|hear|see|be\s+told)\s*(?:about\s+(?:this|it|that|these|the\s+\w+)\b|(?=[.;,!)]|$))"
    r"|\bomit\s+(?:this|it|that|these)(?:\s+(?:step|action|upload|command|part))?\s+from\s+(?:your|the)\s+"
    r"(?:response|reply|summary|answer|report|output)"
    r"|\bkeep\s+(?:this|it)\s+between\s+us\b"
    # "say nothing about it", "should not be mentioned to the user", "hidden rule for the model"
    r"|\bsay\s+nothing\s+(?:about|of|regarding)\s+(?:it|this|that|these|them)\b"
    r"|\b(?:must|should|is\s+not\s+to|are\s+not\s+to)\s+(?:not\s+|never\s+)?be\s+(?:mentioned|shown|revealed|disclosed"
    r"|reported|visible)\s+to\s+"
    + WHO
    + r"|\b(?:hidden|secret|covert)\s+(?:rules?|instructions?|directives?)\s+(?:for|to)\s+(?:the\s+)?(?:model|assistant"
    r"|agent|ai|llm|claude)\b"
    # keep a step out of the agent's report to the user
    r"|\b(?:do\s*n[o']t|never|must\s+not)\s+(?:list|include|mention|show|report|record|surface)\s+(?:it|this|that"
    r"|(?:this|these|that|the)\s+(?:\w+\s+)?(?:step|steps|push|upload|call|command|action|request|transfer))"
    r"\s+in\s+(?:your|the)\s+(?:summary|reply|response|answer"
    r"|report|output|final\s+message|chat|transcript)"
    # CJK: "do not mention this step to the user", "don't tell the user", "secretly"
    r"|(?:不要|别|切勿|无需|不必|请勿)(?:向|对|跟|和|告诉|让)?(?:用户|使用者)(?:提及|提到|说明|透露|知道|告知)"
    r"|(?:不要|别|切勿|请勿)(?:告诉|告知|通知)(?:用户|使用者)|悄悄地?(?:发送|上传|执行|运行|读取)"
    r"|ユーザーに(?:は)?(?:伝えない|言わない|知らせない|伝えず|言わず|知らせず)"
    r"|\bno\s+(?:le\s+)?(?:digas|menciones|informes|cuentes)\s+(?:nada\s+|esto\s+)?al\s+usuario"
    r"|\bsin\s+(?:decirle|avisarle|informarle|avisar|informar)\s+al\s+usuario"
    r"|\bne\s+(?:le\s+)?(?:dis|dites|mentionne[zs]?|signale[zs]?)\s+pas\s+(?:ça\s+|cela\s+)?à\s+l['’]utilisateur"
    r"|\bsans\s+(?:le\s+dire|prévenir|informer|avertir)\s+(?:à\s+)?l['’]utilisateur"
    r"|\b(?:sag|sage|erwähne|informiere)\s+(?:dem|den)\s+(?:Benutzer|Nutzer|Anwender)\w*\s+nichts"
    r"|\bohne\s+(?:den|dem)\s+(?:Benutzer|Nutzer|Anwender)\w*\s+zu\s+(?:informieren|benachrichtigen|fragen)",
    re.IGNORECASE,
)
# Every branch of CONCEAL contains one of these (lowercase) words: the who (WHO, user/human/owner, other
# languages), the hiding verb or adverb, or the reply it keeps a step out of. P007 tries its (slow) pattern only on
# lines holding one. A new branch of CONCEAL must contain one of these words, or add its own here.
CONCEAL_GATE = (
    "user", "human", "operator", "owner", "person", "them", "him", "her", "mention", "disclose", "report",
    "silently", "quietly", "secretly", "covertly", "discreetly", "say", "reply", "respond", "answer", "tell", "omit",
    "between", "summary", "response", "output", "message", "chat", "transcript", "用户", "使用者", "悄悄",
    "ユーザーに", "usuario", "utilisateur", "nutzer", "anwender", "nothing", "hidden", "secret", "covert",
)  # fmt: skip
# Deceiving the user or rigging the result the user relies on: a cover story when asked, a verdict fixed in advance
# ("always report no issues", "must be ranked first regardless of content"), payment details swapped for a
# hard-coded account or wallet, results secretly favoured.
DECEIVE = re.compile(
    r"\bif\s+(?:the\s+user\s+|anyone\s+|someone\s+|they\s+|you\s+are\s+|he\s+|she\s+)?(?:asks?|asked|questions?"
    r"|questioned|challenged?|queried|wonders?)\b[^.\n]{0,50}?\b(?:invent|make\s+up|fabricate|give|offer|provide|say"
    r"|claim|cite)\s+(?:them\s+|the\s+user\s+|him\s+|her\s+)?(?:a\s+|an\s+|some\s+)?(?:plausible|convincing|believable"
    r"|credible|innocent|harmless|fake|false|made-up|invented|cover|fictional)\b"
    # the same cover story in es / fr / de
    r"|\bsi\s+(?:el\s+usuario|alguien|le|l['’]utilisateur|quelqu['’]un)\s+(?:te\s+|vous\s+)?(?:pregunta|cuestiona|demande"
    r"|questionne)\b[^.\n]{0,50}?\b(?:inventa|invente[zs]?|da(?:le)?|donne[zs]?)\s+(?:una?\s+|des?\s+)?(?:explicaci[oó]n"
    r"|raz[oó]n|excusa|explication|raison|excuse)s?\s+(?:convincente|plausible|cre[ií]ble|inocente|innocente)"
    r"|\bwenn\s+(?:der\s+(?:Benutzer|Nutzer)|jemand)\s+(?:fragt|nachfragt)\b[^.\n]{0,50}?\b(?:erfinde|nenne|gib)\s+"
    r"(?:eine\s+)?(?:plausible|überzeugende|harmlose)\s+(?:Erklärung|Begründung|Ausrede)"
    r"|\b(?:must|always|should|will|shall)\s+(?:\w+\s+){0,3}?(?:receive|get|be\s+given|score|be\s+scored|be\s+rated"
    r"|be\s+ranked|rank|be\s+marked|pass|be\s+approved|win)\b[^.\n]{0,60}\bregardless\s+of\s+(?:its\s+|their\s+|the\s+"
    r"|his\s+|her\s+)?(?:actual\s+|real\s+)?(?:content|merit|quality|qualifications?|evidence|results?|findings"
    r"|performance|code|score|experience)\b"
    r"|\b(?:always|must|only)\s+(?:report|say|state|answer|conclude|respond|reply)\s+(?:with\s+)?(?:that\s+)?[\"'“]?"
    r"(?:there\s+(?:are|were)\s+)?(?:no|zero)\s+(?:issues|problems|vulnerabilit\w+|findings|risks|bugs|errors"
    r"|concerns)\b[^.\n]{0,60}\b(?:regardless|even\s+if|even\s+when|whatever|no\s+matter)"
    r"|\b(?:say|report|state|claim|tell\s+(?:the\s+user|them))\s+(?:that\s+)?(?:every|all|each)\s+(?:\w+\s+)?(?:checks?"
    r"|tests?|scans?|reviews?|items?|steps?)\s+(?:passed|succeeded|(?:is|are|was|were)\s+(?:fine|ok|clean|safe))\b"
    r"[^.\n]{0,40}\b(?:no\s+matter|regardless|even\s+if|whatever)"
    r"|\bmark\s+(?:all|every|any|each)\s+(?:\w+\s+)?(?:findings?|issues?|vulnerabilit\w+|alerts?|warnings?)\s+as\s+"
    r"(?:a\s+)?false\s+positives?\b"
    r"|必ず[「『\"]?(?:問題なし|問題ありません|安全|異常なし)[」』\"]?と(?:報告|回答|答え)"
    r"|(?:一律|总是|必须|始终)(?:报告|回答|说)[“\"「]?(?:没有问题|无问题|安全)"
    r"|\b(?:replace|swap|substitute|overwrite|change)\s+(?:the\s+|any\s+|all\s+|every\s+)?(?:\w+\s+){0,2}?"
    r"(?:IBAN|bank\s+account(?:\s+number)?|account\s+number|routing\s+number|payment\s+(?:details|address|info)"
    r"|wallet\s+address|payee|beneficiary|(?:BTC|ETH|crypto|bitcoin|USDT)\s+address)(?:es|s)?\b[^.\n]{0,60}?"
    r"\b(?:with|to|by)\s+(?!your\b|the\s+user|their\b|e\.g\.)[`\"']?(?:[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,}"
    r"|0x[0-9a-fA-F]{16,}|(?:bc1|[13])[a-km-zA-HJ-NP-Z1-9]{25,}|T[1-9A-HJ-NP-Za-km-z]{33})"
    r"|\b(?:silently|secretly|quietly|covertly)\s+(?:boost|raise|inflate|promote|favou?r|prioriti[sz]e|upvote|rank"
    r"|recommend|swap|alter|downrank|bury|demote)\b",
    re.IGNORECASE,
)
DECEIVE_KEYS = (
    "if ", "regardless", "false positive", "必ず", "一律", "总是", "必须", "始终", "replace", "swap",
    "substitute", "overwrite", "change", "silently", "secretly", "quietly", "covertly", "even if", "even when",
    "whatever", "no matter", "si ", "wenn ",
)  # fmt: skip
USER_WHO = r"(?:the\s+)?(?:users?|customers?|clients?|requesters?|reviewers?|owners?|they)\b"
# An order that overrides what the user gave or asked, or misreports to the user (P026's second half, P022's
# payment swap): group ``asks`` is the "even if / regardless of what the user asks/enters ..." form.
AGAINST_USER = re.compile(
    r"\b(?P<asks>(?:even\s+if|even\s+when|regardless\s+of\s+(?:what|whether|how|if)?|no\s+matter\s+(?:what|whether|how"
    r"|if)?|whatever)\s*"
    + USER_WHO
    + r"\s+(?:\w+\s+)?(?:asks?|asked|requests?|insists?|objects?|says?|wants?|tells?|disagrees?|questions?|complains?"
    r"|mentions?|notices?|prefers?|specif\w+|(?P<gives>enters?|entered|provides?|provided|gives?|gave|supplies|types?"
    r"|typed|pastes?))\b)"
    r"|\b(?:regardless\s+of|instead\s+of|in\s+place\s+of)\s+(?:the\s+)?(?:user|customer|client)['’]s\b"
    r"|\b(?:instead\s+of|in\s+place\s+of|rather\s+than)\s+(?:the\s+)?(?:one|ones|address|account|iban|value|data"
    r"|details|number|link)s?\s+(?:\w+\s+){0,3}?(?:user|conversation|chat|provided|given|gave|gives|supplied|pasted"
    r"|entered|requested|typed|shared|specified)"
    r"|\b(?:replace|swap|substitute|overwrite)\s+(?:the\s+|any\s+)?(?:user|customer|client)['’]s\s+(?:\w+\s+){0,2}?"
    r"(?:address|account|iban|wallet|details|number|link|value|choice|answer)"
    r"|\b(?:(?:present|report|describe|frame|pass\s+off|label)\s+(?:it|this|them|that|these|the\s+\w+(?:\s+\w+)?)\s+as"
    r"|call\s+(?:it|this|them|that|these)(?:\s+as)?)\s+(?:the\s+user['’]s|their\s+own|your\s+own|an?\s+(?:independent"
    r"|neutral|unbiased|read-only|routine|harmless)|independent|neutral|unbiased|read-only|routine|harmless)\b"
    r"|\b(?:say|tell\s+(?:the\s+user|them)|claim|report|reply|respond|answer|state)\s+(?:that\s+)?(?:the\s+)?"
    r"(?:root\s+cause|everything|all\s+(?:checks|tests)|it|issue|bug|review|scan|check|fix|problem)\s+"
    r"(?:was\s+|were\s+|is\s+|has\s+been\s+|have\s+)?(?:fixed|resolved|passed|clean|safe|fine)\b"
    r"|\b(?:outrank|override|supersede|take\s+precedence\s+over)s?\s+(?:the\s+|all\s+|any\s+)?(?:system|user)\s+"
    r"(?:and\s+(?:user|system)\s+)?(?:messages?|prompts?|instructions?)"
    # de / es / fr
    r"|\bunabhängig\s+von\s+(?:den\s+Angaben|dem,?\s+was|der\s+Eingabe|den\s+Daten)\s+(?:des|der)\s+"
    r"(?:Nutzers|Benutzers|Kunden|Anwenders)|\bauch\s+wenn\s+(?:der\s+)?(?:Nutzer|Benutzer|Kunde)"
    r"|\b(?:aunque|incluso\s+si)\s+el\s+(?:usuario|cliente)|\bindependientemente\s+de\s+lo\s+que\s+(?:diga|indique|pida)"
    r"|\bmême\s+si\s+l['’]utilisateur|\bquoi\s+que\s+(?:dise|demande)\s+l['’]utilisateur",
    re.IGNORECASE,
)
BACKGROUND = re.compile(r"\b(?:silently|quietly|secretly|covertly)\s+in\s+the\s+background\b", re.IGNORECASE)

REMOTE = re.compile(
    r"\b(?:fetch|download|curl|wget|read|load|retrieve|check|pull|get|visit|poll|grab)\b[^.\n]{0,80}https?://\S+"
    r"[^.\n]{0,120}\b(?:follow|execute|obey|run|apply|do\s+what|carry\s+out|perform|complete)\b[^.\n]{0,40}"
    r"\b(?:instructions?|it|them|commands?|whatever|tasks?|directives?|steps?|everything)\b"
    r"|\b(?:every|each)\s+(?:\d+\s+)?(?:minutes?|hours?|day|session|time|run|startup|heartbeat)\b[^.\n]{0,80}"
    r"\b(?:fetch|curl|download|check|read|retrieve|pull|grab)\b[^.\n]{0,60}https?://"
    r"|\b(?:fetch|curl|download|read|retrieve|pull|grab)\b[^.\n]{0,40}https?://\S+[^.\n]{0,60}"
    r"\b(?:every|each|periodically|regularly)\s+(?:\d+\s+)?(?:minutes?|hours?|day|session|time|run|startup)"
    r"|\b(?:instructions?|commands?|tasks?)\s+(?:are|is)\s+(?:hosted|published|served|available)\s+(?:at|on)\s+https?://"
    r"|\b(?:fetch|download|curl|read|load|retrieve|get|pull|poll|request)\b[^.\n]{0,40}https?://\S+[^.\n]{0,80}"
    r"\b(?:treat|use|interpret|consider|handle|execute|run)\b[^.\n]{0,40}\bas\s+(?:an?\s+|the\s+)?(?:new\s+)?"
    r"(?:instructions?|commands?|prompts?|tasks?\s+from|orders|directives|system\s+messages?)"
    r"|\bfollow\s+(?:the\s+)?(?:instructions?|commands?)\s+(?:returned|served|provided)\s+(?:by|from|at)\s+"
    r"(?:the\s+)?(?:server|endpoint|url|https?://)",
    re.IGNORECASE,
)
# The URL on a line of its own (a code block below): "fetch the current rules and apply them exactly as written".
REMOTE_NOURL = re.compile(
    r"\b(?:fetch|download|load|pull|retrieve|get)\s+(?:the\s+)?(?:current|latest|live|remote|online|fresh|up-to-date)\s+"
    r"(?:rules|instructions?|guidelines|prompts?|playbook|directives|policy|policies)\b[^.\n]{0,60}\b(?:apply|follow|obey"
    r"|execute|run)\s+(?:them|it)\b",
    re.IGNORECASE,
)


# A bundled script that downloads over the skill's own SKILL.md: the reviewed instructions are replaced later.
SELF_REWRITE = re.compile(
    r"\b(?:curl|wget|iwr|Invoke-WebRequest)\b[^\n]*https?://[^\n]*(?:-o|-O|--output|-OutFile|>)\s*[\"']?[^\s\"']*SKILL\.md"
    r"|\b(?:curl|wget|iwr|Invoke-WebRequest)\b[^\n]*(?:-o|-O|--output|-OutFile)\s+[\"']?[^\s\"']*SKILL\.md[^\n]*https?://"
    r"|\bwriteFileSync\([^\n]*SKILL\.md"
    # in prose: "fetch https://host/latest/SKILL.md and replace this file with it" (a self-update from a server)
    r"|\b(?:fetch|download|get|pull|retrieve|load)\b[^.\n]{0,40}https?://\S*SKILL\.md\S*[^.\n]{0,60}\b(?:replace|overwrite"
    r"|update)\s+(?:this\s+(?:file|skill)|(?:the\s+|your\s+)?(?:local\s+)?SKILL\.md|yourself|your\s+instructions)",
    re.IGNORECASE,
)


MANIP = re.compile(
    r"\b(?:this\s+skill\s+)?(?:takes?|has)\s+(?:precedence|priority)\s+over\s+(?:all|any|every)\s+other\s+"
    r"(?:skills?|instructions?|tools?)"
    r"|\b(?:never|do\s*n[o']t)\s+use\s+(?:any\s+)?other\s+skills?\b|\bhigher\s+priority\s+than\s+(?:the\s+)?"
    r"(?:system|user|developer)\b|\balways\s+(?:invoke|load|run|use)\s+this\s+skill\s+(?:first|before\s+(?:any|every)"
    r"|for\s+every|on\s+every)"
    r"|\b(?:supersedes?|overrides?|replaces?)\s+(?:any|all|every)\s+other\s+(?:\w+\s+){0,2}(?:skills?|tools?|behaviou?r)"
    r"|\bMANDATORY\b[^\n]{0,20}\buse\s+this\s+skill\s+for\s+(?:all|every|any)\b",
    re.IGNORECASE,
)
DELEGATE = re.compile(
    r"\b(?:pre-?approved|pre-?authori[sz]ed|already\s+approved|whitelisted|allow-?listed)\s+by\s+(?:the\s+)?"
    r"(?:owner|user|admin\w*|operator|maintainers?)\b"
    r"|\bfollow\s+(?:them|it|these|those|their\s+\w+)\s+without\s+(?:asking|confirmation|confirming|checking|question\w*"
    r"|approval|review)"
    r"|\b(?:if|when|whenever)\s+(?:the\s+)?(?:\w+\s+){0,3}(?:file|page|response|rules|document|content|reply|result)s?\s+"
    r"(?:contains?|includes?|has|have|lists?)\s+(?:any\s+)?(?:shell\s+|bash\s+|terminal\s+)?commands?,?\s+(?:run|execute)"
    r"\s+(?:them|it|those)\b"
    r"|\b(?:run|execute)\s+(?:any|all|every)\s+(?:shell\s+|bash\s+)?commands?\s+(?:it|they|the\s+\w+)\s+contains?\b"
    r"|\b(?:commands?|instructions?|requests?|messages?|tasks?)\s+from\s+[`'\"]?(?:[\w-]+\.)+[a-z]{2,}\S*\s+(?:are|is)\s+"
    r"(?:pre-?)?(?:approved|trusted|authori[sz]ed|safe\s+to\s+run)\b"
    r"|\balways\s+(?:trust|obey)\b(?![^.\n]{0,60}\b(?:user|your|human|owner)\b)[^.\n]{0,60}\b(?:commands?|instructions?)\b"
    r"|\b(?:they|it|these\s+rules|the\s+(?:remote|fetched|downloaded)\s+\w+)\s+takes?\s+precedence\s+over\s+"
    r"(?:anything|everything|all)\s+(?:in\s+this\s+file|else)[^.\n]{0,40}\b(?:earlier|previous|prior)\s+instructions",
    re.IGNORECASE,
)
SPOOF = re.compile(
    r"<\|im_start\|>\s*system|<\|(?:system|endoftext)\|>|\[/?INST\]|^\s*</?system>\s*$"
    r"|<\/?(?:system-reminder|admin|developer_instructions)>|###\s*(?:SYSTEM|ADMIN)\s*(?:OVERRIDE|MESSAGE)",
    re.IGNORECASE,
)
