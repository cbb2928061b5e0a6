"""Domain name, URL and e-mail validators."""
import pytest

from tortoise.exceptions import ValidationError
from tortoise.validators import (
    DomainNameValidator,
    EmailValidator,
    InvalidDomainName,
    InvalidEmailAddress,
    InvalidScheme,
    InvalidURL,
    URLValidator,
    validate_domain_name,
    validate_email,
    validate_url,
)


@pytest.mark.parametrize("value", ["aldabra.dev", "a.b.c.example", "zürich.ch", "x-y.org", "ÉCOLE.fr"])
def test_valid_domain_names(value):
    validate_domain_name(value)


@pytest.mark.parametrize("value", ["", "single", "-lead.com", "trail-.com", "a..b.com", "sp ace.com", "1.2.3.4", "🦕.org"])
def test_invalid_domain_names(value):
    with pytest.raises(InvalidDomainName):
        validate_domain_name(value)


def test_idna_can_be_refused():
    DomainNameValidator(accept_idna=False)("plain.org")
    with pytest.raises(InvalidDomainName):
        DomainNameValidator(accept_idna=False)("zürich.ch")


@pytest.mark.parametrize(
    "value", ["https://aldabra.dev/docs?q=1#top", "http://localhost:9000/x", "ftp://10.0.0.1/f", "http://[fe80::1]:80/"]
)
def test_valid_urls(value):
    validate_url(value)


@pytest.mark.parametrize(
    "value", ["", "aldabra.dev", "https://", "http://bad host.org", "http://300.1.1.1", "http://[::zz]", "http://x.org:99999"]
)
def test_invalid_urls(value):
    with pytest.raises(InvalidURL):
        validate_url(value)


def test_url_schemes_can_be_restricted():
    only_https = URLValidator(allowed_schemes=["https"])
    only_https("https://aldabra.dev")
    with pytest.raises(InvalidScheme) as info:
        only_https("http://aldabra.dev")
    assert isinstance(info.value, ValidationError) and "'http'" in str(info.value)


@pytest.mark.parametrize("value", ["me@aldabra.dev", "first.last+tag@mail.example.org", "x@[10.1.2.3]", "y@[fe80::1]"])
def test_valid_emails(value):
    validate_email(value)


@pytest.mark.parametrize("value", ["me", "me@", "@aldabra.dev", "a..b@aldabra.dev", "me@nodot", "me@x..org", "b" * 320 + "@x.org"])
def test_invalid_emails(value):
    with pytest.raises(InvalidEmailAddress):
        validate_email(value)


def test_email_domains_can_be_restricted():
    corp = EmailValidator(allowed_domains=["corp.example", "intranet"])
    corp("boss@corp.example")
    corp("admin@intranet")  # listed: accepted although not a public domain name
    with pytest.raises(InvalidEmailAddress):
        corp("boss@other.example")
