// jimu.date and jimu.calendar end to end: a real LuaHost runs workflows that call the modules.
// Each script checks its own results with expect(actual, wanted), which raises naming both, so a
// failure shows which line of the script disagreed.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "connectors/date/calendar_lua.h"
#include "connectors/date/date_lua.h"
#include "engine/calendar/business_calendar.h"
#include "engine/core/clock.h"
#include "engine/script/lua_host.h"
#include "tests/support/temp_dir.h"

namespace jimu {
namespace {

class NullLog : public LogSink {
 public:
  void write(LogLevel, std::string_view) override {}
};

// Runs body inside a workflow's run(ctx); returns "" on success or the script's error message.
std::string run_lua(const std::string& body, const BusinessCalendar* calendar = nullptr,
                    const Clock* clock = nullptr) {
  testing::TempDir dir;
  std::string path = dir.write("wf.lua", R"(
local function expect(actual, wanted, what)
  if actual ~= wanted then
    error((what or "value") .. ": got " .. tostring(actual) .. ", wanted " .. tostring(wanted), 2)
  end
end
-- f calls the function under test in a non-tail position, so that Lua names it in the message.
local function raises(wanted, f)
  local ok, msg = pcall(f)
  if ok then error("expected an error: " .. wanted, 2) end
  msg = tostring(msg):gsub("^[%w%.]+:%d+: ", "")  -- the position of the call in wf.lua
  if msg ~= wanted then error("error: got <" .. msg .. ">, wanted <" .. wanted .. ">", 2) end
end
local function iso(d) return jimu.date.format(d, "iso") end
return jimu.workflow {
  id = "t", name = "t",
  run = function(ctx)
)" + body + R"(
  end,
})");
  FileAccessOptions fo;
  fo.base_dir = dir.path();
  FileAccess files(fo);
  NullLog log;
  LuaHostOptions options;
  options.modules = {{"date", &open_date_module, const_cast<Clock*>(clock)},
                     {"calendar", &open_calendar_module, const_cast<BusinessCalendar*>(calendar)}};
  options.services.files = &files;
  options.services.log = &log;
  auto host = LuaHost::create(options);
  REQUIRE(host.is_ok());
  auto load = (*host)->load_workflow(path, "wf.lua");
  for (const auto& p : load.problems) FAIL(p.to_string());
  RunSpec spec;
  spec.workflow_id = "t";
  spec.out_dir = dir.path();
  auto err = (*host)->run(spec);
  return err ? err->message : "";
}

TEST_CASE("jimu.date: parse gives a plain table and failures as nil, message, code",
          "[date_lua]") {
  CHECK(run_lua(R"lua(
    local d = jimu.date.parse("令和5年4月1日")
    expect(d.year, 2023) expect(d.month, 4) expect(d.day, 1)
    expect(getmetatable(d), nil, "metatable")
    expect(iso(jimu.date.parse("Ｒ５．４．１")), "2023-04-01")
    expect(iso(jimu.date.parse("S64.1.7")), "1989-01-07")
    local none, msg, code = jimu.date.parse("令和元年4月1日")
    expect(none, nil) expect(msg, "'令和元年4月1日': 令和 began on 2019-05-01") expect(code, "parse")
    none, msg, code = jimu.date.parse("平成32年1月1日")
    expect(msg, "'平成32年1月1日': 平成 ended on 2019-04-30 (平成31年4月30日)") expect(code, "parse")
    expect(jimu.date.parse_fiscal_year("H28年度"), 2016)
    expect(select(2, jimu.date.parse_fiscal_year("平成32年度")),
           "'平成32年度': 平成 ended on 2019-04-30, before 2020年度 began")
    raises("bad argument #1 to 'parse' (string expected, got table)", function() local _ = jimu.date.parse({}) end)
  )lua") == "");
}

TEST_CASE("jimu.date: format takes a date as text or table and a name or pattern",
          "[date_lua]") {
  CHECK(run_lua(R"lua(
    expect(jimu.date.format("2026-04-01", "wareki"), "令和8年4月1日")
    expect(jimu.date.format({ year = 2019, month = 5, day = 1 }, "wareki"), "令和元年5月1日")
    expect(jimu.date.format("2026-04-01", "wareki_short"), "R8.4.1")
    expect(jimu.date.format("2026-04-01"), "2026-04-01")
    expect(jimu.date.format("2026-04-01", "%Y年%n月%j日(%a)"), "2026年4月1日(水)")
    local none, msg, code = jimu.date.format("1872-12-31", "wareki")
    expect(code, "invalid")
    expect(msg, "1872-12-31: wareki dates before 明治6年 (1873-01-01) are in the lunisolar calendar, which jimu does not convert")
    raises("bad argument #2 to 'format' ('%Q': unknown directive %Q in date format)",
           function() local _ = jimu.date.format("2026-04-01", "%Q") end)
    raises("bad argument #1 to 'format' ('2026/4/1' is not a date in the form YYYY-MM-DD (jimu.date.parse reads other forms))",
           function() local _ = jimu.date.format("2026/4/1") end)
    raises("bad argument #1 to 'format' (date expected: 'YYYY-MM-DD' or { year, month, day }, got boolean)",
           function() local _ = jimu.date.format(true) end)
    raises("bad argument #1 to 'format' ({ year = 2026, month = 2, day = 30 } is not a date)",
           function() local _ = jimu.date.format({ year = 2026, month = 2, day = 30 }) end)
    raises("bad argument #1 to 'format' (date expected: 'YYYY-MM-DD' or { year, month, day }, field 'month' is not an integer)",
           function() local _ = jimu.date.format({ year = 2026, month = "4", day = 1 }) end)
  )lua") == "");
}

TEST_CASE("jimu.date: fiscal years, day arithmetic and weekdays", "[date_lua]") {
  CHECK(run_lua(R"lua(
    local fy, label = jimu.date.fiscal_year("2027-03-31")
    expect(fy, 2026) expect(label, "令和8年度")
    expect((jimu.date.fiscal_year("2027-04-01")), 2027)
    expect(select(2, jimu.date.fiscal_year("2019-06-01")), "令和元年度")
    expect(iso(jimu.date.add_days("2026-02-28", 1)), "2026-03-01")
    expect(iso(jimu.date.add_days("2024-02-28", 1)), "2024-02-29")
    expect(iso(jimu.date.add_days({ year = 2026, month = 1, day = 1 }, -1)), "2025-12-31")
    expect(jimu.date.days_between("2026-04-01", "2027-04-01"), 365)
    expect(jimu.date.weekday("2026-04-01"), 3)
    raises("bad argument #2 to 'add_days' (number has no integer representation)",
           function() local _ = jimu.date.add_days("2026-04-01", 1.5) end)
  )lua") == "");
}

TEST_CASE("jimu.date: Excel serials both ways, both systems, with times", "[date_lua]") {
  CHECK(run_lua(R"lua(
    expect(iso(jimu.date.from_excel(61)), "1900-03-01")
    expect(iso(jimu.date.from_excel(59)), "1900-02-28")
    local none, msg, code = jimu.date.from_excel(60)
    expect(code, "invalid")
    expect(msg, "Excel serial 60 is 1900-02-29, a day that never existed (Excel counts it for compatibility with Lotus 1-2-3)")
    expect(iso(jimu.date.from_excel(0, { date1904 = true })), "1904-01-01")
    expect(jimu.date.to_excel("2026-04-01"), 46113)
    expect(math.type(jimu.date.to_excel("2026-04-01")), "integer")
    expect(jimu.date.to_excel("2026-04-01", { date1904 = true }), 44651)
    local t = jimu.date.from_excel(46113.75)
    expect(t.hour, 18) expect(t.min, 0) expect(t.sec, 0)
    expect(jimu.date.from_excel(46113).hour, nil)
    expect(jimu.date.to_excel(t), 46113.75)
    expect(jimu.date.to_excel({ year = 2026, month = 4, day = 1, hour = 12 }), 46113.5)
    expect(select(2, jimu.date.to_excel("1899-12-31")),
           "1899-12-31 is before 1900-01-01, the first day of Excel's 1900 date system")
    raises("bad argument #2 to 'from_excel' (unknown option 'date_1904' (known: date1904))",
           function() local _ = jimu.date.from_excel(1, { date_1904 = true }) end)
    raises("bad argument #1 to 'to_excel' (field 'hour' must be an integer from 0 to 23)",
           function() local _ = jimu.date.to_excel({ year = 2026, month = 4, day = 1, hour = 24 }) end)
  )lua") == "");
}

TEST_CASE("jimu.date: today is the date in Japan from the host's clock", "[date_lua]") {
  // 2026-03-31T15:30:00Z is already April 1 in Japan.
  FakeClock clock(1774971000000);
  CHECK(run_lua(R"lua(
    expect(iso(jimu.date.today()), "2026-04-01")
  )lua", nullptr, &clock) == "");
}

TEST_CASE("jimu.calendar: business days with the default government calendar", "[date_lua]") {
  CHECK(run_lua(R"lua(
    local cal = jimu.calendar
    expect(cal.is_business_day("2026-04-01"), true)
    expect(cal.is_business_day("2026-05-06"), false)
    expect(cal.is_business_day({ year = 2026, month = 12, day = 29 }), false)
    expect(cal.is_business_day("2026-12-29", "jp"), true)
    expect(iso(cal.next_business_day("2026-05-01")), "2026-05-07")
    expect(iso(cal.previous_business_day("2027-01-04")), "2026-12-28")
    expect(iso(cal.add_business_days("2026-04-03", 1)), "2026-04-06")
    expect(iso(cal.add_business_days("2026-04-06", -1)), "2026-04-03")
    expect(cal.business_days_between("2026-03-31", "2026-04-30"), 21)
    expect(iso(cal.last_business_day(2026, 12)), "2026-12-28")
    expect(iso(cal.nth_business_day(2026, 1, 1)), "2026-01-05")
    local none, msg, code = cal.nth_business_day(2026, 5, 19)
    expect(code, "not_found") expect(msg, "2026-05 has 18 business days, so it has no business day 19")
    raises("2100-01-01 is outside the business calendar (1970-01-01 to 2099-12-31)",
           function() local _ = cal.is_business_day("2100-01-01") end)
    raises("bad argument #2 to 'is_business_day' (invalid option 'jp-city')",
           function() local _ = cal.is_business_day("2026-04-01", "jp-city") end)
    raises("bad argument #1 to 'holidays' (the calendar covers the years 1970 to 2099)",
           function() local _ = cal.holidays(1969) end)
  )lua") == "");
}

TEST_CASE("jimu.calendar: holidays list names and kinds", "[date_lua]") {
  CHECK(run_lua(R"lua(
    local national = jimu.calendar.holidays(2026, "jp")
    expect(#national, 18)
    expect(national[1].date, "2026-01-01") expect(national[1].name, "元日")
    expect(national[1].kind, "holiday")
    expect(national[14].date, "2026-09-22") expect(national[14].name, "国民の休日")
    local office = jimu.calendar.holidays(2026)
    expect(#office, 23)
    expect(office[2].date, "2026-01-02") expect(office[2].name, "年末年始の休日")
    expect(office[2].kind, "closure")
    local y2019 = jimu.calendar.holidays(2019, "jp")
    expect(#y2019, 22)
    expect(y2019[7].name, "天皇の即位の日")
  )lua") == "");
}

TEST_CASE("jimu.calendar: the office's local closing days come from the module's context",
          "[date_lua]") {
  BusinessCalendarOptions o;
  o.local_closing_days = {CivilDate{2026, 8, 14}};
  BusinessCalendar office(o);
  CHECK(run_lua(R"lua(
    expect(jimu.calendar.is_business_day("2026-08-14"), false)
    expect(jimu.calendar.is_business_day("2026-08-14", "jp"), true)
    expect(iso(jimu.calendar.next_business_day("2026-08-13")), "2026-08-17")
    local found
    for _, h in ipairs(jimu.calendar.holidays(2026)) do
      if h.date == "2026-08-14" then found = h end
    end
    expect(found.name, "閉庁日") expect(found.kind, "local")
  )lua", &office) == "");
  // Without the context the same day is a business day: the test above can fail.
  CHECK(run_lua(R"lua(expect(jimu.calendar.is_business_day("2026-08-14"), true))lua") == "");
}

TEST_CASE("jimu.date: a failing expectation is reported (the harness can fail)", "[date_lua]") {
  CHECK(run_lua(R"lua(expect(jimu.date.format("2026-04-01", "wareki"), "平成38年4月1日"))lua")
            .find("got 令和8年4月1日, wanted 平成38年4月1日") != std::string::npos);
}

}  // namespace
}  // namespace jimu
