// QueuedReader: what every DataReader implementation shares. A format reader
// fills `queue_` from Advance() (one source element can hold several series,
// e.g. a cross-section) and reports errors through Fail().
#pragma once

#include <deque>
#include <memory>
#include <string>

#include "sdmx/data_reader.h"

namespace sdmx {

class QueuedReader : public DataReader {
 public:
  const MessageHeader& header() const override { return header_; }
  bool Valid() const override { return !queue_.empty(); }
  void Next() override {
    if (!queue_.empty()) queue_.pop_front();
    if (queue_.empty()) Advance();
  }
  const Series& series() const override { return queue_.front(); }
  const DataSetInfo& dataset() const override { return dataset_; }
  const DataStructure& structure() const override { return *dsd_; }
  bool has_structure() const override { return dsd_ != nullptr; }
  const hub::Status& status() const override { return status_; }

 protected:
  QueuedReader(std::string file, const StructureSet& structures, const DataReaderOptions& options, Diagnostics* diags)
      : file_(std::move(file)), structures_(structures), options_(options), diags_(diags) {}

  // Queues the next series, if any; leaves the queue empty at the end or on error.
  virtual void Advance() = 0;

  // Records a located diagnostic, stops reading and returns the error.
  hub::Status Fail(int line, std::string element, std::string rule, std::string message) {
    Diagnostic d{file_, line, std::move(element), std::move(rule), std::move(message)};
    status_ = hub::Status::InvalidArgument(d.ToString());
    diags_->Add(std::move(d));
    queue_.clear();
    return status_;
  }

  const std::string file_;
  const StructureSet& structures_;
  const DataReaderOptions options_;
  Diagnostics* const diags_;
  MessageHeader header_;
  DataSetInfo dataset_;
  const DataStructure* dsd_ = nullptr;
  std::deque<Series> queue_;
  hub::Status status_;
};

// Constructs a reader of type R and runs its Init(): the shared body of the
// Open*DataReader factories.
// `Input` is a std::string_view or a const hub::ArrivingBytes*.
template <typename R, typename Input>
hub::Result<std::unique_ptr<DataReader>> OpenQueuedReader(Input input, std::string file,
                                                          const StructureSet& structures,
                                                          const DataReaderOptions& options, Diagnostics* diags) {
  auto reader = std::make_unique<R>(input, std::move(file), structures, options, diags);
  HUB_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<DataReader>(std::move(reader));
}

}  // namespace sdmx
