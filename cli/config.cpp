#include "cli/config.h"

#include <fstream>
#include <regex>

namespace jimu::cli {

const char* const kDefaultConfig = R"(; jimu configuration (INI). Lines starting with ';' or '#' are comments.
; Relative paths are relative to this file's folder.

[files]
; Folders workflows may read besides their own folder, separated by ';'.
read =
; Folders workflows may write besides each run's output folder, separated by ';'.
; (Dry runs write only to their scratch folder.)
write =

[limits]
; Memory one run's Lua state may use, in MB.
memory_mb = 512
; Time limit of a run that declares no timeout, and the most any workflow may ask for.
timeout = 1h
max_timeout = 24h

[approval]
; Business days after a step's due date before its reminder becomes an escalation.
; (Kept before [kpi]: appended KPI targets land in [kpi].)
escalate_after_days = 2

[kpi]
; Which kinds of operation count: rpa, ai, other_ict (the plans differ).
kinds = rpa, ai, other_ict
; Baselines and targets shown beside the figures. A target for one fiscal year
; only is written with the year: operations.target.2026 = 8
; operations.baseline = 3
; operations.target = 11
; hours_saved.target = 1000
; Rates in percent: approval_rate (電子決裁率), receipt_rate (収受文書のペーパーレス化).
; approval_rate.target = 100

[calendar]
; The office's own closing days besides weekends, national holidays and the
; year-end closure (Dec 29 - Jan 3), separated by ';': closed = 2026-08-14; 2026-08-15
closed =
; Whether December 29 to January 3 is closed (yes or no).
government_closure = yes

[store]
; Where jimu records runs, approvals and the audit trail. Empty: the embedded SQLite file
; jimu.db in this folder. sqlite:PATH for another file (relative to this folder), or a shared
; PostgreSQL database for several jimu nodes: postgresql://USER@HOST:PORT/DATABASE
; (the password is not written here: store it with  jimu secret set store.password).
; Move an existing store with  jimu store migrate --from sqlite:jimu.db --to postgresql://...
url =

[serve]
; jimu serve: how many runs may run at once (across all nodes sharing the store).
max_runs = 4
; After SIGTERM, how long running runs may take to finish before they are stopped
; and recorded as interrupted.
grace = 5m
; A running job whose node has not renewed it for this long was lost with its node.
lease = 30s
; How often the daemon looks at the store for changes other processes made (a
; `jimu schedule` command on this machine wakes it at once).
poll = 30s
; The [mail.NAME] account that tells a workflow's owner about its final failure.
; mail_account = notice
; The time zone of the schedules: Asia/Tokyo (default), UTC or UTC+HH:MM.
timezone = Asia/Tokyo
; This daemon's name among the nodes sharing a PostgreSQL store (default HOST:HOME).
; node = node1

[web]
; The web pages (jimu web, jimu serve): the address they listen on. 127.0.0.1 keeps them on
; this machine; an office network needs its own address (and TLS).
listen = 127.0.0.1:8470
; HTTPS: a PEM certificate (chain) and its private key; both, or neither for plain HTTP.
tls_cert =
tls_key =
; How long a login lasts, in hours.
session_hours = 8

; Mail accounts, one section each, named in workflows as account = "NAME".
; security is none, starttls (default) or tls; port defaults to 587 / 465 / 25 for sending,
; 143 / 993 for IMAP, 110 / 995 for POP3. The password is not written here: store it with
;   jimu secret set mail.NAME
; ca_file adds trusted certificates; verify = false turns the certificate check off.
; protocol (imap or pop3) and folder are for receiving.
; [mail.NAME]
; host = smtp.example.lg.jp
; port = 587
; security = starttls
; user = somu
; from = 総務課 <somu@example.lg.jp>
; ca_file = /etc/jimu/ca.pem
; protocol = imap
; folder = INBOX
; timeout = 30s
)";

namespace {

const std::map<std::string, std::regex>& known_keys() {
  static const std::map<std::string, std::regex> keys = {
      {"store", std::regex("url")},
      {"files", std::regex("read|write")},
      {"limits", std::regex("memory_mb|timeout|max_timeout")},
      {"kpi", std::regex("kinds|(operations|runs|items|hours_saved|approval_rate|receipt_rate)\\.(baseline|target)(\\.[0-9]{4})?")},
      {"calendar", std::regex("closed|government_closure")},
      {"approval", std::regex("escalate_after_days")},
      {"serve", std::regex("max_runs|grace|lease|poll|mail_account|timezone|node")},
      {"web", std::regex("listen|tls_cert|tls_key|session_hours")},
  };
  return keys;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::string Config::get(const std::string& key, const std::string& fallback) const {
  auto it = values.find(key);
  return it == values.end() || it->second.empty() ? fallback : it->second;
}

std::vector<std::string> Config::list(const std::string& key) const {
  std::vector<std::string> out;
  std::string v = get(key);
  size_t start = 0;
  while (start <= v.size()) {
    size_t end = v.find_first_of(";,", start);
    if (end == std::string::npos) end = v.size();
    std::string item = trim(v.substr(start, end - start));
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

Result<Config> load_config(const std::string& path) {
  Config c;
  c.path = path;
  std::ifstream in(path);
  if (!in) return c;  // no file: defaults
  std::string line, section;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (n == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    std::string t = trim(line);
    if (t.empty() || t[0] == ';' || t[0] == '#') continue;
    std::string where = path + ":" + std::to_string(n) + ": ";
    if (t[0] == '[') {
      if (t.back() != ']') return Status::parse(where + "a section header must end with ']'");
      section = trim(t.substr(1, t.size() - 2));
      if (section.rfind("mail.", 0) == 0) {
        // [mail.NAME]: one mail account (its password lives in the secrets file).
        if (!std::regex_match(section.substr(5), std::regex("[A-Za-z0-9_-]{1,64}"))) {
          return Status::parse(where + "a mail account name may hold letters, digits, '-' and '_' only: [" +
                               section + "]");
        }
        continue;
      }
      if (!known_keys().count(section)) {
        return Status::parse(where + "unknown section [" + section +
                             "] (known: files, limits, kpi, calendar, approval, store, serve, web, "
                             "mail.NAME)");
      }
      continue;
    }
    auto eq = t.find('=');
    if (eq == std::string::npos) return Status::parse(where + "expected 'key = value'");
    if (section.empty()) return Status::parse(where + "'" + t + "' is outside any [section]");
    std::string key = trim(t.substr(0, eq));
    if (section.rfind("mail.", 0) == 0) {
      if (key == "password" || key == "pass" || key == "secret") {
        return Status::parse(where + "passwords do not belong in jimu.conf: store it with 'jimu secret set " +
                             section + "'");
      }
      static const std::regex kMailKeys(
          "host|port|security|user|from|ca_file|verify|protocol|folder|timeout");
      if (!std::regex_match(key, kMailKeys)) {
        return Status::parse(where + "unknown key '" + key + "' in [" + section +
                             "] (known: host, port, security, user, from, ca_file, verify, protocol, "
                             "folder, timeout)");
      }
    } else if (!std::regex_match(key, known_keys().at(section))) {
      return Status::parse(where + "unknown key '" + key + "' in [" + section + "]");
    }
    c.values[section + "." + key] = trim(t.substr(eq + 1));
    c.lines[section + "." + key] = n;
  }
  return c;
}

}  // namespace jimu::cli
