"""Validators for domain names, URLs and e-mail addresses (re-exported by tortoise.validators).

Internationalised names are checked as IDNA 2003 "stored strings": every character must
be assigned in Unicode 3.2 (the version IDNA 2003 is defined on), then each label is
converted to its ASCII (punycode) form and checked as a hostname label.
"""
from __future__ import annotations

import ipaddress
import re
import unicodedata
from typing import Any, Iterable
from urllib.parse import urlsplit

from tortoise.exceptions import ValidationError


class InvalidDomainName(ValidationError):
    pass


class InvalidURL(ValidationError):
    pass


class InvalidScheme(InvalidURL):
    pass


class InvalidEmailAddress(ValidationError):
    pass


_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", re.IGNORECASE)
_EMAIL_USER = re.compile(r"^[-!#$%&'*+/=?^_`{|}~0-9a-z]+(?:\.[-!#$%&'*+/=?^_`{|}~0-9a-z]+)*$", re.IGNORECASE)
_DOTTED_NUMBERS = re.compile(r"^[0-9.]+$")


def _ascii_label(label: str, accept_idna: bool) -> str | None:
    if label.isascii():
        return label
    if not accept_idna or any(unicodedata.ucd_3_2_0.category(ch) == "Cn" for ch in label):
        return None
    try:
        return label.encode("idna").decode("ascii")
    except UnicodeError:
        return None


class DomainNameValidator:
    """A fully qualified domain name: at least two dot-separated hostname labels."""

    def __init__(self, accept_idna: bool = True) -> None:
        self.accept_idna = accept_idna

    def __call__(self, value: Any) -> None:
        if not self.is_valid(value):
            raise InvalidDomainName(f"{value!r} is not a valid domain name")

    def is_valid(self, value: Any) -> bool:
        if not isinstance(value, str) or not value:
            return False
        labels = [_ascii_label(label, self.accept_idna) for label in value.split(".")]
        if len(labels) < 2 or any(label is None or not _LABEL.match(label) for label in labels):
            return False
        return len(".".join(labels)) <= 253 and not labels[-1].isdigit()  # type: ignore[arg-type]


def _valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class URLValidator:
    """An absolute URL with an allowed scheme and a valid host (domain, localhost or IP)."""

    max_length = 2048

    def __init__(self, allowed_schemes: Iterable[str] | None = None, accept_idna: bool = True) -> None:
        self.allowed_schemes = [s.lower() for s in (allowed_schemes or ("http", "https", "ftp", "ftps"))]
        self.domain = DomainNameValidator(accept_idna)

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str) or not value or len(value) > self.max_length or any(c.isspace() for c in value):
            raise InvalidURL(f"{value!r} is not a valid URL")
        try:
            parts = urlsplit(value)
            port_ok = parts.port is None or 0 < parts.port < 65536
        except ValueError:
            raise InvalidURL(f"{value!r} is not a valid URL") from None
        if not parts.scheme or not parts.netloc:
            raise InvalidURL(f"{value!r} is not a valid URL: it needs a scheme and a host")
        if parts.scheme.lower() not in self.allowed_schemes:
            raise InvalidScheme(f"{value!r}: scheme {parts.scheme!r} is not one of {self.allowed_schemes}")
        host = parts.hostname or ""
        if not port_ok or not self._valid_host(host, bracketed="[" in parts.netloc):
            raise InvalidURL(f"{value!r} is not a valid URL: bad host or port")

    def _valid_host(self, host: str, bracketed: bool) -> bool:
        if bracketed:
            return ":" in host and _valid_ip(host)
        if _DOTTED_NUMBERS.match(host):
            return _valid_ip(host)
        return host == "localhost" or self.domain.is_valid(host)


class EmailValidator:
    """``user@domain``; with ``allowed_domains``, only those domains (matched exactly) pass."""

    max_length = 320

    def __init__(self, allowed_domains: Iterable[str] | None = None) -> None:
        self.allowed_domains = [d.lower() for d in (allowed_domains or ())]
        self.domain = DomainNameValidator()

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str) or len(value) > self.max_length or "@" not in value:
            raise InvalidEmailAddress(f"{value!r} is not a valid e-mail address")
        user, domain = value.rsplit("@", 1)
        if not _EMAIL_USER.match(user):
            raise InvalidEmailAddress(f"{value!r} is not a valid e-mail address: bad user part")
        if self.allowed_domains:
            if domain.lower() not in self.allowed_domains:
                raise InvalidEmailAddress(f"{value!r}: domain {domain!r} is not one of {self.allowed_domains}")
            return
        if domain.startswith("[") and domain.endswith("]"):
            valid = _valid_ip(domain[1:-1])
        else:
            valid = self.domain.is_valid(domain)
        if not valid:
            raise InvalidEmailAddress(f"{value!r} is not a valid e-mail address: bad domain")


validate_domain_name = DomainNameValidator()
validate_url = URLValidator()
validate_email = EmailValidator()

__all__ = [
    "DomainNameValidator", "EmailValidator", "URLValidator", "InvalidDomainName", "InvalidEmailAddress",
    "InvalidScheme", "InvalidURL", "validate_domain_name", "validate_email", "validate_url",
]
