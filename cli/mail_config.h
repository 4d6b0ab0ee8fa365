// Mail accounts from jimu.conf's [mail.NAME] sections, with their passwords from the secrets file
// (the secret named mail.NAME). The composition root hands the result to the jimu.mail module.
#pragma once

#include <string>

#include "cli/config.h"
#include "connectors/mail/mail_account.h"
#include "engine/core/status.h"

namespace jimu::cli {

// Validates every [mail.NAME] section (errors name file:line). The secrets file is read only
// when some account has a user; an account whose secret is missing gets an empty password.
Result<mail::MailAccounts> load_mail_accounts(const Config& config,
                                              const std::string& secrets_path);

}  // namespace jimu::cli
