// MailAccount: one configured mail server account ([mail.NAME] in jimu.conf, password from the
// secrets file), as the composition root hands it to the mail connector. Value type.
#pragma once

#include <map>
#include <string>

namespace jimu::mail {

enum class Security { kNone, kStartTls, kTls };

struct MailAccount {
  std::string name;  // the NAME of [mail.NAME]
  std::string host;  // required
  int port = 0;      // 0: the protocol's default for the security (587/465/25, 993/143, 995/110)
  Security security = Security::kStartTls;
  std::string user;               // empty: no authentication
  std::string password;           // from the secrets file, never from jimu.conf
  std::string from;               // default sender ("総務課 <somu@example.lg.jp>")
  std::string ca_file;            // extra trusted CA certificates (PEM)
  bool verify = true;             // check the server's certificate and host name
  std::string protocol = "imap";  // for receiving: imap | pop3
  std::string folder = "INBOX";   // default folder for receiving (IMAP)
  double timeout_s = 30;          // connect and each reply
};

// The accounts by name. The Lua module keeps a borrowed pointer (LuaModule::context).
using MailAccounts = std::map<std::string, MailAccount>;

}  // namespace jimu::mail
