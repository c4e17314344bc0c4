"""Sending a brief by e-mail: the PDF attached, the headline as the subject, over SMTP.

The server is ``HOST:PORT`` from the command line; everything secret comes from the
environment only: ``CX_SMTP_USER`` and ``CX_SMTP_PASSWORD`` (both, or neither), the sender
``CX_SMTP_FROM``. The connection is upgraded with STARTTLS whenever the server offers it, and
must be unless the server is on this machine (a local relay): credentials never travel in clear.
Errors are one line that names neither an address nor a secret.
"""

from __future__ import annotations

import ipaddress
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

from cx.core.i18n import _

#: Seconds to wait for the server.
TIMEOUT = 30
#: The sender when ``CX_SMTP_FROM`` is not set.
DEFAULT_SENDER = "cxbench@localhost"


class MailError(RuntimeError):
    """The brief could not be sent (one line, no address or secret in it)."""


@dataclass(frozen=True)
class Server:
    """Where to send: host and port, and the credentials of the environment (if any)."""

    host: str
    port: int
    user: str | None = None
    password: str | None = None
    sender: str = DEFAULT_SENDER

    def __repr__(self) -> str:  # never show the password, even in a traceback
        return f"Server(host={self.host!r}, port={self.port}, user={'set' if self.user else None})"

    @property
    def local(self) -> bool:
        """Whether the server is on this machine (loopback): STARTTLS is then optional."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def server(address: str, env: Mapping[str, str] | None = None) -> Server:
    """The server of ``HOST:PORT`` with the environment's credentials and sender.

    Raises:
        MailError: not ``HOST:PORT``, or only one of user and password set.
    """
    env = os.environ if env is None else env
    host, sep, port = address.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise MailError(_("--smtp expects HOST:PORT (for example mail.example.com:587)"))
    user, password = env.get("CX_SMTP_USER") or None, env.get("CX_SMTP_PASSWORD") or None
    if (user is None) != (password is None):
        raise MailError(_("set both CX_SMTP_USER and CX_SMTP_PASSWORD, or neither"))
    sender = env.get("CX_SMTP_FROM") or DEFAULT_SENDER
    if not valid_address(sender):
        raise MailError(_("CX_SMTP_FROM is not an e-mail address"))
    return Server(host, int(port), user, password, sender)


def valid_address(text: str) -> bool:
    """Whether ``text`` is one plain e-mail address (no display name, no line breaks)."""
    if any(c in text for c in "\r\n,;<> ") or len(text) > 254:
        return False
    _, parsed = parseaddr(text)
    local, at, domain = parsed.rpartition("@")
    return (parsed == text and bool(local) and bool(at) and "." in domain) or domain == "localhost"


def message(
    subject: str, body: str, sender: str, to: Sequence[str], pdf: bytes, filename: str
) -> EmailMessage:
    """The e-mail: one line of subject, the text body, the PDF attached."""
    msg = EmailMessage()
    msg["Subject"] = " ".join(subject.split())[:200]
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg.set_content(body)
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return msg


def send(server_: Server, msg: EmailMessage) -> None:
    """Send ``msg`` through the server (STARTTLS as the module says).

    Raises:
        MailError: the server cannot be reached, refuses the login or the message, or offers
            no STARTTLS where it is required.
    """
    stage = "reach"
    try:
        with smtplib.SMTP(server_.host, server_.port, timeout=TIMEOUT) as smtp:
            stage = "greet"
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            elif not server_.local:
                raise MailError(_("the SMTP server offers no STARTTLS; not sending in clear"))
            if server_.user and server_.password:
                stage = "login"
                smtp.login(server_.user, server_.password)
            stage = "send"
            smtp.send_message(msg)
    except MailError:
        raise
    except smtplib.SMTPRecipientsRefused:
        raise MailError(_("the SMTP server refused the recipients")) from None
    except (OSError, smtplib.SMTPException) as exc:  # SMTPException is an OSError
        code = getattr(exc, "smtp_code", None)
        reason = f"{code}" if code else (getattr(exc, "strerror", None) or type(exc).__name__)
        what = {
            "reach": _("could not reach the SMTP server ({reason})"),
            "greet": _("the SMTP server did not complete the greeting or STARTTLS ({reason})"),
            "login": _("the SMTP server refused the login ({reason})"),
            "send": _("the SMTP server refused the message ({reason})"),
        }[stage]
        raise MailError(what.format(reason=str(reason).lower())) from None
