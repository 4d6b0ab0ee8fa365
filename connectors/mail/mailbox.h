// Mailbox: reading a mail account's folder over IMAP (libcurl; Poco has no IMAP) or POP3 (Poco).
//
// Messages are named by UID: the IMAP UID within the folder's UIDVALIDITY, or the POP3 UIDL.
// IMAP: list (all or unseen), fetch, mark seen, move (MOVE, or COPY + \Deleted + EXPUNGE when the
// server lacks MOVE; the target folder is created when missing), delete. Folder names may be
// Japanese (sent in modified UTF-7). POP3 has no flags and no folders: mark_seen does nothing,
// move is refused (invalid), delete takes effect when the session closes.
// Failures use the codes of smtp_sender.h (refused, timeout, auth, rejected, not_found, io).
// A Mailbox holds one connection and is used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connectors/mail/mail_account.h"
#include "engine/core/status.h"

namespace jimu::mail {

class Mailbox {
 public:
  virtual ~Mailbox() = default;
  // UIDs in ascending order (oldest first).
  virtual Result<std::vector<std::string>> list(bool unseen_only) = 0;
  // The raw message. Leaves an unseen IMAP message unseen.
  virtual Result<std::string> fetch(const std::string& uid) = 0;
  virtual Status mark_seen(const std::string& uid) = 0;
  virtual Status move(const std::string& uid, const std::string& folder) = 0;
  virtual Status remove(const std::string& uid) = 0;
  // IMAP: the folder's UIDVALIDITY; POP3: "" (UIDL values are meant to be stable).
  virtual Result<std::string> uid_validity() = 0;
  // Ends the session (POP3: commits deletions).
  virtual Status close() = 0;
};

// Connects and logs in. folder is used by IMAP (the account's folder when empty).
Result<std::unique_ptr<Mailbox>> open_mailbox(const MailAccount& account,
                                              const std::string& folder);

// IMAP's modified UTF-7 (RFC 3501 5.1.3) for a UTF-8 folder name: "処理済" -> "&R26QBm4I-".
std::string imap_utf7(const std::string& utf8);

}  // namespace jimu::mail
