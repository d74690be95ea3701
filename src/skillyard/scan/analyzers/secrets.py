"""Where secrets live on a developer machine: credential files, browser and wallet stores, keychains."""

from __future__ import annotations

import re

from skillyard.scan.analyzers.gates import Gated
from skillyard.scan.analyzers.view import fold

# Credential files and key material (category "credential").
CREDENTIAL_PATH = re.compile(
    r"(?:~|\$HOME|\$\{HOME\}|%USERPROFILE%|/home/\w+|/Users/\w+|/root|expanduser\(|Path\.home\(\)|homedir\(\)"
    r"|os\.homedir\(\))?[\"'/\\,\s]*"
    r"(?:\.ssh/(?:id_[a-z0-9_]+|authorized_keys|known_hosts|config)?|\.ssh\b|\.aws/(?:credentials|config)|\.aws\b"
    r"|\.config/gcloud\b|application_default_credentials\.json|(?<!\w)\.azure(?:/|(?![\w.-]))|\.kube/config|\.docker/config\.json"
    r"|\.netrc\b|\.npmrc\b|\.pypirc\b|\.git-credentials\b|\.gnupg\b|\.config/gh/hosts\.yml|\.vault-token"
    r"|/etc/shadow\b|\.bash_history\b|\.zsh_history\b|\.password-store\b|credentials\.json\b"
    r"|\.claude/\.credentials\.json|(?<![\w-])\.claude\.json\b|\.gemini/oauth_creds\.json|github-copilot/(?:hosts|apps)\.json"
    r"|\.codex/auth\.json|\.config/openai|\.openclaw/[\w./-]*(?:auth|token|credential)"
    r"|\.claude/projects\b|\.codex/sessions\b|\.cursor/chats\b|\.gemini/tmp\b|\.openclaw/(?:agents|sessions)\b"
    r"|(?<![a-z0-9])id_(?:rsa|ed25519|ecdsa|dsa)(?![a-z0-9])|security\s+find-(?:generic|internet)-password"
    r"|\bgpg2?\s+(?:-[-\w=]+\s+)*--export-secret-(?:keys|subkeys)"
    # a cloud instance's role credentials, from its metadata service (AWS IMDS, GCP, Azure managed identity)
    r"|169\.254\.169\.254/latest/meta-data/iam/security-credentials|computeMetadata/v1/instance/service-accounts"
    r"|169\.254\.169\.254/metadata/identity/oauth2/token"
    # Ruby: the RubyGems push key, a Rails app's master key and its encrypted credentials
    r"|\.gem/credentials\b|config/master\.key\b|credentials\.yml\.enc\b"
    # Home Assistant / ESPHome: the secrets file and the auth store (long-lived tokens, refresh tokens)
    r"|(?:/config|homeassistant|\.homeassistant|esphome)/(?:secrets\.ya?ml|\.storage/auth\w*)\b)",
    re.IGNORECASE,
)
ENV_FILE = re.compile(r"(?<![\w.-])\.env(?:\.local|\.production|\.prod|\.development)?(?![\w.-])")
# Browser credential/cookie stores and crypto wallets: infostealer targets (category "store").
STORE_PATH = re.compile(
    r"[/\\\"']Login Data\b|(?-i:[/\\]Cookies)\b(?![.\w])|Cookies\.binarycookies|[/\\]Local State\b"
    r"|[/\\]Web Data\b|key[34]\.db\b|logins\.json\b|cookies\.sqlite"
    r"|Chrome/User Data|Google/Chrome|BraveSoftware|Microsoft/Edge/User Data|Firefox/Profiles|\.mozilla/firefox"
    r"|Library/Application Support/(?:Google|BraveSoftware|Firefox|Exodus|Electrum|atomic|Ledger Live|com\.liberty"
    r"|Coinomi|Guarda|discord|Telegram)|Library/Keychains|login\.keychain|keychain-db"
    r"|dump-keychain|wallet\.dat|\bexodus\b[\w/ ]*(?:wallet|seed)|Electrum/wallets|\.electrum\b"
    r"|nkbihfbeogaeaoehlefnkodbefgpgknn|bfnaelmomeimhlpmgjnjophhpkkoljpa|ejbalbakoplchlghecdalmeeeajnimhm"
    r"|Telegram Desktop/tdata|\btdata\b|discord/Local Storage|leveldb\b(?=.*(?:discord|wallet|metamask))"
    r"|mnemonic(?:s)?\.txt|\.bitcoin/|\.ethereum/keystore|solana/id\.json",
    re.IGNORECASE,
)
# Broad user-data locations: enumerating these is file-system harvesting (category "user_files").
USER_FILES = re.compile(
    r"~/(?:Documents|Desktop|Downloads|Pictures)\b|\$HOME/(?:Documents|Desktop|Downloads)\b"
    r"|Path\.home\(\)\s*/\s*[\"'](?:Documents|Desktop|Downloads)|os\.walk\(\s*(?:os\.path\.expanduser\([\"']~"
    r"[\"']\)|Path\.home\(\)|[\"']/[\"']|[\"']~[\"'])|find\s+(?:~|\$HOME|/)\s+[^|\n]*-name\s+[\"']?\*\.(?:pdf|"
    r"docx?|xlsx?|key|pem|kdbx|txt|wallet)",
    re.IGNORECASE,
)


# each searched only where the case-folded text holds the literals of one of its branches (same answers)
_STORE_G, _CREDENTIAL_G, _ENV_G, _USER_G = map(Gated, (STORE_PATH, CREDENTIAL_PATH, ENV_FILE, USER_FILES))


def secret_kind(text: str) -> str | None:
    """``credential``, ``store``, ``env_file`` or ``user_files`` when ``text`` names a sensitive location."""
    low = fold(text)
    if _STORE_G.search(text, low):
        return "store"
    if _CREDENTIAL_G.search(text, low) and re.search(
        r"\.ssh|\.aws|gcloud|application_default|\.azure|\.kube|\.docker|\.netrc|\.npmrc|\.pypirc|git-credentials"
        r"|\.gnupg|gh/hosts|vault-token|shadow|_history|password-store|credentials\.json|\.credentials|auth\.json"
        r"|openai|openclaw|id_(?:rsa|ed25519|ecdsa|dsa)|find-(?:generic|internet)-password|\.claude\.json|oauth_creds"
        r"|github-copilot"
        r"|claude/projects|codex/sessions|cursor/chats|gemini/tmp|export-secret|security-credentials|service-accounts"
        r"|identity/oauth2|\.gem/credentials|master\.key|credentials\.yml\.enc|secrets\.ya?ml|\.storage/auth",
        text,
        re.IGNORECASE,
    ):
        return "credential"
    if _ENV_G.search(text, low):
        return "env_file"
    if _USER_G.search(text, low):
        return "user_files"
    return None
