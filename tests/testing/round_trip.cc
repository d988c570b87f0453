#include "testing/round_trip.h"

#include <gtest/gtest.h>

#include <charconv>
#include <memory>

#include "sdmx/check.h"
#include "sdmx/data_writer.h"
#include "testing/test_util.h"

namespace hub::testing {
namespace {

std::string Canonical(const std::string& v) {
  double d;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (ec != std::errc() || p != v.data() + v.size()) return v;
  char buf[32];
  auto [q, ec2] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, q);
}

}  // namespace

namespace {

// `Input`: the body (std::string_view) or its bytes arriving (ArrivingBytes*).
template <typename Input>
Content ReadFrom(Input input, const sdmx::StructureSet& set, sdmx::Diagnostics* diags, const std::string& name,
                 const sdmx::DataReaderOptions& options) {
  Content out;
  (void)sdmx::CheckMessage(input, name, set, options, diags, nullptr, [&](const sdmx::DataReader& r) {
    const sdmx::Series& s = r.series();
    ++out.series_count;
    out.series.insert(s.KeyString());
    std::map<std::string, std::string> sattrs;
    for (const sdmx::Field& f : s.attributes) sattrs[f.id] = f.value;
    for (const sdmx::Observation& o : s.observations) {
      std::map<std::string, std::string> attrs = sattrs;
      for (const sdmx::Field& f : o.attributes) attrs[f.id] = f.value;
      std::string v = o.value;
      for (const auto& [k, val] : attrs) v += "|" + k + "=" + val;
      out.obs[s.KeyString() + "|" + o.period] = v;
    }
  });
  return out;
}

}  // namespace

Content ReadContent(const std::string& body, const sdmx::StructureSet& set, sdmx::Diagnostics* diags,
                    const std::string& name, const sdmx::DataReaderOptions& options) {
  return ReadFrom(std::string_view(body), set, diags, name, options);
}

Content ReadContentArriving(const std::string& body, size_t max_piece, uint32_t seed, const sdmx::StructureSet& set,
                            sdmx::Diagnostics* diags, const std::string& name,
                            const sdmx::DataReaderOptions& options) {
  Trickle trickle(body, max_piece, seed);
  return ReadFrom(trickle.bytes(), set, diags, name, options);
}

std::map<std::string, std::string> Numeric(const std::map<std::string, std::string>& obs) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : obs) {
    size_t bar = v.find('|');
    out[k] = Canonical(v.substr(0, bar)) + (bar == std::string::npos ? "" : v.substr(bar));
  }
  return out;
}

void ExpectRoundTrips(const std::string& body, const std::string& name, const sdmx::StructureSet& set,
                      const sdmx::DataReaderOptions& options) {
  using sdmx::DataFormat;
  sdmx::Diagnostics diags;
  const Content original = ReadContent(body, set, &diags, name, options);
  const std::vector<std::pair<DataFormat, bool>> outputs = {
      {DataFormat::kGeneric21, false}, {DataFormat::kStructureSpecific21, false},
      {DataFormat::kStructureSpecific30, false}, {DataFormat::kGeneric21, true},
      {DataFormat::kStructureSpecific21, true}, {DataFormat::kStructureSpecific30, true},
      {DataFormat::kCsv10, false}, {DataFormat::kCsv20, false}, {DataFormat::kJson10, false},
      {DataFormat::kJson20, false}, {DataFormat::kJson10, true}, {DataFormat::kJson20, true}};
  for (const auto& [f, flat] : outputs) {
    const bool json = f == DataFormat::kJson10 || f == DataFormat::kJson20;
    const bool csv = f == DataFormat::kCsv10 || f == DataFormat::kCsv20;
    // CSV rows and flat Obs are observations: a series-key-only message has none.
    if ((csv || flat) && original.obs.empty()) continue;
    const std::string label = name + " as " + sdmx::FormatName(f) + (flat ? " AllDimensions" : "");
    auto reader = sdmx::DataReader::Open(body, name, set, options, &diags);
    ASSERT_TRUE(reader.ok()) << label;
    std::string out;
    std::unique_ptr<sdmx::DataWriter> w;
    for (auto& r = *reader; r->Valid(); r->Next()) {
      if (!w) {
        sdmx::WriteContext ctx;
        ctx.dsd = &r->structure();
        ctx.dataflow = r->dataset().dataflow;
        ctx.all_dimensions = flat;
        w = sdmx::NewDataWriter(f, ctx, [&](std::string_view chunk) { out.append(chunk); });
      }
      w->WriteSeries(r->series());
    }
    if (!w) return;  // an empty message: nothing to write
    w->Finish();
    sdmx::Diagnostics again;
    Content copy = ReadContent(out, set, &again, "roundtrip." + label);
    EXPECT_TRUE(again.empty()) << label << ": " << again.ToString();
    if (json) {
      EXPECT_EQ(Numeric(copy.obs), Numeric(original.obs)) << label;
    } else {
      EXPECT_EQ(copy.obs, original.obs) << label;
    }
    if (!csv) EXPECT_EQ(copy.series, original.series) << label;
  }
}

}  // namespace hub::testing
