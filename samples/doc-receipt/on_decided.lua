-- 決裁結果の再取込ファイル: when a received document's route ends, writes the XML the
-- document-management system re-imports (Shift_JIS, as those systems expect): the decision, the
-- route with each step's approvers and decisions, and the history of who did what.
local RESULT = { approved = "承認", rejected = "否決", withdrawn = "取下げ" }

return jimu.workflow {
  id = "doc-receipt-decided",
  name = "決裁結果の再取込ファイル作成",
  params = { document = "", outcome = "" },

  run = function(ctx)
    local st = assert(jimu.approval.status(ctx.params.document))
    local last = st.history[#st.history]

    local steps = {}
    for no, s in ipairs(st.steps) do
      local approvers = {}
      for _, a in ipairs(s.approvers) do
        approvers[#approvers + 1] = { tag = "approver",
          attrs = { { "id", a.approver }, { "decision", a.decision } } }
      end
      steps[#steps + 1] = { tag = "step",
        attrs = { { "order", no }, { "mode", s.mode }, { "state", s.state },
                  { "decides", s.decides } },
        children = approvers }
    end
    local events = {}
    for _, e in ipairs(st.history) do
      local attrs = { { "at", e.at }, { "actor", e.actor }, { "action", e.action },
                      { "step", e.step } }
      if e.on_behalf_of then attrs[#attrs + 1] = { "on_behalf_of", e.on_behalf_of } end
      events[#events + 1] = { tag = "event", attrs = attrs, text = e.comment }
    end

    local file = ctx:out("reimport-" .. st.id .. ".xml")
    assert(jimu.xml.write(file, {
      tag = "reimport", attrs = { { "system", "jimu" }, { "kind", "決裁結果" } },
      children = {
        { tag = "document", attrs = { { "id", st.id } }, children = {
          { tag = "title", text = st.title },
          { tag = "division", text = st.division },
          { tag = "decision",
            attrs = { { "result", ctx.params.outcome }, { "method", "electronic" },
                      { "decided_at", last.at } },
            text = RESULT[ctx.params.outcome] or ctx.params.outcome },
          { tag = "route", children = steps },
          { tag = "history", children = events },
        } },
      },
    }, { encoding = "shift_jis" }))
    jimu.log.info("%s: %s, re-import file %s", st.id, ctx.params.outcome, file)
  end,
}
