// Reading Google Benchmark JSON into results rows, and the results CSV both ways.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "report/bench_json.h"
#include "report/csv.h"
#include "report/error.h"
#include "report/metrics.h"

namespace rcubench::report {
namespace {

const std::string kData = REPORT_TEST_DATA;

// The one row of `rows` with these coordinates; fails the test if not exactly one.
const Row* find_row(const std::vector<Row>& rows, const std::string& primitive, long readers,
                    long updaters, const std::string& metric, const std::string& aggregate,
                    std::optional<long> repetition = std::nullopt) {
  const Row* found = nullptr;
  int count = 0;
  for (const Row& r : rows)
    if (r.primitive == primitive && r.readers == readers && r.updaters == updaters &&
        r.metric == metric && r.aggregate == aggregate &&
        (!repetition || r.repetition == repetition)) {
      found = &r;
      ++count;
    }
  EXPECT_EQ(count, 1) << primitive << " " << metric << " " << aggregate;
  return count == 1 ? found : nullptr;
}

// Minimal JSON around `entry`, its context without `drop_key`.
std::string json_doc(const std::string& entry, const std::string& drop_key = "",
                     const std::string& extra_context = "") {
  std::string context = extra_context;
  for (auto [k, v] : {std::pair{"date", "2026-11-28T04:05:12+00:00"},
                      {"rcubench_arch", "x86_64"}, {"rcubench_exec", "native"},
                      {"rcubench_compiler", "gcc 12.2.0"}, {"rcubench_build_type", "release"},
                      {"rcubench_commit", "e994f8f3aaad"}, {"rcubench_cpu_model", "cpu"},
                      {"rcubench_run_id", "run-1"}}) {
    if (k == drop_key) continue;
    context += std::string(context.empty() ? "" : ",") + "\"" + k + "\": \"" + v + "\"";
  }
  return "{\"context\": {" + context + "}, \"benchmarks\": [" + entry + "]}";
}

std::string iteration(const std::string& run_name, const std::string& extra = "") {
  return "{\"name\": \"" + run_name + "\", \"run_name\": \"" + run_name +
         "\", \"run_type\": \"iteration\", \"repetitions\": 1, \"repetition_index\": 0, "
         "\"threads\": 1, \"iterations\": 5, \"real_time\": 2.5, \"cpu_time\": 2.0, "
         "\"time_unit\": \"us\"" + extra + "}";
}

std::string error_of(const std::string& text) {
  try {
    rows_from_json(text, "in.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(RunName, ParsesTheContractForm) {
  auto r = parse_run_name("read-side/rcu-memb/readers:4/updaters:1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->workload, "read-side");
  EXPECT_EQ(r->primitive, "rcu-memb");
  EXPECT_EQ(r->readers, 4);
  EXPECT_EQ(r->updaters, 1);
}

TEST(RunName, IgnoresExtraParametersAndTimeSuffixes) {
  auto r = parse_run_name("updater-heavy/arc-swap/readers:2/updaters:8/payload:64/threads:1/"
                          "manual_time");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->primitive, "arc-swap");
  EXPECT_EQ(r->updaters, 8);
  EXPECT_TRUE(parse_run_name("a/b/readers:0/updaters:0/real_time"));
  EXPECT_EQ(r->params, "-");  // no params part
}

TEST(RunName, ParamsHashIsPartOfTheName) {
  auto r = parse_run_name("read-side/rcu-memb/readers:1/updaters:0/params:3fa2c1d0/manual_time");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->params, "3fa2c1d0");
  EXPECT_EQ(r->readers, 1);
  for (const char* bad : {"w/p/readers:1/updaters:0/params:3FA2C1D0",  // upper case
                          "w/p/readers:1/updaters:0/params:3fa2c1d",   // 7 digits
                          "w/p/readers:1/updaters:0/params:3fa2c1d0a",
                          "w/p/readers:1/updaters:0/params:3fa2c1dg",
                          "w/p/readers:1/updaters:0/params:00000000/params:00000000"})
    EXPECT_FALSE(parse_run_name(bad)) << bad;
}

TEST(RunName, RejectsOtherForms) {
  for (const char* bad :
       {"read/rcu-memb", "read-side/rcu-memb/readers:1", "read-side/rcu-memb/updaters:1/readers:1",
        "read-side/rcu-memb/readers:x/updaters:1", "read-side/rcu-memb/readers:-1/updaters:1",
        "read-side/rcu-memb/readers:1/updaters:1/junk", "/rcu-memb/readers:1/updaters:1",
        "read-side//readers:1/updaters:1", "read-side/rcu-memb/readers:1/updaters:1/:3",
        "read-side/rcu-memb/readers:/updaters:1", "a:b/rcu/readers:1/updaters:1"})
    EXPECT_FALSE(parse_run_name(bad)) << bad;
}

// What rcubench writes about a primitive reads back as it was, and a malformed entry is
// refused with the field named.
TEST(PrimitiveMeta, ContextEntryRoundTripsAndMalformedOnesAreNamed) {
  const contract::PrimitiveMeta m{"rcu-memb-batch", contract::Family::rcu_batch, "memb",
                                  "urcu-memb", false, "rcu-memb-batch (per-thread blocks)", 10};
  const std::string value = contract::encode_primitive(m);
  EXPECT_EQ(value,
            "family=rcu-batch;flavor=memb;raw=urcu-memb;headline=no;rank=10;role=-;"
            "label=rcu-memb-batch (per-thread blocks)");
  EXPECT_EQ(contract::decode_primitive("rcu-memb-batch", value), m);
  for (contract::Family f : contract::kFamilies)
    EXPECT_EQ(contract::parse_family(contract::family_name(f)), f);
  EXPECT_FALSE(contract::parse_family("locks"));

  auto error = [](std::string_view value) {
    try {
      contract::decode_primitive("p", value);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string good = "family=lock;flavor=-;raw=-;headline=yes;rank=0;role=-;label=p";
  EXPECT_EQ(error(good), "");
  EXPECT_NE(error("family=locks;flavor=-;raw=-;headline=yes;rank=0;role=-;label=p")
                .find("rcubench_primitive:p: unknown family 'locks'"),
            std::string::npos);
  EXPECT_NE(error("family=lock;flavor=-;raw=-;headline=maybe;rank=0;role=-;label=p").find("headline 'maybe'"),
            std::string::npos);
  EXPECT_NE(error("family=lock;flavor=-;raw=-;headline=no;rank=-1;role=-;label=p").find("rank '-1'"),
            std::string::npos);
  EXPECT_NE(error("family=lock;flavor=-;raw=-;headline=no;label=p;rank=0;role=-").find("field 5"),
            std::string::npos);
  EXPECT_NE(error("family=lock;flavor=-;raw=-;headline=no;rank=0;role=-").find("6 fields, want 7"),
            std::string::npos);
  EXPECT_NE(error(good + ";x=1").find("more than 7 fields"), std::string::npos);
  EXPECT_NE(error("family=lock;flavor=;raw=-;headline=no;rank=0;role=-;label=p").find("flavor is empty"),
            std::string::npos);
  EXPECT_NE(error("").find("field 1"), std::string::npos);
  // The reader is as strict as the writer: what it accepts, the CSV can carry unquoted.
  for (const char* label : {"a,b", "a=b", "a\"b", "a\rb"})
    EXPECT_NE(error(std::string("family=lock;flavor=-;raw=-;headline=no;rank=0;role=-;label=") +
                    label)
                  .find("primitive field label"),
              std::string::npos)
        << label;
  EXPECT_NE(error("family=lock;flavor=-;raw=-;headline=no;rank=0;role=floor;label=p")
                .find("unknown role 'floor'"),
            std::string::npos);
  contract::PrimitiveMeta bad = m;
  bad.label = "a;b";
  EXPECT_THROW(contract::encode_primitive(bad), std::invalid_argument);
}


TEST(Metrics, UnitsFollowTheContract) {
  EXPECT_EQ(metric_unit("reads_per_s", "ns"), "1/s");
  EXPECT_EQ(metric_unit("updates_per_s", "ns"), "1/s");
  EXPECT_EQ(metric_unit("read_p999_ns", "ms"), "ns");
  EXPECT_EQ(metric_unit("gp_max_ns", "ns"), "ns");
  EXPECT_EQ(metric_unit("backlog_peak_objects", "ns"), "objects");
  EXPECT_EQ(metric_unit("backlog_end_bytes", "ns"), "bytes");
  EXPECT_EQ(metric_unit("update_retries", "ns"), "count");
  EXPECT_EQ(metric_unit("read_insns", "ms"), "instructions");
  EXPECT_EQ(metric_unit("retries_per_update", "ms"), "1/update");
  EXPECT_EQ(metric_unit("read_fairness", "ms"), "fraction");
  EXPECT_EQ(metric_unit("read_samples", "ms"), "samples");
  EXPECT_EQ(metric_unit("min_thread_reads_per_s", "ms"), "1/s");
  EXPECT_EQ(metric_unit("update_insns", "ms"), "instructions");
  EXPECT_EQ(metric_unit("real_time", "us"), "us");
  EXPECT_EQ(metric_unit("cpu_time", "ms"), "ms");
  EXPECT_EQ(metric_unit("something_else", "ns"), "-");
}

TEST(Metrics, Direction) {
  EXPECT_EQ(metric_direction("reads_per_s", "1/s"), Direction::higher_is_better);
  EXPECT_EQ(metric_direction("items_per_second", "1/s"), Direction::higher_is_better);
  for (const char* lower : {"read_p99_ns", "gp_p50_ns", "real_time", "cpu_time",
                            "backlog_peak_objects", "backlog_end_bytes", "update_retries",
                            "read_insns", "update_insns", "retries_per_update"})
    EXPECT_EQ(metric_direction(lower, "-"), Direction::lower_is_better) << lower;
  EXPECT_EQ(metric_direction("mystery", "-"), Direction::unknown);
  EXPECT_EQ(metric_direction("read_samples", "samples"), Direction::unknown);
  EXPECT_EQ(metric_direction("update_fairness", "fraction"), Direction::higher_is_better);
  EXPECT_EQ(metric_direction("min_thread_updates_per_s", "1/s"), Direction::higher_is_better);
}

TEST(Csv, QuotesOnlyWhereNeeded) {
  EXPECT_EQ(csv_field("plain text"), "plain text");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

TEST(Csv, RoundTripsAwkwardValues) {
  Row r;
  r.run_id = "run-1", r.date = "2026-11-28T04:05:12+00:00", r.commit = "e994f8f3aaad-dirty";
  r.arch = "x86_64", r.exec = "native", r.cpu_model = "Vendor \"X\", 8-core\nrev 2";
  r.compiler = "gcc 12.2.0", r.build_type = "release", r.flavor = "memb";
  r.primitive = "rcu-memb", r.workload = "read-side", r.readers = 3, r.updaters = 1;
  r.params = "0badc0de", r.repetition = 7, r.process = 11;
  r.updater_delay_us = 0.5, r.read_work = 16, r.payload_bytes = 65536, r.stall_us = 2500;
  r.metric = "read_ns", r.value = 0.1 + 0.2, r.unit = "ns";
  r.meta = contract::PrimitiveMeta{"rcu-memb", contract::Family::rcu, "memb", "urcu-memb", true,
                                   "rcu-memb (synchronous)", 0};
  r.schema = contract::kSchemaVersion;
  Row agg = r;
  agg.meta.reset();
  agg.repetition.reset();
  agg.process.reset();
  agg.params = "-";
  agg.aggregate = "median";
  agg.value = 1.5e+300;
  const std::string text = to_csv({r, agg});
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "run_id,date,commit,arch,exec,cpu_model,compiler,build_type,flavor,primitive,"
            "workload,readers,updaters,params,updater_delay_us,read_work,payload_bytes,stall_us,"
            "repetition,process,aggregate,metric,value,unit,fingerprint,family,raw,headline,label,family_rank,role,"
            "schema");
  std::vector<Row> back = parse_csv(text, "t.csv");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].cpu_model, r.cpu_model);
  EXPECT_EQ(back[0].value, r.value);  // exact: the shortest round-trip form
  EXPECT_EQ(back[0].repetition, 7);
  EXPECT_EQ(back[0].process, 11);
  EXPECT_EQ(back[0].params, "0badc0de");
  EXPECT_EQ(back[0].updater_delay_us, 0.5);
  EXPECT_EQ(back[0].read_work, 16);
  EXPECT_EQ(back[0].payload_bytes, 65536);
  EXPECT_EQ(back[0].stall_us, 2500);
  EXPECT_EQ(back[1].stall_us, 2500);
  EXPECT_EQ(back[0].aggregate, "-");
  EXPECT_EQ(back[0].meta, r.meta);
  EXPECT_EQ(back[0].schema, contract::kSchemaVersion);
  EXPECT_FALSE(back[1].meta);
  EXPECT_FALSE(back[1].repetition);
  EXPECT_FALSE(back[1].process);
  EXPECT_EQ(back[1].params, "-");
  EXPECT_EQ(back[1].aggregate, "median");
  EXPECT_EQ(back[1].value, 1.5e+300);
  EXPECT_EQ(to_csv(back), text);
}

TEST(Csv, RejectsMalformedFilesWithFileAndLine) {
  // The rows below have no schema column, which is optional (results from before it).
  std::string header = csv_header();
  header.replace(header.find(",schema\n"), 8, "\n");
  const std::string good =
      "r,d,c,x86_64,native,cpu,gcc,release,-,bare,read-side,1,0,-,100,0,64,-,0,-,-,reads_per_s,5,1/s,-,-,-,-,-,-,-\n";
  auto error = [](const std::string& text) {
    try {
      parse_csv(text, "f.csv");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error(header + good), "");
  EXPECT_EQ(error(header + good + "\n"), "");  // a trailing blank line is harmless
  EXPECT_NE(error("a,b\n" + good).find("f.csv:1: not a results CSV"), std::string::npos);
  EXPECT_NE(error(header + "r,d\n").find("f.csv:2: 2 fields, want 31"), std::string::npos);
  std::string empty_field = good;
  empty_field.replace(empty_field.find("cpu"), 3, "");
  EXPECT_NE(error(header + empty_field).find("f.csv:2: empty cpu_model"), std::string::npos);
  std::string bad_value = good;
  bad_value.replace(bad_value.find(",5,"), 3, ",5x,");
  EXPECT_NE(error(header + good + bad_value).find("f.csv:3: value '5x'"), std::string::npos);
  std::string both = good;
  both.replace(both.find(",0,-,-,"), 7, ",0,-,mean,");
  EXPECT_NE(error(header + both).find("exactly one of repetition and aggregate"),
            std::string::npos);
  std::string readers = good;
  readers.replace(readers.find(",1,0,"), 5, ",-1,0,");
  EXPECT_NE(error(header + readers).find("readers '-1'"), std::string::npos);
  std::string process = good;
  process.replace(process.find(",0,-,-,"), 7, ",0,x,-,");
  EXPECT_NE(error(header + process).find("f.csv:2: process 'x' is not a non-negative integer"),
            std::string::npos);
  std::string params = good;
  params.replace(params.find(",-,100,"), 7, ",ABCDEF01,100,");
  EXPECT_NE(error(header + params).find("f.csv:2: params 'ABCDEF01' is not 8 lowercase hex"),
            std::string::npos);
  std::string delay = good;
  delay.replace(delay.find(",100,"), 5, ",-1,");
  EXPECT_NE(error(header + delay).find("f.csv:2: updater_delay_us '-1' is not a non-negative"),
            std::string::npos);
  std::string stall = good;
  stall.replace(stall.find(",64,-,"), 6, ",64,-5,");
  EXPECT_NE(error(header + stall).find("f.csv:2: stall_us '-5' is not a non-negative"),
            std::string::npos);
  std::string work = good;
  work.replace(work.find(",100,0,"), 7, ",100,x,");
  EXPECT_NE(error(header + work).find("f.csv:2: read_work 'x'"), std::string::npos);
  EXPECT_NE(error(header + "\"open,field\n").find("unterminated quoted field"),
            std::string::npos);
  EXPECT_NE(error("").find("empty file"), std::string::npos);
  // The header is read by name: columns in any order, optional ones absent; an unknown, a
  // repeated or a missing required column is refused by name.
  const std::string reordered = "metric,run_id,date,commit,arch,exec,cpu_model,compiler,build_type,"
      "flavor,primitive,workload,readers,updaters,params,repetition,process,aggregate,value,unit\n"
      "reads_per_s,r,d,c,x86_64,native,cpu,gcc,release,-,bare,read-side,1,0,-,0,-,-,5,1/s\n";
  EXPECT_EQ(error(reordered), "");
  EXPECT_EQ(parse_csv(reordered, "f.csv").at(0).metric, "reads_per_s");
  EXPECT_NE(error("colour," + reordered).find("f.csv:1: not a results CSV: unknown column 'colour'"),
            std::string::npos);
  EXPECT_NE(error("value," + reordered).find("column 'value' appears twice"), std::string::npos);
  EXPECT_NE(error(reordered.substr(reordered.find(',') + 1)).find("no column 'metric'"),
            std::string::npos);
  // A described primitive's columns are checked too.
  std::string family = good;
  family.replace(family.rfind(",-,-,-,-,-,-\n"), 13, ",locks,-,no,p,0,-\n");
  EXPECT_NE(error(header + family).find("f.csv:2: unknown family 'locks'"), std::string::npos);
  std::string headline = good;
  headline.replace(headline.rfind(",-,-,-,-,-,-\n"), 13, ",lock,-,maybe,p,0,-\n");
  EXPECT_NE(error(header + headline).find("f.csv:2: headline 'maybe'"), std::string::npos);
  std::string described = good;
  described.replace(described.rfind(",-,-,-,-,-,-\n"), 13, ",reference,-,yes,floor,0,update-floor\n");
  ASSERT_EQ(error(header + described), "");
  const Row floor = parse_csv(header + described, "f.csv").at(0);
  ASSERT_TRUE(floor.meta);
  EXPECT_EQ(floor.meta->family, contract::Family::reference);
  EXPECT_EQ(floor.meta->label, "floor");
  EXPECT_TRUE(floor.meta->headline);
  EXPECT_EQ(floor.meta->role, contract::Role::update_floor);
  // The results contract's version: a count this report reads, or '-'.
  const std::string with_schema = csv_header();
  std::string versioned = good;
  versioned.replace(versioned.size() - 1, 1, ",1\n");
  ASSERT_EQ(error(with_schema + versioned), "");
  EXPECT_EQ(parse_csv(with_schema + versioned, "f.csv").at(0).schema, 1);
  std::string newer = good;
  newer.replace(newer.size() - 1, 1, ",99\n");
  EXPECT_NE(error(with_schema + newer).find("f.csv:2: results contract version 99: this report "
                                            "reads versions 1 to"),
            std::string::npos)
      << error(with_schema + newer);
  std::string garbled = good;
  garbled.replace(garbled.size() - 1, 1, ",v1\n");
  EXPECT_NE(error(with_schema + garbled).find("f.csv:2: schema 'v1' is not a non-negative integer"),
            std::string::npos);
  std::string role = described;
  role.replace(role.rfind(",update-floor\n"), 14, ",floor\n");
  EXPECT_NE(error(header + role).find("f.csv:2: unknown role 'floor'"), std::string::npos);
  // What a primitive is: all six columns or none, and '-' in all of them or in none.
  std::string partial = header;
  partial.replace(partial.find(",role\n"), 6, "\n");
  EXPECT_NE(error(partial + good.substr(0, good.size() - 3) + "\n")
                .find("no column 'role' (the primitive columns come all together"),
            std::string::npos);
  std::string half = good;
  half.replace(half.rfind(",-,-,-,-,-,-\n"), 13, ",-,-,-,floor,-,-\n");
  EXPECT_NE(error(header + half).find("f.csv:2: family '-' but label 'floor'"), std::string::npos);
  std::string comma = described;  // quoted, as a CSV allows, but the contract does not
  comma.replace(comma.find(",floor,"), 7, ",\"fl,oor\",");
  EXPECT_NE(error(header + comma).find("f.csv:2: primitive field label 'fl,oor'"), std::string::npos);
}

// A CSV from before the sweep columns (kept in a history directory) still reads, its rows
// without sweep parameters; a row of the other width is still an error.
TEST(Csv, ReadsTheLayoutBeforeSweepColumns) {
  const std::string legacy_header =
      "run_id,date,commit,arch,exec,cpu_model,compiler,build_type,flavor,primitive,workload,"
      "readers,updaters,params,repetition,process,aggregate,metric,value,unit\n";
  const std::string row =
      "r,d,c,x86_64,native,cpu,gcc,release,-,bare,read-side,1,0,-,0,3,-,reads_per_s,5,1/s\n";
  std::vector<Row> rows = parse_csv(legacy_header + row, "old.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].updater_delay_us);
  EXPECT_FALSE(rows[0].read_work);
  EXPECT_FALSE(rows[0].payload_bytes);
  EXPECT_FALSE(rows[0].stall_us);
  EXPECT_EQ(rows[0].process, 3);
  EXPECT_EQ(rows[0].value, 5);
  EXPECT_EQ(to_csv(rows).substr(0, csv_header().size()), csv_header());
  EXPECT_THROW(parse_csv(legacy_header + "r,d,c\n", "old.csv"), InputError);
}

// The bench writes names with contract::format_run_name and the report reads them with
// parse_run_name: every field comes back, numbers in their shortest form.
TEST(RunName, WhatTheBenchWritesReadsBack) {
  const contract::RunName full{"reader-heavy", "rcu-memb", 2, 1, 2.5, 4, 4096, "3fa2c1d0"};
  EXPECT_EQ(contract::format_run_name(full),
            "reader-heavy/rcu-memb/readers:2/updaters:1/updater_delay_us:2.5/read_work:4/"
            "payload_bytes:4096/params:3fa2c1d0");
  const contract::RunName bare{"read-path", "bare", 1, 0};
  EXPECT_EQ(contract::format_run_name(bare), "read-path/bare/readers:1/updaters:0");
  for (const contract::RunName& n :
       {full, bare, contract::RunName{"w", "p", 0, 8, 0.0, 0, 0, "-"},
        contract::RunName{"w", "p", 3, 3, 100.0, std::nullopt, 64, "00000000"},
        contract::RunName{"w", "p", 1, 1, 0.1 + 0.2, 1, std::nullopt, "-"}}) {
    const std::string text = contract::format_run_name(n);
    EXPECT_EQ(parse_run_name(text), n) << text;
    EXPECT_EQ(parse_run_name(text + "/manual_time"), n) << text;
  }
  EXPECT_EQ(contract::format_run_name({"w", "p", 1, 1, 100.0}),
            "w/p/readers:1/updaters:1/updater_delay_us:100");
  // Numbers as fmt's "{}" writes them, the form run names had before the contract wrote them.
  for (double v : {0.0, 1.0, 2.5, 100.0, 1e5, 123456.789, 1e-4, 1.5e-4, 1e-5, 1e15, 1e16,
                   0.1 + 0.2, 1e300})
    EXPECT_EQ(contract::format_number(v), fmt::format("{}", v)) << v;
}

TEST(RunName, SweepParametersAreParsed) {
  auto r = parse_run_name(
      "reader-heavy/rcu-memb/readers:1/updaters:1/updater_delay_us:2.5/read_work:4/"
      "payload_bytes:4096/params:3fa2c1d0/manual_time");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->updater_delay_us, 2.5);
  EXPECT_EQ(r->read_work, 4);
  EXPECT_EQ(r->payload_bytes, 4096);
  EXPECT_EQ(r->params, "3fa2c1d0");
  auto plain = parse_run_name("read-path/bare/readers:1/updaters:0");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->updater_delay_us);
  EXPECT_FALSE(plain->read_work);
  // A stalls run's name carries its stall, after the object size.
  const contract::RunName stalls{"stalls", "hazptr", 1, 1, 0.0, 0, 64, "3fa2c1d0", 10000.0};
  const std::string stalls_text = contract::format_run_name(stalls);
  EXPECT_EQ(stalls_text,
            "stalls/hazptr/readers:1/updaters:1/updater_delay_us:0/read_work:0/payload_bytes:64/"
            "stall_us:10000/params:3fa2c1d0");
  EXPECT_EQ(parse_run_name(stalls_text + "/manual_time"), stalls);
  EXPECT_FALSE(plain->stall_us);
  for (const char* bad : {"w/p/readers:1/updaters:0/stall_us:-1",
                          "w/p/readers:1/updaters:0/stall_us:nan",
                          "w/p/readers:1/updaters:0/stall_us:1/stall_us:2",
                          "w/p/readers:1/updaters:0/updater_delay_us:-1",
                          "w/p/readers:1/updaters:0/updater_delay_us:x",
                          "w/p/readers:1/updaters:0/updater_delay_us:inf",
                          "w/p/readers:1/updaters:0/read_work:1.5",
                          "w/p/readers:1/updaters:0/payload_bytes:-64",
                          "w/p/readers:1/updaters:0/read_work:1/read_work:1"})
    EXPECT_FALSE(parse_run_name(bad)) << bad;
}

TEST(Json, SampleRunRowsFollowTheContract) {
  std::vector<std::string> warnings;
  std::vector<Row> rows = read_benchmark_json(kData + "/run/x86_64.json", &warnings);
  // Context into every row.
  for (const Row& r : rows) {
    EXPECT_EQ(r.run_id, "20261128T040512Z-e994f8f3aaad");
    EXPECT_EQ(r.arch, "x86_64");
    EXPECT_EQ(r.exec, "native");
    EXPECT_EQ(r.cpu_model, "Sample CPU, \"x86\" 2.60GHz");
    EXPECT_EQ(r.commit, "e994f8f3aaad");
  }
  const Row* p99 = find_row(rows, "rcu-memb", 1, 0, "read_p99_ns", "-", 1);
  ASSERT_TRUE(p99);
  EXPECT_EQ(p99->value, 6);
  EXPECT_EQ(p99->unit, "ns");
  EXPECT_EQ(p99->flavor, "memb");
  EXPECT_EQ(p99->workload, "read-side");
  EXPECT_EQ(p99->params, "3fa2c1d0");  // from the run name's params part
  EXPECT_FALSE(p99->process);          // a single-process run
  const Row* other = find_row(rows, "rcu-memb", 2, 0, "read_p99_ns", "-", 1);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->params, "-");
  const Row* real = find_row(rows, "urcu-qsbr", 2, 0, "real_time", "-", 0);
  ASSERT_TRUE(real);
  EXPECT_EQ(real->unit, "ns");
  EXPECT_EQ(real->flavor, "qsbr");
  const Row* median = find_row(rows, "rcu-memb", 2, 0, "reads_per_s", "median");
  ASSERT_TRUE(median);
  EXPECT_FALSE(median->repetition);
  EXPECT_EQ(median->value, 8.05e8);
  EXPECT_EQ(median->unit, "1/s");
  // cv aggregates are fractions of the mean whatever the metric.
  const Row* cv = find_row(rows, "rcu-memb", 2, 0, "read_ns", "cv");
  ASSERT_TRUE(cv);
  EXPECT_EQ(cv->unit, "fraction");
  const Row* defer = find_row(rows, "rcu-qsbr-defer", 1, 2, "backlog_peak_bytes", "-", 0);
  ASSERT_TRUE(defer);
  EXPECT_EQ(defer->unit, "bytes");
  const Row* retries = find_row(rows, "arc-swap", 1, 1, "update_retries", "-", 0);
  ASSERT_TRUE(retries);
  EXPECT_EQ(retries->unit, "count");
  EXPECT_EQ(retries->flavor, "-");

  // Bookkeeping keys, strings and booleans are no metrics.
  for (const Row& r : rows)
    for (const char* not_metric : {"iterations", "repetitions", "repetition_index", "threads",
                                   "family_index", "per_family_instance_index", "label",
                                   "error_occurred", "aggregate_unit"})
      EXPECT_NE(r.metric, not_metric);
  // The failed entry is skipped, the NaN counter too, each with a warning.
  EXPECT_TRUE(std::none_of(rows.begin(), rows.end(), [](const Row& r) {
    return r.primitive == "arc-swap" && r.updaters == 2;
  }));
  EXPECT_TRUE(std::none_of(rows.begin(), rows.end(), [](const Row& r) {
    return r.metric == "update_retries" && r.aggregate == "cv";
  }));
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("sample failure"), std::string::npos);
  EXPECT_NE(warnings[1].find("x86_64.json: 1 non-finite cv value(s) skipped"), std::string::npos);
}

TEST(Json, ExtraKeysAnywhereAreIgnored) {
  std::string doc = json_doc(iteration("w/p/readers:1/updaters:0",
                                       ", \"label\": \"x\", \"nested\": {\"a\": 1}, "
                                       "\"flag\": true, \"list\": [1, 2], \"reads_per_s\": 7"));
  doc.insert(doc.find("\"date\""), "\"caches\": [{\"size\": 1}], \"new_key\": 3, ");
  std::vector<Row> rows = rows_from_json(doc, "x.json");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].metric, "real_time");
  EXPECT_EQ(rows[0].unit, "us");
  EXPECT_EQ(rows[1].metric, "cpu_time");
  EXPECT_EQ(rows[2].metric, "reads_per_s");
  EXPECT_EQ(rows[2].value, 7);
}

TEST(Json, NonFiniteNumbersOutsideStringsOnly) {
  EXPECT_EQ(null_nonfinite(R"({"a": NaN, "b": -Infinity, "c": "NaN inf", "d": Infinity})"),
            R"({"a": null, "b": null, "c": "NaN inf", "d": null})");
  EXPECT_EQ(null_nonfinite(R"({"e": "say \"NaN\"", "f": 1})"), R"({"e": "say \"NaN\"", "f": 1})");
}

TEST(Json, NonFiniteMeasurementIsSkippedWithAWarning) {
  std::vector<std::string> warnings;
  std::vector<Row> rows = rows_from_json(
      json_doc(iteration("w/p/readers:1/updaters:0", ", \"reads_per_s\": NaN, \"x_ns\": 3")),
      "x.json", &warnings);
  ASSERT_EQ(rows.size(), 3u);  // real_time, cpu_time, x_ns
  EXPECT_EQ(rows[2].metric, "x_ns");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("x.json: benchmarks[0] 'w/p/readers:1/updaters:0': "
                             "reads_per_s skipped: not a finite number"),
            std::string::npos);
}

TEST(Json, ErrorsNameTheFileAndTheKeyOrEntry) {
  EXPECT_NE(error_of("{not json").find("in.json: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("[1, 2]").find("in.json: not a Google Benchmark JSON object"),
            std::string::npos);
  EXPECT_NE(error_of("{\"benchmarks\": []}").find("no \"context\" object"), std::string::npos);
  for (const char* key : {"date", "rcubench_arch", "rcubench_exec", "rcubench_compiler",
                          "rcubench_build_type", "rcubench_commit", "rcubench_cpu_model",
                          "rcubench_run_id"}) {
    const std::string want = std::string("in.json: context.") + key + " is missing";
    EXPECT_NE(error_of(json_doc("", key)).find(want), std::string::npos) << key;
  }
  std::string empty_value = json_doc("");
  empty_value.replace(empty_value.find("\"cpu\""), 5, "\"\"");
  EXPECT_NE(error_of(empty_value).find("context.rcubench_cpu_model must be a non-empty string"),
            std::string::npos);
  std::string no_benchmarks = json_doc("");
  no_benchmarks.replace(no_benchmarks.find("\"benchmarks\""), 12, "\"other\"");
  EXPECT_NE(error_of(no_benchmarks).find("no \"benchmarks\" array"), std::string::npos);
  EXPECT_EQ(error_of(json_doc(iteration("w/p/readers:1/updaters:0"))), "");
  EXPECT_NE(error_of(json_doc(iteration("read/rcu-memb")))
                .find("in.json: benchmarks[0] 'read/rcu-memb': run_name 'read/rcu-memb' does not "
                      "match"),
            std::string::npos);
  std::string no_rep = iteration("w/p/readers:1/updaters:0");
  no_rep.replace(no_rep.find("\"repetition_index\": 0, "), 23, "");
  EXPECT_NE(error_of(json_doc(no_rep)).find("\"repetition_index\" missing"), std::string::npos);
  std::string bad_type = iteration("w/p/readers:1/updaters:0");
  bad_type.replace(bad_type.find("\"iteration\""), 11, "\"other\"");
  EXPECT_NE(error_of(json_doc(bad_type)).find("run_type 'other'"), std::string::npos);
  const std::string wrong_type =
      json_doc(iteration("w/p/readers:1/updaters:0", ", \"error_occurred\": \"yes\""));
  EXPECT_NE(error_of(wrong_type).find("benchmarks[0]"), std::string::npos);
  EXPECT_NE(error_of(json_doc("3")).find("benchmarks[0]: not an object"), std::string::npos);
}

// What a primitive is comes from the context, where rcubench writes it for every primitive;
// a primitive the context does not describe (an older rcubench) has none.
TEST(Json, PrimitiveMetaFromTheContext) {
  const std::string entries =
      "\"rcubench_primitive:rcu-qsbr\": "
      "\"family=rcu;flavor=qsbr;raw=urcu-qsbr;headline=yes;rank=1;role=-;label=rcu-qsbr\"";
  std::vector<Row> rows = rows_from_json(
      json_doc(iteration("w/rcu-qsbr/readers:1/updaters:0") + "," +
                   iteration("w/rcu-bp/readers:1/updaters:0"),
               "", entries),
      "in.json");
  ASSERT_EQ(rows.size(), 4u);  // real_time and cpu_time of each
  ASSERT_TRUE(rows[0].meta);
  EXPECT_EQ(rows[0].meta->family, contract::Family::rcu);
  EXPECT_EQ(rows[0].meta->raw, "urcu-qsbr");
  EXPECT_EQ(rows[0].meta->rank, 1);
  EXPECT_EQ(rows[0].flavor, "qsbr");
  EXPECT_FALSE(rows[3].meta);
  EXPECT_EQ(rows[3].flavor, "-");
  // Through the CSV and back, unchanged.
  EXPECT_EQ(parse_csv(to_csv(rows), "r.csv").at(0).meta, rows[0].meta);

  const std::string entry = iteration("w/p/readers:1/updaters:0");
  EXPECT_NE(error_of(json_doc(entry, "", "\"rcubench_primitive:p\": \"family=locks\""))
                .find("in.json: context.rcubench_primitive:p: 1 fields, want 7"),
            std::string::npos);
  EXPECT_NE(error_of(json_doc(entry, "",
                              "\"rcubench_primitive:p\": "
                              "\"family=lock;flavor=-;raw=-;headline=yes;rank=x;role=-;label=p\""))
                .find("in.json: context.rcubench_primitive:p: rank 'x'"),
            std::string::npos);
  EXPECT_NE(error_of(json_doc(entry, "", "\"rcubench_primitive:p\": 3"))
                .find("in.json: context.rcubench_primitive:p must be a string"),
            std::string::npos);
}

TEST(Json, ProcessIndexFromTheContext) {
  const std::string entry = iteration("w/p/readers:1/updaters:0/params:0123abcd");
  std::vector<Row> rows = rows_from_json(
      json_doc(entry, "", "\"rcubench_process\": \"4\", \"rcubench_shuffle_seed\": \"99\""),
      "in.json");
  ASSERT_FALSE(rows.empty());
  for (const Row& r : rows) {
    EXPECT_EQ(r.process, 4);
    EXPECT_EQ(r.params, "0123abcd");
  }
  for (const char* bad : {"\"-1\"", "\"x\"", "\"\"", "4", "\"4 \""})
    EXPECT_NE(error_of(json_doc(entry, "", std::string("\"rcubench_process\": ") + bad))
                  .find("in.json: context.rcubench_process must be a decimal string"),
              std::string::npos)
        << bad;
}

}  // namespace
}  // namespace rcubench::report
