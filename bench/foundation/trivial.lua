-- The smallest real workflow: what `jimu run` costs from process start to exit.
return jimu.workflow { id = "trivial", name = "trivial", run = function(ctx) ctx:processed(1) end }
