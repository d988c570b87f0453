// A one-line progress bar for `sdmx-hub submit`, redrawn in place with '\r'
// ("  sending     [##########          ]  52%  13.1/25.2 MiB"). Thread-safe:
// the upload callback and the status poller draw from different threads.
#pragma once

#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>

namespace hub::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::ostream* out, int width = 30) : out_(out), width_(width) {}
  // Redraws: `phase`, done/total bytes (total 0 = unknown: no bar), and a
  // free-form `detail` ("1200 series").
  void Draw(const std::string& phase, uint64_t done, uint64_t total, const std::string& detail = "");
  // Ends the line if anything was drawn.
  void Finish();

 private:
  std::mutex mu_;
  std::ostream* out_;
  int width_;
  size_t last_length_ = 0;  // to blank what a longer previous line left
};

}  // namespace hub::cli
