"""Sending over SMTP (RFC 5321) with the standard library's smtplib.

SMTP says itself which failures are worth retrying: a 4xx reply is transient, a 5xx
permanent. What matters for exactly-once delivery is when a failure happened: before
the message's final dot nothing was sent; after it (a timeout, a dropped connection)
the server may have taken the message, so the error is marked `maybe_sent`.
"""

import smtplib
import socket
import ssl
from email.message import EmailMessage

from townhall.connectors.email.endpoints import Endpoint
from townhall.connectors.errors import PermanentError, RetriableError

# Mail servers ask senders to come back later rather than say when; Postfix's own
# first retry is after 300 seconds, so Townhall waits at least as long.
TRANSIENT_WAIT = 300.0


class SmtpSender:
    """Opens a session to the outgoing server for each message. `timeout` is seconds
    per network operation and may be changed before `send`."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.timeout = endpoint.timeout

    @property
    def where(self) -> str:
        return f"the SMTP server {self.endpoint.where}"

    def open(self) -> smtplib.SMTP:
        """A connected, encrypted (unless plain) and logged-in session."""
        e = self.endpoint
        try:
            if e.security == "ssl":
                session: smtplib.SMTP = smtplib.SMTP_SSL(e.host, e.port, timeout=self.timeout,
                                                         context=e.tls_context())
            else:
                session = smtplib.SMTP(e.host, e.port, timeout=self.timeout)
            session.ehlo()
            if e.security == "starttls":
                session.starttls(context=e.tls_context())
                session.ehlo()
        except ssl.SSLCertVerificationError as error:
            raise PermanentError(f"The certificate of {self.where} could not be verified "
                                 f"({error.verify_message}). Check the server name, or set "
                                 "'ca_file' for a private authority.") from None
        except smtplib.SMTPNotSupportedError:
            raise PermanentError(f"{self.where.capitalize()} does not offer STARTTLS. Use "
                                 "'ssl' security or another port.") from None
        except smtplib.SMTPResponseException as error:
            raise _from_reply(error.smtp_code, error.smtp_error, f"{self.where} refused the "
                              "connection") from None
        except (OSError, smtplib.SMTPException) as error:
            raise RetriableError(f"Townhall could not connect to {self.where} "
                                 f"({_said(error)}).") from None
        try:
            session.login(e.username, e.password)
        except smtplib.SMTPAuthenticationError as error:
            _quit(session)
            raise PermanentError(f"{self.where.capitalize()} refused the username or password "
                                 f"for {e.username} ({error.smtp_code} "
                                 f"{_reply_text(error.smtp_error)}). Check the channel's SMTP "
                                 "login.") from None
        except smtplib.SMTPNotSupportedError:
            _quit(session)
            raise PermanentError(f"{self.where.capitalize()} does not offer a login on this "
                                 "connection. Use 'starttls' or 'ssl' security.") from None
        except (OSError, smtplib.SMTPException) as error:
            _quit(session)
            raise RetriableError(f"The connection to {self.where} failed while logging in "
                                 f"({_said(error)}).") from None
        return session

    def send(self, message: EmailMessage, *, sender: str, recipients: list[str],
             required: str) -> None:
        """Send `message` to every recipient; fail unless `required` (the resident) is
        accepted. Raises RetriableError or PermanentError."""
        session = self.open()
        data_started = False
        try:
            code, reply = session.mail(sender)
            if code != 250:
                raise _from_reply(code, reply, f"{self.where} refused the sender {sender}")
            accepted = []
            for recipient in recipients:
                code, reply = session.rcpt(recipient)
                if code in (250, 251):
                    accepted.append(recipient)
                elif recipient == required:
                    session.rset()
                    raise _from_reply(code, reply, f"{self.where} refused the address "
                                      f"{recipient}")
            data_started = True
            code, reply = session.data(message.as_bytes())
            if code != 250:
                raise _from_reply(code, reply, f"{self.where} refused the reply")
        except smtplib.SMTPResponseException as error:
            raise _from_reply(error.smtp_code, error.smtp_error,
                              f"{self.where} refused the reply") from None
        except (OSError, smtplib.SMTPException) as error:
            if data_started:
                raise RetriableError(f"{self.where.capitalize()} did not confirm the reply "
                                     f"({_said(error)}). It may have been sent; Townhall "
                                     "will check before trying again.",
                                     maybe_sent=True) from None
            raise RetriableError(f"The connection to {self.where} failed before the reply "
                                 f"was sent ({_said(error)}).") from None
        finally:
            _quit(session)

    def check(self) -> str:
        """Log in and out; the plain-words result. Raises like `send`."""
        session = self.open()
        _quit(session)
        return (f"SMTP login works: {self.endpoint.username} can send through "
                f"{self.endpoint.where} ({self.endpoint.security}).")


def _from_reply(code: int, reply: bytes | str, what: str) -> PermanentError | RetriableError:
    said = f"{code} {_reply_text(reply)}"[:300]
    if 400 <= code < 500:
        return RetriableError(f"{what[0].upper()}{what[1:]} for now ({said}). Townhall will "
                              "try again later.", retry_after=TRANSIENT_WAIT, status=code)
    return PermanentError(f"{what[0].upper()}{what[1:]} ({said}). Check the address and "
                          "the channel's settings, then send the reply again.", status=code)


def _reply_text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())[:300]


def _quit(session: smtplib.SMTP) -> None:
    try:
        session.quit()
    except (OSError, smtplib.SMTPException):
        session.close()


def _said(error: BaseException) -> str:
    if isinstance(error, socket.timeout | TimeoutError):
        return "no answer in time"
    text = str(error).strip() or type(error).__name__
    return text[:300]
