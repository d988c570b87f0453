#include "hub/cli/progress_bar.h"

#include <algorithm>
#include <cstdio>

namespace hub::cli {
namespace {

std::string Mib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

}  // namespace

void ProgressBar::Draw(const std::string& phase, uint64_t done, uint64_t total, const std::string& detail) {
  std::string line = "  " + phase;
  line.resize(std::max<size_t>(line.size(), 14), ' ');
  if (total) {
    done = std::min(done, total);
    const int filled = static_cast<int>(width_ * done / total);
    line += "[" + std::string(filled, '#') + std::string(width_ - filled, ' ') + "] ";
    const std::string pct = std::to_string(100 * done / total) + "%";
    line += std::string(4 - std::min<size_t>(pct.size(), 4), ' ') + pct + "  " + Mib(done) + "/" + Mib(total) + " MiB";
  }
  if (!detail.empty()) line += "  " + detail;
  std::lock_guard lock(mu_);
  const size_t length = line.size();
  if (length < last_length_) line += std::string(last_length_ - length, ' ');
  last_length_ = length;
  *out_ << '\r' << line << std::flush;
}

void ProgressBar::Finish() {
  std::lock_guard lock(mu_);
  if (last_length_) *out_ << '\n' << std::flush;
  last_length_ = 0;
}

}  // namespace hub::cli
