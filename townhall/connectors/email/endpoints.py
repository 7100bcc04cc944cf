"""Where the mailbox and the outgoing mail server are, read from a channel's settings.

Settings (plain, not secret): imap_host, imap_port, imap_security, imap_username,
smtp_host, smtp_port, smtp_security, smtp_username, and optionally ca_file (a private
certificate authority) and timeout. Security is "ssl" (TLS from the first byte),
"starttls" (upgrade before logging in) or "plain", which is allowed only to this
machine so a password never crosses a network in clear. The passwords are secrets:
imap_password and smtp_password, each from the environment variable named in
`<name>_env` or stored encrypted (connectors/credentials.py).
"""

import ipaddress
import ssl
from dataclasses import dataclass, field

from townhall.connectors.credentials import ConnectorConfig
from townhall.connectors.errors import NotConfigured

SECURITY = ("ssl", "starttls", "plain")
DEFAULT_PORTS = {
    "imap": {"ssl": 993, "starttls": 143, "plain": 143},
    "smtp": {"ssl": 465, "starttls": 587, "plain": 25},
}
DEFAULT_TIMEOUT = 20.0


@dataclass
class Endpoint:
    """One server and the login for it. `timeout` is seconds per network operation."""

    kind: str  # "IMAP" or "SMTP", for messages
    host: str
    port: int
    security: str
    username: str
    password: str = field(repr=False)
    timeout: float = DEFAULT_TIMEOUT
    ca_file: str = ""

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def tls_context(self) -> ssl.SSLContext:
        """Certificates are always verified, against the system's authorities or the
        channel's own ca_file."""
        return ssl.create_default_context(cafile=self.ca_file or None)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint(config: ConnectorConfig, kind: str) -> Endpoint:
    """The IMAP or SMTP endpoint from the settings, or NotConfigured naming what is
    missing or wrong."""
    prefix = kind.lower()
    name = kind.upper()
    host = str(config.require(f"{prefix}_host", f"{name} server name"))
    security = str(config.get(f"{prefix}_security") or "ssl").lower()
    if security not in SECURITY:
        raise NotConfigured(f"The {name} security setting '{prefix}_security' is "
                            f"{security!r}; use ssl, starttls or plain.")
    if security == "plain" and not is_loopback(host):
        raise NotConfigured(f"The {name} server {host} is set to 'plain', which would send "
                            "the password unencrypted. Use ssl or starttls; plain is only "
                            "for a server on this machine.")
    raw_port = config.get(f"{prefix}_port") or DEFAULT_PORTS[prefix][security]
    try:
        port = int(raw_port)
    except (TypeError, ValueError):
        raise NotConfigured(f"The {name} port '{prefix}_port' must be a number, not "
                            f"{raw_port!r}.") from None
    username = str(config.require(f"{prefix}_username", f"{name} username"))
    password = config.secret(f"{prefix}_password", f"{name} password")
    try:
        timeout = float(config.get("timeout") or DEFAULT_TIMEOUT)
    except (TypeError, ValueError):
        raise NotConfigured("The 'timeout' setting must be a number of seconds.") from None
    return Endpoint(kind=name, host=host, port=port, security=security, username=username,
                    password=password, timeout=timeout,
                    ca_file=str(config.get("ca_file") or ""))
