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
    if (ctx_.structures.empty()) ctx_.structures.push_back({ctx_.dsd, ctx_.dataflow, std::nullopt});
    Select(0);
  }
  void NextDataSet(const DataSetHeader& header) override { NextDataSetOf(structure_, header); }
  // Makes structures[i] the current one: ctx_.dsd and ctx_.dataflow are
  // always those of the open dataset.
  void Select(size_t i) {
    structure_ = i;
    ctx_.dsd = ctx_.structures[i].dsd;
    ctx_.dataflow = ctx_.structures[i].dataflow;
  }
  void MaybeFlush() {
    if (out_.size() >= ctx_.flush_bytes) Flush();
  }
  void Flush() {
    if (!out_.empty()) sink_(out_);
    out_.clear();
  }
  // The structure the header names: the dataflow when given, else the DSD.
  const ArtefactRef& HeaderRef() const { return HeaderRef(structure_); }
  const ArtefactRef& HeaderRef(size_t i) const {
    const MessageStructure& m = ctx_.structures[i];
    return m.dataflow ? *m.dataflow : m.dsd->ref;
  }

  WriteContext ctx_;
  size_t structure_ = 0;  // of the open dataset, in ctx_.structures
  Sink sink_;
  std::string out_;
};

}  // namespace sdmx
