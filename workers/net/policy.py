"""Which IP addresses an outbound connection may reach: the SSRF guard's one decision."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import cached_property

from workers.errors import BlockedAddressError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _nets(*cidrs: str) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(c) for c in cidrs)


_LOOPBACK = _nets("127.0.0.0/8", "::1/128")
_PRIVATE = _nets("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
# Named explicitly, not left to ``is_global``, because these are the ones attackers aim at.
_ALWAYS_BLOCKED: tuple[tuple[str, tuple[IPNetwork, ...]], ...] = (
    ("unspecified", _nets("0.0.0.0/8", "::/128")),
    ("link-local", _nets("169.254.0.0/16", "fe80::/10")),
    ("carrier-grade NAT", _nets("100.64.0.0/10")),
    ("multicast", _nets("224.0.0.0/4", "ff00::/8")),
    ("reserved", _nets("240.0.0.0/4", "198.18.0.0/15", "192.0.0.0/24", "fec0::/10")),
)
_NAT64 = _nets("64:ff9b::/96", "64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address tunnels to (mapped, compatible, 6to4, NAT64), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in _NAT64) or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _category(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public unicast address, or None if it is one."""
    if any(ip in net for net in _LOOPBACK):
        return "loopback"
    if any(ip in net for net in _PRIVATE):
        return "private"
    for name, nets in _ALWAYS_BLOCKED:
        if any(ip in net for net in nets):
            return name
    return None if ip.is_global else "non-global"


@dataclass(frozen=True)
class AddressPolicy:
    """Deny-by-default rules for the addresses a fetch or a webhook may connect to.

    ``allowed_networks`` are CIDRs (``"10.20.0.0/16"``) let through whatever their kind, for
    feeds or receivers that live on a known internal network.
    """

    allow_loopback: bool = False
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()

    @cached_property
    def _allowed(self) -> tuple[IPNetwork, ...]:
        return tuple(ipaddress.ip_network(c, strict=False) for c in self.allowed_networks)

    def check(self, ip: str) -> None:
        """Raise ``BlockedAddressError`` unless ``ip`` may be connected to."""
        try:
            address = ipaddress.ip_address(ip.split("%", 1)[0])
        except ValueError as exc:
            raise BlockedAddressError(f"not an IP address: {ip!r}") from exc
        # A tunnelled form reaches its IPv4 address, so that address is the one judged.
        self._check_one(embedded_ipv4(address) or address, shown=ip)

    def _check_one(self, ip: IPAddress, *, shown: str) -> None:
        if any(ip.version == net.version and ip in net for net in self._allowed):
            return
        category = _category(ip)
        if category is None:
            return
        if (category == "loopback" and self.allow_loopback) or (
            category == "private" and self.allow_private
        ):
            return
        raise BlockedAddressError(f"address {shown} is {category} and not allowed by policy")
