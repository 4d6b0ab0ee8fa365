// The only file that includes Poco's SMTP and SSL classes. Poco's own sendMessage and login are
// not used: sendMessage(MailMessage) writes To/Cc itself (breaking encoded names) and login's AUTH
// LOGIN silently does nothing for some servers' challenges (DEPENDENCIES.md). The dialogue is
// driven with sendCommand, so every reply code can be mapped to a precise failure.
#include "connectors/mail/smtp_sender.h"

#include <unistd.h>

#include <memory>
#include <mutex>

#include "Poco/Net/Context.h"
#include "Poco/Net/DialogSocket.h"
#include "Poco/Net/NetException.h"
#include "Poco/Net/NetSSL.h"
#include "Poco/Net/SSLException.h"
#include "Poco/Net/SecureSMTPClientSession.h"
#include "Poco/Net/SecureStreamSocket.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/Net/StreamSocket.h"
#include "connectors/mail/mime_codec.h"

namespace jimu::mail {
namespace {

using Poco::Net::Context;

// Poco keeps the session's socket protected; the STARTTLS upgrade and the DATA transfer need it.
class Session final : public Poco::Net::SecureSMTPClientSession {
 public:
  explicit Session(const Poco::Net::StreamSocket& socket) : SecureSMTPClientSession(socket) {}
  using SMTPClientSession::socket;
};

void init_ssl_once() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

Context::Ptr tls_context(const MailAccount& a) {
  init_ssl_once();
  return new Context(Context::TLS_CLIENT_USE, "", "", a.ca_file,
                     a.verify ? Context::VERIFY_RELAXED : Context::VERIFY_NONE, 9, true,
                     "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH");
}

std::string local_hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

// The server's reply as one line: "550 5.1.1 <x@y>: Recipient address rejected".
std::string one_line(const std::string& response) {
  std::string out = response;
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

bool mentions(const std::string& text, const char* word) {
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find(word) != std::string::npos;
}

// A reply code from MAIL, RCPT or DATA that was not accepted.
Status refused_reply(const std::string& where, const std::string& what, int code,
                     const std::string& response) {
  std::string reply = one_line(response);
  if (code == 530 && mentions(reply, "starttls")) {
    return Status::rejected(where + "the server requires TLS (" + reply +
                            "): set security = starttls or tls for this account");
  }
  if (code == 530 || (code == 550 && mentions(reply, "authenticat"))) {
    return Status::auth(where + "the server requires authentication (" + reply +
                        "): set user for this account and its secret");
  }
  return Status::rejected(where + what + " refused by the server: " + reply);
}

class Dialogue {
 public:
  Dialogue(const MailAccount& a, const std::string& where) : a_(a), where_(where) {}

  Status run(const ComposedMail& mail) {
    Poco::Timespan timeout(static_cast<Poco::Timespan::TimeDiff>(a_.timeout_s * 1e6));
    int port = a_.port > 0 ? a_.port : default_smtp_port(a_.security);
    Poco::Net::SocketAddress addr(a_.host, static_cast<Poco::UInt16>(port));
    phase_ = "connecting";
    if (a_.security == Security::kTls) {
      Poco::Net::SecureStreamSocket sock(tls_context(a_));
      sock.setPeerHostName(a_.host);
      sock.connect(addr, timeout);
      sock.completeHandshake();
      session_ = std::make_unique<Session>(sock);
    } else {
      Poco::Net::StreamSocket sock;
      sock.connect(addr, timeout);
      session_ = std::make_unique<Session>(sock);
    }
    session_->setTimeout(timeout);
    phase_ = "waiting for the greeting";
    session_->open();
    std::string ehlo;
    if (Status s = hello(&ehlo); !s) return s;
    if (a_.security == Security::kStartTls) {
      if (!mentions(ehlo, "starttls")) {
        return Status::rejected(where_ +
                                "the server does not offer STARTTLS (security = starttls)");
      }
      std::string response;
      int code = session_->sendCommand("STARTTLS", response);
      if (code / 100 != 2) {
        return Status::rejected(where_ + "STARTTLS refused: " + one_line(response));
      }
      phase_ = "TLS handshake";
      Poco::Net::SecureStreamSocket tls =
          Poco::Net::SecureStreamSocket::attach(session_->socket(), a_.host, tls_context(a_));
      tls.completeHandshake();
      session_->socket() = tls;
      if (Status s = hello(&ehlo); !s) return s;
    }
    if (!a_.user.empty()) {
      if (Status s = authenticate(ehlo); !s) return s;
    }
    std::string response;
    phase_ = "sending";
    int code = session_->sendCommand("MAIL FROM:<" + mail.envelope_from + ">", response);
    if (code / 100 != 2)
      return refused_reply(where_, "sender <" + mail.envelope_from + ">", code, response);
    for (const auto& rcpt : mail.recipients) {
      code = session_->sendCommand("RCPT TO:<" + rcpt + ">", response);
      if (code / 100 != 2) return refused_reply(where_, "recipient <" + rcpt + ">", code, response);
    }
    code = session_->sendCommand("DATA", response);
    if (code != 354) return refused_reply(where_, "the message", code, response);
    std::string data = dot_stuff(mail.data);
    for (size_t done = 0; done < data.size();) {
      int n = session_->socket().sendBytes(
          data.data() + done, static_cast<int>(std::min<size_t>(data.size() - done, 1 << 20)));
      if (n <= 0) return Status::io(where_ + "the connection closed while sending the message");
      done += static_cast<size_t>(n);
    }
    code = session_->socket().receiveStatusMessage(response);
    if (code / 100 != 2) return refused_reply(where_, "the message", code, response);
    sent_ = true;
    try {
      session_->sendCommand("QUIT", response);
    } catch (...) {
      // The message is accepted; a failed goodbye changes nothing.
    }
    return Status::ok();
  }

  const char* phase() const { return phase_; }
  bool sent() const { return sent_; }

 private:
  Status hello(std::string* ehlo) {
    phase_ = "greeting";
    std::string response;
    int code = session_->sendCommand("EHLO", local_hostname(), response);
    if (code / 100 != 2) {
      code = session_->sendCommand("HELO", local_hostname(), response);
      if (code / 100 != 2) return Status::rejected(where_ + "HELO refused: " + one_line(response));
    }
    *ehlo = response;
    return Status::ok();
  }

  Status authenticate(const std::string& ehlo) {
    phase_ = "authenticating";
    std::string response;
    std::string auth_line;
    for (size_t p = 0; p < ehlo.size();) {
      size_t nl = ehlo.find('\n', p);
      std::string line = ehlo.substr(p, nl == std::string::npos ? std::string::npos : nl - p);
      if (mentions(line.substr(0, std::min<size_t>(line.size(), 10)), "auth")) auth_line = line;
      p = nl == std::string::npos ? ehlo.size() : nl + 1;
    }
    int code = 0;
    if (auth_line.empty()) {
      return Status::rejected(where_ + "the server offers no authentication" +
                              (a_.security == Security::kNone
                                   ? " without TLS: set security = starttls or tls"
                                   : std::string(" (user is set for this account)")));
    }
    if (mentions(auth_line, "plain") || !mentions(auth_line, "login")) {
      std::string token = std::string(1, '\0') + a_.user + std::string(1, '\0') + a_.password;
      code = session_->sendCommand("AUTH PLAIN " + base64_encode(token, false), response);
      if (code == 334) code = session_->sendCommand(base64_encode(token, false), response);
    } else {
      code = session_->sendCommand("AUTH LOGIN", response);
      if (code == 334) code = session_->sendCommand(base64_encode(a_.user, false), response);
      if (code == 334) code = session_->sendCommand(base64_encode(a_.password, false), response);
    }
    if (code / 100 == 2) return Status::ok();
    if (code == 538 || (code == 530 && mentions(response, "tls"))) {
      return Status::rejected(where_ + "the server allows authentication only over TLS (" +
                              one_line(response) + "): set security = starttls or tls");
    }
    return Status::auth(where_ + "authentication as '" + a_.user +
                        "' failed: " + one_line(response));
  }

  static std::string dot_stuff(const std::string& data) {
    std::string out;
    out.reserve(data.size() + 64);
    bool line_start = true;
    for (char c : data) {
      if (line_start && c == '.') out.push_back('.');
      out.push_back(c);
      line_start = c == '\n';
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
    return out + ".\r\n";
  }

  const MailAccount& a_;
  std::string where_;
  const char* phase_ = "";
  bool sent_ = false;
  std::unique_ptr<Session> session_;
};

}  // namespace

int default_smtp_port(Security security) {
  switch (security) {
    case Security::kTls:
      return 465;
    case Security::kStartTls:
      return 587;
    default:
      return 25;
  }
}

Status send_mail(const MailAccount& account, const ComposedMail& mail) {
  int port = account.port > 0 ? account.port : default_smtp_port(account.security);
  std::string where = "smtp://" + account.host + ":" + std::to_string(port) + ": ";
  if (account.host.empty())
    return Status::invalid("mail account '" + account.name + "' has no host");
  Dialogue d(account, where);
  try {
    return d.run(mail);
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return Status::refused(where + "connection refused (is the mail server running?)");
  } catch (const Poco::TimeoutException&) {
    return Status::timeout(where + "no answer within " +
                           std::to_string(static_cast<int>(account.timeout_s)) + " s while " +
                           d.phase());
  } catch (const Poco::Net::HostNotFoundException& e) {
    return Status::not_found(where + "host not found");
  } catch (const Poco::Net::NoAddressFoundException& e) {
    return Status::not_found(where + "host has no address");
  } catch (const Poco::Net::CertificateValidationException& e) {
    return Status::rejected(where + "the server's certificate is not trusted: " + e.displayText());
  } catch (const Poco::Net::SSLException& e) {
    return Status::rejected(where + "TLS failed: " + e.displayText());
  } catch (const Poco::Exception& e) {
    std::string text = e.displayText();
    if (mentions(text, "timeout") || mentions(text, "timed out")) {
      return Status::timeout(where + "no answer within the time limit while " + d.phase());
    }
    if (mentions(text, "refused")) return Status::refused(where + "connection refused");
    return Status::io(where + "connection failed while " + d.phase() + ": " + text);
  } catch (const std::exception& e) {
    return Status::internal(where + e.what());
  }
}

}  // namespace jimu::mail
