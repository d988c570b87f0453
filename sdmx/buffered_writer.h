// Base of the DataWriter implementations: an output buffer flushed to the
// sink whenever it passes WriteContext::flush_bytes.
#pragma once

#include <string>

#include "sdmx/data_writer.h"

namespace sdmx {

class BufferedWriter : public DataWriter {
 protected:
  BufferedWriter(WriteContext ctx, Sink sink) : ctx_(std::move(ctx)), sink_(std::move(sink)) {
    if (ctx_.prepared.empty()) ctx_.prepared = NowIso8601();
  }
  void MaybeFlush() {
    if (out_.size() >= ctx_.flush_bytes) Flush();
  }
  void Flush() {
    if (!out_.empty()) sink_(out_);
    out_.clear();
  }
  // The structure the header names: the dataflow when given, else the DSD.
  const ArtefactRef& HeaderRef() const { return ctx_.dataflow ? *ctx_.dataflow : ctx_.dsd->ref; }

  WriteContext ctx_;
  Sink sink_;
  std::string out_;
};

}  // namespace sdmx
