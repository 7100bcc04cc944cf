"""Throwaway mail servers for tests: Debian's Dovecot (IMAP and LMTP) and Exim (SMTP).

Each test session (each pytest-xdist worker) starts its own pair in a fresh temporary
directory, on free ports on 127.0.0.1, with its own configuration files, and stops them
at the end; nothing of the machine's own mail setup is read or touched.

Exim accepts mail for the domain afon.test from anyone on this machine, and for any
other domain only after a login. It hands every message to Dovecot over LMTP: mail for
afon.test to that mailbox, and mail "to the outside world" to the sending mailbox's
outbox (`<local part>-outbox@afon.test`), so a test can read exactly what was sent.
Dovecot serves IMAP on a port offering STARTTLS and an IMAPS port; Exim offers STARTTLS
and an SMTPS port. Both use a self-signed certificate made for 127.0.0.1.
"""

import ipaddress
import os
import pwd
import secrets
import shutil
import smtplib
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from townhall.connectors.email.tests.server_configs import DOMAIN, dovecot_conf, exim_conf

PACKAGES = ("dovecot-imapd", "dovecot-lmtpd", "exim4-daemon-light")
BINARIES = {
    "/usr/sbin/dovecot": "dovecot-core",
    "/usr/lib/dovecot/imap": "dovecot-imapd",
    "/usr/lib/dovecot/lmtp": "dovecot-lmtpd",
    "/usr/sbin/exim4": "exim4-daemon-light",
}
START_TIMEOUT = 20.0


def missing_binaries() -> list[str]:
    return [f"{path} (Debian package {package})" for path, package in BINARIES.items()
            if not os.access(path, os.X_OK)]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _make_certificate(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    # A throwaway key for a test server; Dovecot and Exim read it as their own users.
    cert_path.chmod(0o644)
    key_path.chmod(0o644)
    return cert_path, key_path


@dataclass(frozen=True)
class Ports:
    imap: int
    imaps: int
    lmtp: int
    smtp: int
    smtps: int

    @classmethod
    def free(cls) -> "Ports":
        """Five distinct free ports: all held open together while they are chosen."""
        probes = []
        try:
            for _ in range(5):
                probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                probes.append(probe)
                probe.bind(("127.0.0.1", 0))
            return cls(*(int(p.getsockname()[1]) for p in probes))
        finally:
            for probe in probes:
                probe.close()


@dataclass
class Account:
    address: str
    password: str

    @property
    def outbox(self) -> str:
        """Where the servers put what this account sends to addresses outside afon.test."""
        return f"{self.address.split('@')[0]}-outbox@{DOMAIN}"


class MailServers:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.ports = Ports.free()
        self.processes: list[subprocess.Popen[bytes]] = []
        self.cert, self.key = _make_certificate(root)
        self.password = secrets.token_urlsafe(12)
        self.exim_conf = root / "exim.conf"

    # Accounts ---------------------------------------------------------------

    def add_account(self, prefix: str = "council") -> Account:
        """A new mailbox (Dovecot creates it on first delivery or login) with an outbox
        to read what it sends. Every account shares the session's password, so nothing
        has to be reloaded while the servers run."""
        local = f"{prefix}-{secrets.token_hex(4)}"
        return Account(address=f"{local}@{DOMAIN}", password=self.password)

    # Mail -------------------------------------------------------------------

    def deliver(self, raw: bytes, *, to: str, sender: str = "resident@example.org") -> None:
        """Deliver an email as the world would: through the SMTP server, no login."""
        with smtplib.SMTP("127.0.0.1", self.ports.smtp, timeout=10) as session:
            session.sendmail(sender, [to], raw)
        self.wait_until_delivered()

    def store(self, raws: list[bytes], *, to: str) -> None:
        """Put emails straight into a mailbox over LMTP, as the SMTP server does."""
        with smtplib.LMTP("127.0.0.1", self.ports.lmtp, timeout=10) as session:
            for raw in raws:
                session.sendmail("resident@example.org", [to], raw)

    def queued(self) -> int:
        done = subprocess.run(["/usr/sbin/exim4", "-C", str(self.exim_conf), "-bpc"],  # noqa: S603
                              capture_output=True, check=False, timeout=10)
        text = done.stdout.decode().strip()
        return int(text) if text.isdigit() else 0

    def wait_until_delivered(self, timeout: float = 15.0) -> None:
        """Until Exim's queue is empty, so what it accepted is in the mailboxes."""
        deadline = time.monotonic() + timeout
        while self.queued() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.queued():
            raise AssertionError(f"Exim still has mail queued after {timeout} seconds:\n"
                                 f"{self.log_tail()}")

    def accepted(self, message_id: str) -> int:
        """How many times Exim accepted a message with this Message-ID."""
        log = self.root / "exim" / "log" / "mainlog"
        text = log.read_text(errors="replace") if log.exists() else ""
        return sum(1 for line in text.splitlines()
                   if " <= " in line and f" id={message_id}" in line)

    def log_tail(self) -> str:
        parts = []
        for path in (self.root / "dovecot.log", self.root / "exim" / "log" / "mainlog",
                     self.root / "exim" / "log" / "paniclog"):
            if path.exists():
                parts.append(f"--- {path.name}\n" + "\n".join(
                    path.read_text(errors="replace").splitlines()[-15:]))
        return "\n".join(parts)

    # Life cycle -------------------------------------------------------------

    def start(self) -> None:
        for attempt in range(3):
            try:
                self._start_once()
                return
            except RuntimeError:
                self.stop()
                if attempt == 2:
                    raise
                # Another process took a port between choosing and binding it.
                self.ports = Ports.free()

    def _start_once(self) -> None:
        root = self.root
        mail_user, login_user, exim_user = _users()
        (root / "mail").mkdir(exist_ok=True)
        for sub in ("base", "state"):
            (root / sub).mkdir(exist_ok=True)
        exim_dir = root / "exim"
        for sub in ("spool", "log"):
            (exim_dir / sub).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(root / "mail", mail_user, mail_user)
            for sub in ("spool", "log"):
                shutil.chown(exim_dir / sub, exim_user, exim_user)
        (root / "dovecot.conf").write_text(dovecot_conf(root, self.ports, self.cert, self.key,
                                                         mail_user, login_user, self.password))
        self.exim_conf.write_text(exim_conf(root, self.ports, self.cert, self.key, exim_user,
                                             self.password))
        with (root / "processes.log").open("ab") as logs:
            self.processes = [
                subprocess.Popen(["/usr/sbin/dovecot", "-F", "-c",  # noqa: S603
                                  str(root / "dovecot.conf")],
                                 stdout=logs, stderr=logs, stdin=subprocess.DEVNULL),
                subprocess.Popen(["/usr/sbin/exim4", "-C", str(self.exim_conf),  # noqa: S603
                                  "-bdf"],
                                 stdout=logs, stderr=logs, stdin=subprocess.DEVNULL),
            ]
        deadline = time.monotonic() + START_TIMEOUT
        for port in (self.ports.imap, self.ports.imaps, self.ports.lmtp, self.ports.smtp,
                     self.ports.smtps):
            while not _listening(port):
                if any(p.poll() is not None for p in self.processes) or \
                        time.monotonic() > deadline:
                    raise RuntimeError(f"The test mail servers did not start:\n{self.log_tail()}"
                                       f"\n{(root / 'processes.log').read_text(errors='replace')}")
                time.sleep(0.05)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self.processes = []


def start_mail_servers() -> MailServers:
    # Not pytest's tmp_path: the mail processes run as Dovecot's and Exim's own users,
    # which must be able to reach the directory.
    root = Path(tempfile.mkdtemp(prefix="townhall-mail-"))
    root.chmod(0o755)
    servers = MailServers(root)
    try:
        servers.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return servers


def stop_mail_servers(servers: MailServers) -> None:
    servers.stop()
    shutil.rmtree(servers.root, ignore_errors=True)


def _users() -> tuple[str, str, str]:
    """(mail user, login user, Exim user): Debian's service users when run as root."""
    if os.geteuid() == 0:
        return "dovecot", "dovenull", "Debian-exim"
    me = pwd.getpwuid(os.geteuid()).pw_name
    return me, me, me


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
