-- 受信メールの添付ファイル整理: files the attachments of incoming requests into folders.
--
-- Started by `jimu poll samples/mail-filing/mail-filing.lua` (from cron or a timer) once per new
-- message in the inbox whose subject contains 【. The subject's bracketed tag chooses the folder
-- (【申請】 -> 申請/, 【報告】 -> 報告/, anything else -> その他/) under params.dest, which must be
-- a folder jimu.conf lets workflows write ([files] write = ...). The message is moved to 処理済
-- once filed; a run that fails is retried by the next poll, twice at most, then moved to 要確認.
return jimu.workflow {
  id = "mail-filing",
  name = "受信メールの添付ファイル整理",
  params = { dest = "filed" },
  trigger = {
    mail = { account = "inbox", subject = "【", move_to = "処理済", attempts = 2,
             failed_folder = "要確認" },
  },

  run = function(ctx)
    local m = ctx.message
    local tag = m.subject:match("【(.-)】")
    local folder = (tag == "申請" or tag == "報告") and tag or "その他"
    if #m.attachments == 0 then
      jimu.log.warn("添付ファイルがありません: %s (%s)", m.subject, m.from)
      return
    end
    for _, a in ipairs(m.attachments) do
      -- The sender chose a.name ("../../x" is possible): file under the safe name jimu saved it as.
      local safe = a.path:match("[^/]+$")
      -- Never overwrite a filed document: add -1, -2, ... before the extension.
      local stem, ext = safe:match("^(.-)(%.[^.]*)$")
      stem, ext = stem or safe, ext or ""
      local target = ("%s/%s/%s%s"):format(ctx.params.dest, folder, stem, ext)
      local n = 0
      while jimu.fs.exists(target) do
        n = n + 1
        target = ("%s/%s/%s-%d%s"):format(ctx.params.dest, folder, stem, n, ext)
      end
      assert(jimu.fs.write(target, assert(jimu.fs.read(a.path))))
      jimu.log.info("%s -> %s", a.name, target)
      ctx:processed(1)
    end
  end,
}
