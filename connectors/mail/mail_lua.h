// jimu.mail: send and fetch e-mail from workflows (scripts/reference/mail.md).
// Register with LuaModule{"mail", &open_mail_module, &accounts}, where accounts is a
// jimu::mail::MailAccounts that outlives every host (the composition root owns it).
#pragma once

struct lua_State;

namespace jimu {
int open_mail_module(lua_State* L);
}
