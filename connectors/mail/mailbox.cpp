// The only file that includes libcurl and Poco's POP3 classes.
#include "connectors/mail/mailbox.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <sstream>

#include "Poco/Net/Context.h"
#include "Poco/Net/DialogSocket.h"
#include "Poco/Net/NetException.h"
#include "Poco/Net/NetSSL.h"
#include "Poco/Net/POP3ClientSession.h"
#include "Poco/Net/SSLException.h"
#include "Poco/Net/SecureStreamSocket.h"
#include "Poco/Net/SocketAddress.h"
#include "Poco/Net/StreamSocket.h"

namespace jimu::mail {
namespace {

bool mentions(const std::string& text, const char* word) {
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find(word) != std::string::npos;
}

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// ---- IMAP over libcurl --------------------------------------------------------------------------

size_t collect(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::string url_path_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || std::strchr("-._~&,+", c)) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string imap_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// The keyword a message carries while fetch has it marked \Seen against its will.
constexpr const char* kFetching = "$JimuFetching";

class ImapMailbox final : public Mailbox {
 public:
  ImapMailbox(const MailAccount& a, const std::string& folder) : a_(a), folder_(folder) {
    int port = a.port > 0 ? a.port : (a.security == Security::kTls ? 993 : 143);
    base_ = std::string(a.security == Security::kTls ? "imaps://" : "imap://") + a.host + ":" +
            std::to_string(port) + "/";
    where_ = base_ + folder + ": ";
    curl_ = curl_easy_init();
  }
  ~ImapMailbox() override {
    if (curl_) curl_easy_cleanup(curl_);
  }

  Status login() {
    if (!curl_) return Status::internal("libcurl could not be initialised");
    auto r = perform(folder_url(), "NOOP");
    return r ? Status::ok() : r.status();
  }

  Result<std::vector<std::string>> list(bool unseen_only) override {
    // A message caught between fetch's BODY[] and the restoring of its flag (the process died)
    // is seen but still carries the keyword: it counts as unseen, so it is never skipped.
    auto r =
        perform(folder_url(), unseen_only ? "UID SEARCH OR UNSEEN KEYWORD " + std::string(kFetching)
                                          : std::string("UID SEARCH ALL"));
    if (!r) return r.status();
    std::vector<std::pair<unsigned long, std::string>> uids;
    std::istringstream in(*r);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("* SEARCH", 0) != 0) continue;
      std::istringstream words(line.substr(8));
      std::string w;
      while (words >> w) {
        if (!w.empty() && std::all_of(w.begin(), w.end(), ::isdigit))
          uids.push_back({std::stoul(w), w});
      }
    }
    std::sort(uids.begin(), uids.end());
    std::vector<std::string> out;
    for (auto& [n, s] : uids) out.push_back(s);
    return out;
  }

  Result<std::string> fetch(const std::string& uid) override {
    // libcurl fetches with BODY[] (not BODY.PEEK[], and it drops the literal of a custom FETCH),
    // which sets \Seen: note whether it was seen and put the flag back afterwards, so fetching
    // never marks a message by itself. The keyword kFetching is set for the moment between, and
    // cleared with \Seen in one STORE, so a crash in between leaves the message listed as unseen.
    auto seen = perform(folder_url(), "UID SEARCH UID " + uid + " SEEN UNKEYWORD " + kFetching);
    if (!seen) return seen.status();
    bool was_seen = false;
    std::istringstream words(*seen);
    for (std::string w; words >> w;) was_seen = was_seen || w == uid;  // "* SEARCH 12": exact UID
    if (!was_seen) {
      // Best effort: a server without keywords just leaves the (short) window open.
      (void)perform(folder_url(), "UID STORE " + uid + " +FLAGS.SILENT (" + kFetching + ")");
    }
    auto r = perform(folder_url() + ";UID=" + uid, nullptr);
    if (!r) return r.status();
    if (r->empty()) return Status::not_found(where_ + "no message with UID " + uid);
    if (!was_seen) {
      auto unflag =
          perform(folder_url(), "UID STORE " + uid + " -FLAGS.SILENT (\\Seen " + kFetching + ")");
      if (!unflag) return unflag.status();
    }
    return r;
  }

  Status mark_seen(const std::string& uid) override {
    (void)perform(folder_url(),
                  "UID STORE " + uid + " -FLAGS.SILENT (" + std::string(kFetching) + ")");
    auto r = perform(folder_url(), "UID STORE " + uid + " +FLAGS.SILENT (\\Seen)");
    return r ? Status::ok() : r.status();
  }

  Status move(const std::string& uid, const std::string& folder) override {
    (void)perform(folder_url(),
                  "UID STORE " + uid + " -FLAGS.SILENT (" + std::string(kFetching) + ")");
    std::string target = imap_quote(imap_utf7(folder));
    (void)perform(base_, "CREATE " + target);  // fails harmlessly when it exists
    auto moved = perform(folder_url(), "UID MOVE " + uid + " " + target);
    if (moved) return Status::ok();
    auto copied = perform(folder_url(), "UID COPY " + uid + " " + target);
    if (!copied) return copied.status().with_prefix("moving UID " + uid + " to '" + folder + "'");
    return remove(uid);
  }

  Status remove(const std::string& uid) override {
    auto r = perform(folder_url(), "UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)");
    if (!r) return r.status();
    auto x = perform(folder_url(), "UID EXPUNGE " + uid);
    if (!x) x = perform(folder_url(), "EXPUNGE");
    return x ? Status::ok() : x.status();
  }

  Result<std::string> uid_validity() override {
    auto r = perform(base_, "STATUS " + imap_quote(imap_utf7(folder_)) + " (UIDVALIDITY)");
    if (!r) return r.status();
    size_t p = r->find("UIDVALIDITY ");
    if (p == std::string::npos) return Status::parse(where_ + "no UIDVALIDITY in the STATUS reply");
    p += 12;
    size_t e = r->find_first_not_of("0123456789", p);
    return r->substr(p, e == std::string::npos ? std::string::npos : e - p);
  }

  Status close() override { return Status::ok(); }

 private:
  std::string folder_url() const { return base_ + url_path_escape(imap_utf7(folder_)); }

  Result<std::string> perform(const std::string& url, const char* custom) {
    return perform(url, custom ? std::string(custom) : std::string(), custom != nullptr);
  }
  Result<std::string> perform(const std::string& url, const std::string& custom) {
    return perform(url, custom, true);
  }
  Result<std::string> perform(const std::string& url, const std::string& custom, bool has_custom) {
    std::string out;
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, has_custom ? custom.c_str() : nullptr);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_USERNAME, a_.user.c_str());
    curl_easy_setopt(curl_, CURLOPT_PASSWORD, a_.password.c_str());
    curl_easy_setopt(curl_, CURLOPT_USE_SSL,
                     a_.security == Security::kStartTls ? static_cast<long>(CURLUSESSL_ALL)
                                                        : static_cast<long>(CURLUSESSL_NONE));
    if (!a_.ca_file.empty()) curl_easy_setopt(curl_, CURLOPT_CAINFO, a_.ca_file.c_str());
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, a_.verify ? 1L : 0L);
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, a_.verify ? 2L : 0L);
    long ms = static_cast<long>(a_.timeout_s * 1000);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, ms);
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, std::max(1L, ms / 1000));
    CURLcode rc = curl_easy_perform(curl_);
    if (rc == CURLE_OK) return out;
    std::string detail = error[0] ? error : curl_easy_strerror(rc);
    std::string what =
        has_custom ? custom.substr(0, custom.find(' ', custom.find(' ') + 1)) : "FETCH";
    switch (rc) {
      case CURLE_COULDNT_CONNECT:
        return Status::refused(where_ + "connection refused (is the mail server running?)");
      case CURLE_OPERATION_TIMEDOUT:
        return Status::timeout(where_ + "no answer within " + std::to_string(ms / 1000) + " s");
      case CURLE_LOGIN_DENIED:
        return Status::auth(where_ + "login as '" + a_.user + "' failed");
      case CURLE_COULDNT_RESOLVE_HOST:
        return Status::not_found(where_ + "host not found");
      case CURLE_USE_SSL_FAILED:
        return Status::rejected(where_ +
                                "the server does not offer STARTTLS (security = starttls)");
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_SSL_CACERT_BADFILE:
        return Status::rejected(where_ + "TLS failed: " + detail);
      case CURLE_REMOTE_FILE_NOT_FOUND:
        return Status::not_found(where_ + "folder or message not found: " + detail);
      case CURLE_QUOTE_ERROR:
      case CURLE_REMOTE_ACCESS_DENIED:
        return Status::rejected(where_ + what + " refused by the server: " + detail);
      default:
        if (mentions(detail, "select"))
          return Status::not_found(where_ + "no such folder (" + detail + ")");
        return Status::io(where_ + what + " failed: " + detail);
    }
  }

  MailAccount a_;
  std::string folder_;
  std::string base_;
  std::string where_;
  CURL* curl_ = nullptr;
};

// ---- POP3 over Poco -----------------------------------------------------------------------------

using Poco::Net::Context;

Context::Ptr tls_context(const MailAccount& a) {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
  return new Context(Context::TLS_CLIENT_USE, "", "", a.ca_file,
                     a.verify ? Context::VERIFY_RELAXED : Context::VERIFY_NONE, 9, true,
                     "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH");
}

class Pop3Mailbox final : public Mailbox {
 public:
  explicit Pop3Mailbox(const MailAccount& a) : a_(a) {
    port_ = a.port > 0 ? a.port : (a.security == Security::kTls ? 995 : 110);
    where_ = std::string(a.security == Security::kTls ? "pop3s://" : "pop3://") + a.host + ":" +
             std::to_string(port_) + ": ";
  }

  Status login() {
    return guard("logging in", [&]() -> Status {
      Poco::Timespan timeout(static_cast<Poco::Timespan::TimeDiff>(a_.timeout_s * 1e6));
      Poco::Net::SocketAddress addr(a_.host, static_cast<Poco::UInt16>(port_));
      Poco::Net::StreamSocket sock;
      if (a_.security == Security::kTls) {
        Poco::Net::SecureStreamSocket tls(tls_context(a_));
        tls.setPeerHostName(a_.host);
        tls.connect(addr, timeout);
        tls.completeHandshake();
        sock = tls;
      } else {
        sock.connect(addr, timeout);
      }
      sock.setReceiveTimeout(timeout);
      sock.setSendTimeout(timeout);
      // The greeting (and STLS) are read here, not by Poco's login(), so STARTTLS can come first.
      Poco::Net::DialogSocket dialog(sock);
      std::string response;
      dialog.receiveMessage(response);
      if (response.rfind("+OK", 0) != 0)
        return Status::rejected(where_ + "not ready: " + one_line(response));
      if (a_.security == Security::kStartTls) {
        dialog.sendMessage("STLS");
        dialog.receiveMessage(response);
        if (response.rfind("+OK", 0) != 0) {
          return Status::rejected(
              where_ + "the server does not offer STARTTLS (STLS): " + one_line(response));
        }
        Poco::Net::SecureStreamSocket tls =
            Poco::Net::SecureStreamSocket::attach(sock, a_.host, tls_context(a_));
        tls.completeHandshake();
        sock = tls;
      }
      session_ = std::make_unique<Poco::Net::POP3ClientSession>(sock);
      session_->setTimeout(timeout);
      if (!session_->sendCommand("USER", a_.user, response) ||
          !session_->sendCommand("PASS", a_.password, response)) {
        if (mentions(response, "plaintext") || mentions(response, "tls")) {
          return Status::rejected(where_ + "the server allows login only over TLS (" +
                                  one_line(response) + "): set security = starttls or tls");
        }
        return Status::auth(where_ + "login as '" + a_.user + "' failed: " + one_line(response));
      }
      return Status::ok();
    });
  }

  Result<std::vector<std::string>> list(bool unseen_only) override {
    std::vector<std::string> out;
    Status s = guard("listing", [&]() -> Status {
      Poco::Net::POP3ClientSession::MessageInfoVec infos;
      session_->listMessages(infos);
      ids_.clear();
      for (const auto& info : infos) {
        std::string response;
        if (!session_->sendCommand("UIDL", std::to_string(info.id), response)) {
          return Status::rejected(where_ + "UIDL refused: " + one_line(response));
        }
        std::istringstream in(response);
        std::string ok, n, uid;
        in >> ok >> n >> uid;
        ids_[uid] = info.id;
        out.push_back(uid);
      }
      return Status::ok();
    });
    if (!s) return s;
    return out;
  }

  Result<std::string> fetch(const std::string& uid) override {
    auto id = id_of(uid);
    if (!id) return id.status();
    std::string raw;
    Status s = guard("fetching", [&]() -> Status {
      std::ostringstream out;
      session_->retrieveMessage(*id, out);
      raw = out.str();
      return Status::ok();
    });
    if (!s) return s;
    return raw;
  }

  Status mark_seen(const std::string&) override { return Status::ok(); }

  Status move(const std::string&, const std::string& folder) override {
    return Status::invalid(where_ + "POP3 has no folders: moving to '" + folder +
                           "' needs an IMAP account (protocol = imap)");
  }

  Status remove(const std::string& uid) override {
    auto id = id_of(uid);
    if (!id) return id.status();
    return guard("deleting", [&]() -> Status {
      session_->deleteMessage(*id);
      return Status::ok();
    });
  }

  Result<std::string> uid_validity() override { return std::string(); }

  Status close() override {
    if (!session_) return Status::ok();
    return guard("closing", [&]() -> Status {
      session_->close();
      session_.reset();
      return Status::ok();
    });
  }

 private:
  Result<int> id_of(const std::string& uid) {
    if (ids_.empty()) {
      auto l = list(false);
      if (!l) return l.status();
    }
    auto it = ids_.find(uid);
    if (it == ids_.end()) return Status::not_found(where_ + "no message with UIDL " + uid);
    return it->second;
  }

  template <typename F>
  Status guard(const char* doing, F f) {
    try {
      return f();
    } catch (const Poco::Net::ConnectionRefusedException&) {
      return Status::refused(where_ + "connection refused (is the mail server running?)");
    } catch (const Poco::TimeoutException&) {
      return Status::timeout(where_ + "no answer within " +
                             std::to_string(static_cast<int>(a_.timeout_s)) + " s while " + doing);
    } catch (const Poco::Net::HostNotFoundException&) {
      return Status::not_found(where_ + "host not found");
    } catch (const Poco::Net::SSLException& e) {
      return Status::rejected(where_ + "TLS failed: " + e.displayText());
    } catch (const Poco::Exception& e) {
      std::string text = e.displayText();
      if (mentions(text, "timeout") || mentions(text, "timed out")) {
        return Status::timeout(where_ + "no answer in time while " + doing);
      }
      return Status::io(where_ + doing + " failed: " + text);
    } catch (const std::exception& e) {
      return Status::internal(where_ + doing + ": " + e.what());
    }
  }

  MailAccount a_;
  int port_ = 0;
  std::string where_;
  std::unique_ptr<Poco::Net::POP3ClientSession> session_;
  std::map<std::string, int> ids_;
};

}  // namespace

std::string imap_utf7(const std::string& utf8) {
  std::string out;
  std::u16string run;
  auto flush = [&]() {
    if (run.empty()) return;
    std::string bytes;
    for (char16_t u : run) {
      bytes.push_back(static_cast<char>(u >> 8));
      bytes.push_back(static_cast<char>(u & 0xFF));
    }
    static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
    std::string enc;
    unsigned acc = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
      acc = (acc << 8) | b;
      bits += 8;
      while (bits >= 6) {
        bits -= 6;
        enc.push_back(kB64[(acc >> bits) & 63]);
      }
    }
    if (bits > 0) enc.push_back(kB64[(acc << (6 - bits)) & 63]);
    out += "&" + enc + "-";
    run.clear();
  };
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    char32_t cp;
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (len == 1)
      cp = c;
    else if (len == 2)
      cp = c & 0x1F;
    else if (len == 3)
      cp = c & 0x0F;
    else
      cp = c & 0x07;
    for (size_t k = 1; k < len && i + k < utf8.size(); ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
    i += len;
    if (cp >= 0x20 && cp < 0x7F) {
      flush();
      out += cp == '&' ? std::string("&-") : std::string(1, static_cast<char>(cp));
    } else if (cp >= 0x10000) {
      cp -= 0x10000;
      run.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      run.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      run.push_back(static_cast<char16_t>(cp));
    }
  }
  flush();
  return out;
}

Result<std::unique_ptr<Mailbox>> open_mailbox(const MailAccount& account,
                                              const std::string& folder) {
  if (account.host.empty())
    return Status::invalid("mail account '" + account.name + "' has no host");
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (account.protocol == "pop3") {
    auto box = std::make_unique<Pop3Mailbox>(account);
    if (Status s = box->login(); !s) return s;
    return std::unique_ptr<Mailbox>(std::move(box));
  }
  if (account.protocol != "imap") {
    return Status::invalid("mail account '" + account.name +
                           "': protocol must be imap or pop3, not '" + account.protocol + "'");
  }
  auto box = std::make_unique<ImapMailbox>(account, folder.empty() ? account.folder : folder);
  if (Status s = box->login(); !s) return s;
  return std::unique_ptr<Mailbox>(std::move(box));
}

}  // namespace jimu::mail
