// Sending a composed message over SMTP with Poco: plain, STARTTLS or implicit TLS, certificate
// and host-name checks (an extra CA file may be given), AUTH PLAIN or LOGIN.
//
// The message is reported sent only when the server accepted it (250 after DATA). Failures carry
// distinct codes: refused (nothing listens), timeout (no answer in time), auth (credentials
// refused, or the server demands authentication none is configured for), rejected (a recipient
// or the message refused, TLS required by the server, STARTTLS not offered, or the TLS handshake
// or certificate check failed), not_found (unknown host), io (the connection broke).
// One call, one connection; thread-safe (no shared state besides OpenSSL's initialisation).
#pragma once

#include "connectors/mail/mail_account.h"
#include "connectors/mail/mail_compose.h"
#include "engine/core/status.h"

namespace jimu::mail {

Status send_mail(const MailAccount& account, const ComposedMail& mail);

// The port used when the account gives none.
int default_smtp_port(Security security);

}  // namespace jimu::mail
