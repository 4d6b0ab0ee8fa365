#include "cli/mail_config.h"

#include <cstdlib>

#include "cli/secrets.h"
#include "engine/script/workflow_def.h"

namespace jimu::cli {

Result<mail::MailAccounts> load_mail_accounts(const Config& config,
                                              const std::string& secrets_path) {
  mail::MailAccounts accounts;
  for (const auto& [key, value] : config.values) {
    if (key.rfind("mail.", 0) != 0) continue;
    std::string name = key.substr(5, key.rfind('.') - 5);
    accounts[name].name = name;
  }
  bool need_secrets = false;
  for (auto& [name, a] : accounts) {
    std::string section = "mail." + name;
    auto where = [&](const std::string& k) {
      auto it = config.lines.find(section + "." + k);
      return config.path + ":" + std::to_string(it == config.lines.end() ? 0 : it->second) + ": ";
    };
    auto get = [&](const std::string& k) { return config.get(section + "." + k); };
    a.host = get("host");
    if (a.host.empty()) return Status::parse(where("host") + "[" + section + "] needs host = ...");
    if (std::string text = get("port"); !text.empty()) {
      char* end = nullptr;  // points into text, which must outlive it
      long port = std::strtol(text.c_str(), &end, 10);
      if (*end != '\0' || port < 1 || port > 65535) {
        return Status::parse(where("port") + "port must be a number from 1 to 65535, not '" + text +
                             "'");
      }
      a.port = static_cast<int>(port);
    }
    std::string security = get("security");
    if (security.empty() || security == "starttls")
      a.security = mail::Security::kStartTls;
    else if (security == "tls")
      a.security = mail::Security::kTls;
    else if (security == "none")
      a.security = mail::Security::kNone;
    else
      return Status::parse(where("security") + "security must be none, starttls or tls, not '" +
                           security + "'");
    std::string verify = get("verify").empty() ? "true" : get("verify");
    if (verify == "true" || verify == "yes")
      a.verify = true;
    else if (verify == "false" || verify == "no")
      a.verify = false;
    else
      return Status::parse(where("verify") + "verify must be true or false, not '" + verify + "'");
    a.protocol = get("protocol").empty() ? "imap" : get("protocol");
    if (a.protocol != "imap" && a.protocol != "pop3") {
      return Status::parse(where("protocol") + "protocol must be imap or pop3, not '" + a.protocol +
                           "'");
    }
    if (!get("folder").empty()) a.folder = get("folder");
    if (!get("timeout").empty()) {
      auto s = parse_duration_seconds(get("timeout"));
      if (!s)
        return Status::parse(where("timeout") + "expected a duration like 30s or 2m, not '" +
                             get("timeout") + "'");
      a.timeout_s = *s;
    }
    a.user = get("user");
    a.from = get("from");
    a.ca_file = get("ca_file");
    need_secrets = need_secrets || !a.user.empty();
  }
  if (need_secrets) {
    auto secrets = read_secrets(secrets_path);
    if (!secrets) return secrets.status();
    for (auto& [name, a] : accounts) {
      auto it = secrets->find("mail." + name);
      if (it != secrets->end()) a.password = it->second;
    }
  }
  return accounts;
}

}  // namespace jimu::cli
