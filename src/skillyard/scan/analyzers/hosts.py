"""Knowledge about hosts in URLs: paste sites, exfil endpoints, well-known installers."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from skillyard.model import Severity

URL = re.compile(r"\b(?:https?|ftp)://[^\s\"'`<>)\]}|;]+", re.IGNORECASE)
_IP = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_PRIVATE_IP = re.compile(r"^(?:127\.|10\.|192\.168\.|0\.0\.0\.0$|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.)")

PASTE_HOSTS = frozenset(
    {
        "pastebin.com",
        "glot.io",
        "rentry.co",
        "rentry.org",
        "paste.ee",
        "hastebin.com",
        "ghostbin.com",
        "dpaste.org",
        "dpaste.com",
        "paste.rs",
        "termbin.com",
        "ix.io",
        "sprunge.us",
        "0x0.st",
        "controlc.com",
        "justpaste.it",
        "privatebin.net",
        "pastie.org",
        "bpa.st",
        "paste.mozilla.org",
        "textbin.net",
        "pastes.io",
        "transfer.sh",
        "file.io",
        "temp.sh",
        "catbox.moe",
        "files.catbox.moe",
        "anonfiles.com",
        "gofile.io",
        "mega.nz",
        "bashupload.com",
        "oshi.at",
        "litter.catbox.moe",
    }
)
EXFIL_HOSTS = frozenset(
    {
        "discord.com",
        "discordapp.com",
        "api.telegram.org",
        "hooks.slack.com",
        "webhook.site",
        "requestbin.com",
        "pipedream.net",
        "ngrok.io",
        "ngrok-free.app",
        "ngrok.app",
        "trycloudflare.com",
        "burpcollaborator.net",
        "oast.fun",
        "oast.me",
        "interact.sh",
        "requestcatcher.com",
        "beeceptor.com",
        "hookbin.com",
        "canarytokens.com",
        "serveo.net",
        "localtunnel.me",
        "loca.lt",
        "pipedream.com",
        "mockbin.org",
        "postb.in",
        "ptb.discord.com",
    }
)
# Public tunnel services: whatever runs behind them is someone's laptop, reachable from anywhere.
TUNNEL_HOSTS = frozenset(
    {
        "bore.pub", "ngrok.io", "ngrok-free.app", "ngrok.app", "ngrok.dev", "ngrok-free.dev", "trycloudflare.com",
        "loca.lt", "localtunnel.me", "serveo.net", "localhost.run", "lhr.life", "pinggy.io", "pinggy.link",
        "tunnelto.dev", "playit.gg", "telebit.io", "devtunnels.ms",
    }
)  # fmt: skip
SHORTENERS = frozenset(
    {
        "bit.ly",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "is.gd",
        "cutt.ly",
        "rb.gy",
        "shorturl.at",
        "t.ly",
        "ow.ly",
        "rebrand.ly",
        "tiny.cc",
    }
)
TRUSTED_INSTALLERS = frozenset(
    {
        "get.docker.com",
        "sh.rustup.rs",
        "astral.sh",
        "brew.sh",
        "bun.sh",
        "deno.land",
        "jsr.io",
        "fresh.deno.dev",
        "get.pnpm.io",
        "ollama.com",
        "install.python-poetry.org",
        "pyenv.run",
        "get.helm.sh",
        "sdk.cloud.google.com",
        "starship.rs",
        "tailscale.com",
        "get.k3s.io",
        "fly.io",
        "deb.nodesource.com",
        "rpm.nodesource.com",
        "getcomposer.org",
        "mise.run",
        "get.volta.sh",
        "volta.sh",
        "foundry.paradigm.xyz",
        "install.determinate.systems",
        "nixos.org",
        "claude.ai",
        "opencode.ai",
        "cursor.com",
        "deno.com",
        "bun.com",
        "nvm.sh",
        "sh.brew.sh",
        "get.rvm.io",
        "get.sdkman.io",
        "cli.github.com",
        "vercel.com",
        "railway.app",
        "supabase.com",
        "get.jetify.com",
        "pixi.sh",
        "install.pulumi.com",
        "get.pulumi.com",
        "cli.doppler.com",
        "raw.githubusercontent.com/homebrew",
        "raw.githubusercontent.com/nvm-sh",
        "raw.githubusercontent.com/helm",
        "dot.net",
        "dotnet.microsoft.com",
        "aka.ms",
        "get.golang.org",
        "go.dev",
        "install.terraform.io",
        "releases.hashicorp.com",
        "charm.sh",
        "cli.anthropic.com",
        "chocolatey.org",
        "community.chocolatey.org",
        "openai.com",
        "modal.com",
        "cloudflare.com",
        "tea.xyz",
        "pkgx.sh",
        "uv.pypa.io",
        "install.crewai.com",
        "ohmyz.sh",
        "raw.githubusercontent.com/ohmyzsh",
        "get.rke2.io",
        "k3d.io",
        "raw.githubusercontent.com/kubernetes-sigs",
        "raw.githubusercontent.com/rancher",
        "get.acme.sh",
        "zed.dev",
        "goreleaser.com",
        "dl.google.com",
        "packages.microsoft.com",
        "apt.llvm.org",
        "fnm.vercel.app",
        "get.gravitational.com",
        "goteleport.com",
        "sh.vector.dev",
        "install.kurtosis.com",
        "get.trunk.io",
        "setup.inngest.com",
        "cli.netlify.com",
        "downloads.1password.com",
        "rclone.org",
        "gh.io",
        "raw.githubusercontent.com/anthropics",
        "raw.githubusercontent.com/openai",
        "raw.githubusercontent.com/microsoft",
        "raw.githubusercontent.com/google",
        "raw.githubusercontent.com/aws",
        "raw.githubusercontent.com/github",
        "get.scoop.sh",
        "scoop.sh",
        # vendors' own release hosts (session 6: a download saved to a file and then run is read like curl | sh,
        # so the official places people fetch installers and binaries from must be known)
        "dl.k8s.io",
        "repo.anaconda.com",
        "repo.continuum.io",
        "downloads.sourceforge.net",
        "nodejs.org",
        "python.org",
        "download.docker.com",
        "desktop.docker.com",
        "code.visualstudio.com",
        "download.jetbrains.com",
        "awscli.amazonaws.com",
        "corretto.aws",
        "adoptium.net",
        "download.java.net",
        "download.oracle.com",
        "packages.cloud.google.com",
        "dl.yarnpkg.com",
        "static.rust-lang.org",
        "ziglang.org",
        "julialang-s3.julialang.org",
        "downloads.apache.org",
        "dlcdn.apache.org",
        "archive.apache.org",
        "services.gradle.org",
        "downloads.gradle.org",
        "repo1.maven.org",
        "download.microsoft.com",
        "download.visualstudio.microsoft.com",
        "fastdl.mongodb.org",
        "downloads.mongodb.com",
        "download.postgresql.org",
        "artifacts.elastic.co",
        "download.redis.io",
        "nginx.org",
        "dl.grafana.com",
        "dl.min.io",
        "get.opentofu.org",
        "download.virtualbox.org",
        "releases.ubuntu.com",
        "cdn.azul.com",
        "downloads.mysql.com",
        "dev.mysql.com",
    }
)


def host_of(url: str) -> str:
    """Lowercase host of ``url`` (``""`` when unparsable)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def templated_host(url: str) -> bool:
    """The host part is a variable or placeholder (``https://${HOST}/...``, ``{{ url }}``, ``<your-server>``): the
    user's own server, not a hard-coded one."""
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return "$" in host or "{" in host or "<" in host


def code_host_severity(url: str) -> Severity | None:
    """How bad it is to fetch and run code from ``url``: None for a local, trusted-installer or templated host,
    medium for GitHub-hosted code, high for any other host (the policy the fetch-and-run rules share)."""
    if templated_host(url):
        return None
    cls = host_class(url)
    if cls in ("local", "trusted"):
        return None
    return Severity.MEDIUM if cls == "github" else Severity.HIGH


def foreign_host(text: str) -> str | None:
    """The host of the first URL in ``text`` that is not local, not a trusted installer host and not templated: a
    hard-coded third party."""
    for url in URL.findall(text):
        if not templated_host(url) and host_class(url) not in ("local", "trusted"):
            return str(url.split("//", 1)[-1].split("/", 1)[0])
    return None


def suffix_in(host: str, hosts: frozenset[str]) -> bool:
    """``host`` is one of ``hosts`` or a subdomain of one (set look-ups of its dot suffixes, not a scan)."""
    if host in hosts:
        return True
    i = host.find(".")
    while i >= 0:
        if host[i + 1 :] in hosts:
            return True
        i = host.find(".", i + 1)
    return False


@lru_cache(maxsize=4096)  # pure; the same URLs recur across rules and skills
def host_class(url: str, extra_trusted: frozenset[str] = frozenset()) -> str:
    """``ip``, ``paste``, ``exfil``, ``shortener``, ``trusted``, ``github`` or ``unknown``."""
    host = host_of(url)
    if not host:
        return "unknown"
    if _PRIVATE_IP.match(host):
        return "local"
    if _IP.match(host) or host.endswith(".onion"):
        return "ip"
    if suffix_in(host, PASTE_HOSTS):
        return "paste"
    if suffix_in(host, EXFIL_HOSTS):
        return "exfil"
    if suffix_in(host, SHORTENERS):
        return "shortener"
    low = url.lower()
    path_key = host + "/" + (urlsplit(low).path.lstrip("/").split("/", 1)[0] if "/" in low[8:] else "")
    if suffix_in(host, TRUSTED_INSTALLERS) or suffix_in(host, extra_trusted) or path_key in TRUSTED_INSTALLERS:
        return "trusted"
    if host in (
        "raw.githubusercontent.com",
        "github.com",
        "gitlab.com",
        "bitbucket.org",
        "codeberg.org",
        "gist.githubusercontent.com",
        "gist.github.com",
        "objects.githubusercontent.com",
    ):
        return "github"
    local_names = ("localhost", "127.0.0.1", "0.0.0.0")  # noqa: S104 - classification only
    if host in local_names or host.endswith((".local", ".internal", ".example", ".test", "example.com", ".invalid")):
        return "local"
    return "unknown"


def vendor_declared(url: str, claim: str) -> bool:
    """True when the URL's owner appears in the skill's own claim text (name + description).

    The owner is the domain name (``bun`` of ``bun.sh``) or, on GitHub/GitLab, the account or repository
    (``nodetool-ai/nodetool``): a skill about a tool installing that tool from its own source.
    """
    host = host_of(url)
    low = claim.lower()
    flat = re.sub(r"[-_\s.]", "", low)
    try:
        path_names = {p for p in re.split(r"[/._-]", urlsplit(url).path.lower()) if len(p) >= 5}
    except ValueError:
        path_names = set()
    name = re.sub(r"[-_\s]", "", claim.split(" ", 1)[0].lower())
    if any(p == name or (len(p) >= 6 and p in name) for p in path_names):
        return True
    if host in (
        "raw.githubusercontent.com",
        "github.com",
        "gitlab.com",
        "codeberg.org",
        "bitbucket.org",
        "objects.githubusercontent.com",
        "gist.githubusercontent.com",
        "gist.github.com",
    ):
        try:
            segs = [p for p in urlsplit(url).path.lower().split("/") if p][:2]
        except ValueError:
            return False
        names = {x for s in segs for x in re.split(r"[-_.]", s) if len(x) >= 4} | {s for s in segs if len(s) >= 3}
        return any(n in low for n in names)
    parts = [
        p
        for p in host.split(".")
        if p
        not in (
            "www",
            "get",
            "install",
            "raw",
            "cli",
            "sh",
            "dl",
            "api",
            "download",
            "downloads",
            "cdn",
            "static",
            "releases",
            # generic service labels: "git.<host>" is not declared by a skill that mentions git
            "git",
            "app",
            "web",
            "docs",
            "mail",
            "repo",
            "mirror",
            "backup",
            "sync",
            "status",
            "hooks",
            "update",
            "updates",
            "files",
            "data",
        )
    ]
    if len(parts) >= 2:
        parts = parts[:-1]
    # (a hyphenated label matches the skill's own name written without the hyphen: molt-arena.com, "moltarena")
    if any(len(p) >= 3 and (p in low or p in flat or ("-" in p and p.replace("-", "") == name)) for p in parts):
        return True
    # A product's domain often adds a short suffix to its name (``fluxcd.io`` for Flux, ``denohq``, ``bunjs``):
    # the stem counts when the claim names it as a whole word.
    words = set(re.findall(r"[a-z0-9]+", low))
    return any(p.endswith(_NAME_SUFFIXES) and p[:-2] in words and len(p) - 2 >= 4 for p in parts)


_NAME_SUFFIXES = ("cd", "hq", "js", "io", "sh")
