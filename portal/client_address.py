"""The address of the person behind a request, when load balancers stand in front of us.

A load balancer connects to the portal itself (``REMOTE_ADDR`` is its address) and appends
the address it received the request from to ``X-Forwarded-For``. Everything to the left of
what our own proxies appended was written by the client and proves nothing. So the header is
read only when the request comes from a trusted proxy, from right to left, past the trusted
proxies, and the first address that is not one of them is the client's.

A list of addresses rather than a number of hops: with a count, a client that reaches a
web process directly (another route, a misconfigured firewall) would choose its own address.
"""

import functools
import ipaddress

from django.core.exceptions import ImproperlyConfigured


@functools.cache
def trusted_networks(entries):
    """``("10.0.0.0/8", "192.0.2.7")`` -> the networks; a bad entry stops the portal starting."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"PORTAL_TRUSTED_PROXIES: {entry!r} is not an address or network"
            ) from error
    return tuple(networks)


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address, networks):
    return any(address in network for network in networks)


def client_address(remote_addr, forwarded_for, networks):
    """The client's address, given the peer's address and the X-Forwarded-For header."""
    peer = _address(remote_addr or "")
    if peer is None or not networks or not _is_trusted(peer, networks):
        return remote_addr
    client = remote_addr
    for hop in reversed((forwarded_for or "").split(",")):
        address = _address(hop)
        if address is None:
            break  # not written by one of our proxies: stop believing the header here
        client = str(address)
        if not _is_trusted(address, networks):
            break
    return client
