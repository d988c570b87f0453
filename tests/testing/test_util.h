// Helpers shared by the test binaries: temporary directories, paths to the
// repo and the shared corpus, and the demo feed as data.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "hub/base/arriving_bytes.h"
#include "sdmx/formats.h"
#include "sdmx/model.h"

namespace hub::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it
// when the object goes away. Each test gets its own: ctest runs in parallel.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string SourcePath(const std::string& relative);  // in the repository
std::string CorpusPath(const std::string& relative);  // in ../shared/corpus
std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& content);

// configs/hub.toml written to `dir`/hub.toml with the structures path made
// absolute and each (setting line, replacement) applied; returns its path.
std::string DemoConfig(const TempDir& dir, const std::vector<std::pair<std::string, std::string>>& replace = {});

// A shell command's exit code and stdout.
struct ProcessRun {
  int exit_code = -1;
  std::string out;
};
ProcessRun RunCommand(const std::string& shell_command);
// Runs build/bin/sdmx-hub with `args` (stderr dropped).
ProcessRun RunHubBinary(const std::string& args);
// Its stdout without the trailing newlines (a digest, a bootstrap string).
std::string HubBinaryOutput(const std::string& args);

// The demo structures, parsed.
sdmx::StructureSet DemoStructures();
// The demo data files as generated (initial by UNSD, revision by WHO,
// national figures by UNSD).
std::string DemoInitial();
std::string DemoRevision();
std::string DemoNational();
// A structure-specific 2.1 data message of the demo dataflow holding
// `series`, in a DataSet of `action` (none given: no action attribute);
// or in `format`.
std::string DemoMessage(const std::vector<sdmx::Series>& series, std::optional<sdmx::Action> action = std::nullopt,
                        sdmx::DataFormat format = sdmx::DataFormat::kStructureSpecific21);
// The demo feed's kLarge file: about `observations` observations in `format`.
std::string LargeDemoMessage(uint64_t observations,
                             sdmx::DataFormat format = sdmx::DataFormat::kStructureSpecific21);
// A DemoMessage with one observation: maternal mortality of `area`, 2020, `value`.
std::string OneObservation(const std::string& area, int value);

// `body` arriving as an upload does: a thread publishes it into an
// ArrivingBytes in pieces of 1 to `max_piece` bytes (sizes drawn from
// `seed`), yielding between pieces so that a reader meets every edge. With
// `cut_at`, the upload fails after that many bytes. Joins in the destructor.
class Trickle {
 public:
  Trickle(std::string body, size_t max_piece, uint32_t seed, std::optional<size_t> cut_at = std::nullopt);
  ~Trickle();
  Trickle(const Trickle&) = delete;
  Trickle& operator=(const Trickle&) = delete;
  const ArrivingBytes* bytes() const { return bytes_.get(); }

 private:
  std::string body_;
  std::shared_ptr<ArrivingBytes> bytes_;
  std::thread thread_;
};

// "series_key|period" -> OBS_VALUE of every observation of a data message.
std::map<std::string, std::string> ObservationValues(const std::string& body, const sdmx::StructureSet& structures);

}  // namespace hub::testing
