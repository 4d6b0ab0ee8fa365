#!/usr/bin/python3
"""A real SMTP server for jimu's mail tests: aiosmtpd on 127.0.0.1, delivering into a Maildir.

Run by tests/support/mail_servers.h, stopped with SIGTERM. Prints "READY" once it accepts mail.
Options choose what a test needs: STARTTLS required (--starttls), implicit TLS (--tls), AUTH with
one user (--user/--password; --mechanisms to limit them), recipients refused by the handler
(--reject, with a 550 like Postfix's). Each accepted message is stored byte for byte in
MAILDIR/new, and its envelope ("from -> rcpt,rcpt") appended to MAILDIR/../envelopes.log.
Uses only Debian's python3-aiosmtpd; run it with /usr/bin/python3.
"""
import argparse
import mailbox
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--maildir", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--starttls", action="store_true", help="require STARTTLS before MAIL")
    p.add_argument("--tls", action="store_true", help="implicit TLS (SMTPS)")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--mechanisms", default="", help="only these AUTH mechanisms, e.g. LOGIN")
    p.add_argument("--reject", action="append", default=[], help="a recipient to refuse")
    p.add_argument("--owner", default="", help="UID:GID to give delivered files (when root)")
    a = p.parse_args()

    box = mailbox.Maildir(a.maildir, create=True)
    envelopes = os.path.join(os.path.dirname(os.path.abspath(a.maildir)), "envelopes.log")

    def chown_tree():
        if not a.owner:
            return
        uid, gid = (int(x) for x in a.owner.split(":"))
        for root, dirs, files in os.walk(a.maildir):
            os.chown(root, uid, gid)
            os.chmod(root, 0o755)
            for f in files:
                os.chown(os.path.join(root, f), uid, gid)

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address in a.reject:
                return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            box.add(envelope.original_content or envelope.content)
            with open(envelopes, "a") as f:
                f.write("%s -> %s\n" % (envelope.mail_from, ",".join(envelope.rcpt_tos)))
            chown_tree()
            return "250 2.0.0 Ok: queued"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and a.user is not None and
              auth_data.login == a.user.encode() and auth_data.password == a.password.encode())
        return AuthResult(success=ok, handled=False)

    kwargs = {}
    context = None
    if a.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.cert, a.key)
    if a.tls:
        kwargs["ssl_context"] = context
    elif a.starttls:
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = True
    if a.user:
        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = bool(a.starttls or a.tls)
        if a.mechanisms:
            keep = set(a.mechanisms.upper().split(","))
            kwargs["auth_exclude_mechanism"] = [m for m in ("PLAIN", "LOGIN") if m not in keep]
    if a.tls:
        kwargs["server_hostname"] = "localhost"
    controller = Controller(Handler(), hostname="127.0.0.1", port=a.port, **kwargs)
    controller.start()
    print("READY", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
