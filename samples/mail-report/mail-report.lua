-- 口座振替結果の朝の報告: mails last night's direct-debit results to the division, with the
-- exceptions (振替不能) as a CSV attachment that Excel opens directly.
--
-- Reads the result file the bank's batch left overnight (UTF-8 CSV: 口座番号, 氏名, 税目, 金額,
-- 結果), writes the rows that were not debited to 振替不能一覧.csv (UTF-8 with BOM, CRLF) and sends
-- it with a short summary through the account [mail.out] of jimu.conf. Try it with --dry-run:
-- the mail is then written as mail-001.eml in the run's output folder instead of being sent.
return jimu.workflow {
  id = "mail-report",
  name = "口座振替結果の朝の報告",
  params = {
    input = "in/furikae-kekka.csv",
    to = "税務課 収納係 <shuno@example.lg.jp>",
    account = "out",
  },
  timeout = "5m",

  run = function(ctx)
    local text = assert(jimu.fs.read(ctx.params.input))
    local ok_count, failed, line_no = 0, {}, 0
    for line in text:gmatch("([^\n]*)\n?") do
      line_no = line_no + 1
      line = line:gsub("\r$", "")
      if line_no > 1 and line ~= "" then
        local account, name, tax, amount, result = line:match("^([^,]*),([^,]*),([^,]*),([^,]*),([^,]*)$")
        assert(account, ctx.params.input .. ":" .. line_no .. ": expected 5 fields")
        if result == "振替済" then
          ok_count = ok_count + 1
        else
          failed[#failed + 1] = table.concat({ account, name, tax, amount, result }, ",")
        end
        ctx:processed(1)
      end
    end

    local csv = "\xEF\xBB\xBF口座番号,氏名,税目,金額,結果\r\n" .. table.concat(failed, "\r\n") .. "\r\n"
    local attachment = ctx:out("振替不能一覧.csv")
    assert(jimu.fs.write(attachment, csv))

    local body = ("各位\n\n昨夜の口座振替の結果をお知らせします。\n\n"
      .. "  振替済: %d 件\n  振替不能: %d 件（添付の一覧をご確認ください）\n\n"
      .. "このメールは jimu が自動で送信しています。\n"):format(ok_count, #failed)
    assert(jimu.mail.send {
      account = ctx.params.account,
      to = ctx.params.to,
      subject = ("【口座振替】結果報告 振替不能 %d 件"):format(#failed),
      body = body,
      attachments = { attachment },
    })
    jimu.log.info("報告を送信しました: 振替済 %d 件, 振替不能 %d 件", ok_count, #failed)
  end,
}
