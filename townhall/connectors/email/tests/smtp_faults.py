"""Faults scripted in front of the real SMTP server, for the shared contract suite.

The contract scripts faults the way an HTTP platform has them (429, 500, 400, a slow
answer). A mail server says the same things in SMTP, so each is answered at the end of
the message (after the final dot) as a mail server would:

- 429 (rate limit): "451 4.7.1", try again later; nothing is sent.
- 5xx (server error): "451 4.3.0", a transient local problem; nothing is sent.
- other 4xx (refused): "550 5.7.1", refused for good.
- a delay with no status: the real server takes the message and its "250" reaches
  the sender late, as when a reply was sent but the answer was lost.

Everything else passes through to Exim unchanged. Faults are used once each, in order.
"""

import socket
import threading
import time
from typing import Any

from townhall.connectors.email.tests.servers import Account, MailServers
from townhall.connectors.fake import Scripted


def smtp_reply(status: int) -> bytes:
    if status == 429:
        return b"451 4.7.1 Too many messages from this sender, try again later\r\n"
    if status >= 500:
        return b"451 4.3.0 Temporary server error, try again later\r\n"
    return b"550 5.7.1 Message refused\r\n"


class SmtpFaults:
    """A port in front of the test SMTP server; `script` queues faults like FakeApi."""

    def __init__(self, servers: MailServers, account: Account) -> None:
        self.servers = servers
        self.account = account
        self.scripts: list[Scripted] = []
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.closed = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def script(self, method: str, pattern: str, *answers: Scripted) -> None:
        with self.lock:
            self.scripts.extend(answers)

    def sent(self) -> list[dict[str, Any]]:
        """Every reply the SMTP server delivered to the outside world for this mailbox."""
        from townhall.connectors.email.tests.mailboxes import read_folder

        self.servers.wait_until_delivered()
        messages = read_folder(self.servers, self.account.outbox, self.account.password)
        return [{"id": str(m["Message-ID"]).strip("<> "), "message": m} for m in messages]

    def close(self) -> None:
        self.closed = True
        self.listener.close()

    def _next_fault(self) -> Scripted | None:
        with self.lock:
            return self.scripts.pop(0) if self.scripts else None

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.servers.ports.smtp), timeout=30)
        state: dict[str, Any] = {"data": False, "delay": 0.0, "cut": False}
        replies = threading.Thread(target=self._replies, args=(upstream, client, state),
                                   daemon=True)
        replies.start()
        lines = client.makefile("rb")
        try:
            for line in lines:
                if state["cut"]:
                    # The fault answered for the server; finish the session politely.
                    client.sendall(b"221 2.0.0 Bye\r\n" if line.upper().startswith(b"QUIT")
                                   else b"250 2.0.0 OK\r\n")
                    continue
                if state["data"] and line == b".\r\n":
                    state["data"] = False
                    fault = self._next_fault()
                    if fault is not None and fault.status is not None:
                        state["cut"] = True
                        # The server never sees the final dot, so it drops the message.
                        upstream.shutdown(socket.SHUT_RDWR)
                        client.sendall(smtp_reply(fault.status))
                        continue
                    if fault is not None:
                        state["delay"] = fault.delay
                upstream.sendall(line)
        except OSError:
            pass
        finally:
            for end in (client, upstream):
                try:
                    end.close()
                except OSError:
                    pass

    @staticmethod
    def _replies(upstream: socket.socket, client: socket.socket, state: dict[str, Any]) -> None:
        try:
            for line in upstream.makefile("rb"):
                if state["cut"]:
                    return
                # The last line of a reply has a space after its code.
                if len(line) >= 4 and line[3:4] == b" ":
                    if line.startswith(b"354"):
                        state["data"] = True
                    if state["delay"]:
                        time.sleep(state["delay"])
                        state["delay"] = 0.0
                client.sendall(line)
        except OSError:
            pass
