"""The source policy: which web addresses may support a shipped fact.

A fact's source must be official: the web site of an organisation it is about, or an official
document system (the UN's, EUR-Lex, the OECD's legal instruments, a DOI or handle prefix that
belongs to an organisation), or a G7/G20 presidency site. The table of those domains ships as
``data/policy/official-domains.csv``; rows that cannot meet the rule say why in
``data/policy/source-exceptions.csv``. Never acceptable anywhere: a content farm
(``data/policy/blocked-hosts.csv``), a staging or test host, or a tracking parameter.

Everything here is pure: it reads the policy tables and judges URLs and rows given to it; the
tests apply it to every shipped file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from fnmatch import fnmatchcase
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

#: kinds of entry in official-domains.csv
KINDS = ("site", "document-system", "identifier", "presidency")
#: query parameters that track a click, never part of a source's address
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid",
                             "mc_cid", "mc_eid", "_hsenc", "_hsmi", "_ga", "_gl", "mkt_tok",
                             "oly_enc_id", "oly_anon_id", "vero_id", "wickedid", "twclid",
                             "li_fat_id", "s_cid", "ref_src"})
#: host labels that mark a staging, development or test deployment
STAGING_LABELS = re.compile(r"^(dev|develop|development|staging|stage|stg|test|testing|"
                            r"preprod|pre-prod|uat|sandbox|qa)$|(-|^)(test|testslot|staging|"
                            r"stg|dev|preprod|sandbox)(-|$)|testslot")
#: hosting platforms whose default host names serve previews and test deployments
STAGING_SUFFIXES = (".azurewebsites.net", ".herokuapp.com", ".pages.dev", ".workers.dev",
                    ".vercel.app", ".netlify.app", ".ngrok.io", ".execute-api.eu-west-1."
                    "amazonaws.com", ".cloudfront.net", ".web.app", ".firebaseapp.com")


@dataclass(frozen=True)
class OfficialDomain:
    """A domain (optionally with a path prefix, ``doi.org/10.1787/``) that is official for
    ``org``; a document system or identifier prefix serves whoever publishes there."""

    domain: str
    org: str
    kind: str
    note: str = ""

    @property
    def host(self) -> str:
        return self.domain.split("/", 1)[0]

    @property
    def path(self) -> str:
        rest = self.domain.split("/", 1)
        return "/" + rest[1] if len(rest) == 2 else ""

    def matches(self, url: str) -> bool:
        """Whether ``url`` lies on this domain (a subdomain counts) under its path prefix."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        on_host = host == self.host or host.endswith("." + self.host)
        return on_host and (not self.path or parts.path.startswith(self.path))


@dataclass(frozen=True)
class Exception_:
    """A reviewed exception: ``key`` in ``file`` need not meet ``rule`` because ``reason``."""

    file: str
    key: str
    rule: str
    reason: str


@dataclass(frozen=True)
class Policy:
    domains: tuple[OfficialDomain, ...]
    blocked: dict[str, str]               # host -> why it is not acceptable
    exceptions: tuple[Exception_, ...] = ()

    def official(self, url: str, orgs: Iterable[str] | None = None) -> bool:
        """Whether ``url`` is official: on a document system, an identifier prefix or a
        presidency site, or on the site of one of ``orgs`` (of any organisation if None)."""
        wanted = None if orgs is None else set(orgs)
        for d in self.domains:
            if not d.matches(url):
                continue
            if d.kind in ("document-system", "identifier") or wanted is None or d.org in wanted:
                return True
        return False

    def excepted(self, file: str, key: str, rule: str) -> Exception_ | None:
        """The exception that waives ``rule`` for ``key`` in ``file``; an exception's key may
        be a pattern (``*/who/member``: every full membership of WHO)."""
        return next((e for e in self.exceptions if e.file == file and e.rule == rule
                     and fnmatchcase(key, e.key)), None)


@dataclass(frozen=True)
class Finding:
    """One breach of the policy: ``rule`` broken by ``url`` in the row ``key`` of ``file``."""

    file: str
    key: str
    rule: str
    url: str
    message: str


# ---- judging one address -----------------------------------------------------------------

def host_of(url: str) -> str:
    return (urlsplit(url.strip()).hostname or "").lower()


def staging_reason(url: str) -> str | None:
    """Why ``url`` looks like a staging or test deployment, or None.

    >>> staging_reason("https://web.dev.ohchr.un-icc.cloud/en/documents")
    "host label 'dev' marks a development deployment"
    >>> staging_reason("https://www.ohchr.org/en/documents") is None
    True
    """
    host = host_of(url)
    for suffix in STAGING_SUFFIXES:
        if host.endswith(suffix):
            return f"hosted on {suffix.lstrip('.')}, a platform for previews and test sites"
    for label in host.split("."):
        if STAGING_LABELS.search(label):
            return f"host label {label!r} marks a development deployment"
    return None


def tracking_params(url: str) -> list[str]:
    """The tracking parameters in ``url``'s query string (``utm_*`` and the known click IDs).

    >>> tracking_params("https://www.who.int/x?utm_source=t&id=3&fbclid=abc")
    ['utm_source', 'fbclid']
    """
    names = [k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)]
    return [k for k in names if k.lower().startswith("utm_") or k.lower() in TRACKING_PARAMS]


def blocked_reason(policy: Policy, url: str) -> str | None:
    host = host_of(url)
    for blocked, reason in policy.blocked.items():
        if host == blocked or host.endswith("." + blocked):
            return reason
    return None


def check_url(policy: Policy, url: str) -> list[tuple[str, str]]:
    """(rule, message) for each way ``url`` is never acceptable: not http(s), a content farm,
    a staging host, tracking parameters."""
    out = []
    if urlsplit(url).scheme not in ("http", "https") or not host_of(url):
        out.append(("url", f"not a web address: {url!r}"))
        return out
    reason = blocked_reason(policy, url)
    if reason:
        out.append(("blocked-host", f"{host_of(url)} is not an acceptable source: {reason}"))
    reason = staging_reason(url)
    if reason:
        out.append(("staging-host", f"{host_of(url)} looks like a staging host: {reason}"))
    params = tracking_params(url)
    if params:
        out.append(("tracking", f"tracking parameter(s) {', '.join(params)} in {url}"))
    return out


# ---- judging rows ------------------------------------------------------------------------

def split_cell(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def check_row(policy: Policy, file: str, key: str, sources: list[str], orgs: Iterable[str],
              url: str | None = None) -> list[Finding]:
    """The findings for one row: every address acceptable; at least one source official
    (rule ``official-source``); the document's own ``url``, if given, on a domain of one of
    ``orgs`` or an official document system (rule ``issuer-url``). An exception in the policy
    for (file, key, rule) waives that rule."""
    orgs = list(orgs)
    found = []
    for u in [*sources, *([url] if url else [])]:
        for rule, message in check_url(policy, u):
            found.append(Finding(file, key, rule, u, message))
    if not any(policy.official(u) for u in sources) \
            and not policy.excepted(file, key, "official-source"):
        found.append(Finding(file, key, "official-source", " | ".join(sources),
                             "no source on an official domain (data/policy/official-domains."
                             "csv); add one, or give the reason in source-exceptions.csv"))
    if url is not None and not policy.excepted(file, key, "issuer-url"):
        if not url:
            found.append(Finding(file, key, "issuer-url", "", "the document has no url"))
        elif not policy.official(url, orgs):
            found.append(Finding(file, key, "issuer-url", url,
                                 f"the url is not on a site of its issuers ({', '.join(orgs)}) "
                                 "or an official document system"))
    return found


def normalise_title(title: str) -> str:
    """A title folded for comparison: accents, case, punctuation and a leading article off.

    >>> normalise_title("The  Toolkit for Responsible AI Innovation — Law Enforcement!")
    'toolkit for responsible ai innovation law enforcement'
    """
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    words = text.split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def duplicate_key(title: str, issuers: Iterable[str], date: str) -> tuple[str, tuple[str, ...],
                                                                          str]:
    """Documents are the same when their normalised title, issuers and year agree."""
    return normalise_title(title), tuple(sorted(set(issuers))), (date or "")[:4]


def duplicates(rows: Iterable[tuple[str, str, Iterable[str], str]]
               ) -> dict[tuple[str, tuple[str, ...], str], list[str]]:
    """Groups of keys that share a duplicate key: ``rows`` are (key, title, issuers, date)."""
    groups: dict[tuple[str, tuple[str, ...], str], list[str]] = {}
    for key, title, issuers, date in rows:
        groups.setdefault(duplicate_key(title, issuers, date), []).append(key)
    return {k: v for k, v in groups.items() if len(v) > 1}


# ---- reading the tables ------------------------------------------------------------------

def policy_dir() -> Path:
    from .resources import package_dir
    return package_dir() / "data" / "policy"


def _read(path: Path, need: set[str]) -> list[tuple[int, dict[str, str]]]:
    """Strictly, like every other table: a row with the wrong number of fields (a stray
    merge-conflict line, say) is an error naming the file and line, not a ``None`` field."""
    from .loaders.record_input import read_table_lines
    return read_table_lines(path, what="source-policy table", need=need)


def load_policy(directory: Path | None = None) -> Policy:
    """The policy tables: official domains, blocked hosts and reviewed exceptions."""
    from .errors import InputError
    d = directory or policy_dir()
    domains = []
    for line, r in _read(d / "official-domains.csv", {"domain", "org", "kind", "note"}):
        kind = r["kind"].strip()
        if kind not in KINDS:
            raise InputError(f"kind must be one of {', '.join(KINDS)}, found {kind!r}",
                             source=str(d / "official-domains.csv"), line=line)
        domain = r["domain"].strip().lower()
        if not domain or "://" in domain:
            raise InputError(f"domain must be a host name (with an optional path), found "
                             f"{domain!r}", source=str(d / "official-domains.csv"), line=line)
        domains.append(OfficialDomain(domain, r["org"].strip(), kind, r["note"].strip()))
    blocked = {r["host"].strip().lower(): r["reason"].strip()
               for _, r in _read(d / "blocked-hosts.csv", {"host", "reason"})}
    exceptions = []
    for line, r in _read(d / "source-exceptions.csv", {"file", "key", "rule", "reason"}):
        if not r["reason"].strip():
            raise InputError("every exception needs a reason",
                             source=str(d / "source-exceptions.csv"), line=line)
        exceptions.append(Exception_(r["file"].strip(), r["key"].strip(), r["rule"].strip(),
                                     r["reason"].strip()))
    return Policy(tuple(domains), blocked, tuple(exceptions))
