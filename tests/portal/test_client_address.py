"""Login limits count people, not the load balancer, and nobody can pick their own address."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse

from portal.client_address import client_address, trusted_networks
from tests.factories import DEFAULT_PASSWORD, UserFactory

BALANCER = "10.0.0.5"
TOO_MANY = "Too many failed login attempts"


def networks(*entries):
    return tuple(ipaddress.ip_network(entry) for entry in entries)


# --- Reading the header --------------------------------------------------------------------


def test_a_request_from_a_trusted_proxy_gets_the_address_it_forwarded():
    assert client_address(BALANCER, "203.0.113.7", networks("10.0.0.0/8")) == "203.0.113.7"


def test_what_the_client_wrote_before_the_proxys_entry_is_ignored():
    forged = "198.51.100.1, 192.0.2.99, 203.0.113.7"
    assert client_address(BALANCER, forged, networks("10.0.0.0/8")) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_client():
    chain = "198.51.100.1, 203.0.113.7, 10.0.0.9"
    assert client_address(BALANCER, chain, networks("10.0.0.0/8")) == "203.0.113.7"


def test_a_request_from_anyone_else_keeps_its_own_address():
    assert client_address("192.0.2.50", "203.0.113.7", networks("10.0.0.0/8")) == "192.0.2.50"
    assert client_address("192.0.2.50", "203.0.113.7", ()) == "192.0.2.50"


def test_a_header_the_proxy_did_not_write_is_not_believed():
    assert client_address(BALANCER, "not-an-address", networks("10.0.0.0/8")) == BALANCER
    assert client_address(BALANCER, "", networks("10.0.0.0/8")) == BALANCER
    assert client_address("2001:db8::5", "2001:db8:1::7", networks("2001:db8::/64")) == "2001:db8:1::7"


def test_a_bad_trusted_proxy_entry_stops_the_portal(settings):
    with pytest.raises(ImproperlyConfigured):
        trusted_networks(("10.0.0.0/8", "the-balancer"))
    settings.PORTAL_TRUSTED_PROXIES = ["the-balancer"]
    with pytest.raises(SystemCheckError, match=r"portal\.E001"):
        call_command("check")


# --- Login limits behind a load balancer ---------------------------------------------------


def attempt(client, email, password, *, peer, forwarded=None):
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, headers=headers, REMOTE_ADDR=peer
    )


def logged_in(client):
    return client.session.get("_auth_user_id") is not None


@pytest.fixture
def behind_the_balancer(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8"]


@pytest.mark.django_db
def test_one_persons_failed_logins_do_not_lock_out_another_behind_the_balancer(behind_the_balancer):
    alice = UserFactory(email="alice@example.org", verified=True)
    bob = UserFactory(email="bob@example.org", verified=True)
    guesser, colleague = Client(), Client()
    # Ten failed logins from one person, each at a different account.
    for n in range(10):
        attempt(guesser, f"someone{n}@example.org", "wrong", peer=BALANCER, forwarded="203.0.113.7")
    # That person is slowed down, even with a right password...
    refused = attempt(guesser, alice.email, DEFAULT_PASSWORD, peer=BALANCER, forwarded="203.0.113.7")
    assert TOO_MANY in refused.text
    assert not logged_in(guesser)
    # ...the next person behind the same balancer is not.
    response = attempt(colleague, bob.email, DEFAULT_PASSWORD, peer=BALANCER, forwarded="198.51.100.9")
    assert response.status_code == 302
    assert logged_in(colleague)


@pytest.mark.django_db
def test_the_request_carries_the_client_address_behind_the_balancer(client, behind_the_balancer):
    response = client.get("/", REMOTE_ADDR=BALANCER, headers={"x-forwarded-for": "203.0.113.7"})
    assert response.wsgi_request.META["REMOTE_ADDR"] == "203.0.113.7"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "trusted", [None, ["10.0.0.0/8"]], ids=["no proxy named", "client bypasses the proxy"]
)
def test_a_forged_forwarded_header_gains_nothing(settings, trusted):
    settings.PORTAL_TRUSTED_PROXIES = trusted
    user = UserFactory(verified=True)
    guesser = Client()
    for n in range(10):
        attempt(guesser, f"someone{n}@example.org", "wrong", peer="192.0.2.50", forwarded=f"198.51.100.{n}")
    # A new forged address for every attempt: still the same client, still limited.
    refused = attempt(guesser, user.email, DEFAULT_PASSWORD, peer="192.0.2.50", forwarded="198.51.100.200")
    assert TOO_MANY in refused.text
    assert not logged_in(guesser)
    assert refused.wsgi_request.META["REMOTE_ADDR"] == "192.0.2.50"


@pytest.mark.django_db
def test_failed_logins_are_limited_per_account_whatever_the_address(behind_the_balancer):
    user = UserFactory(verified=True)
    for n in range(5):
        attempt(Client(), user.email, "wrong", peer=BALANCER, forwarded=f"203.0.113.{n}")
    refused = attempt(Client(), user.email, "still wrong", peer=BALANCER, forwarded="203.0.113.99")
    assert TOO_MANY in refused.text
