// QueuedReader: what every DataReader implementation shares. A format reader
// fills `queue_` from Advance() (one source element can hold several series,
// e.g. a cross-section) and reports errors through Fail(). Each series
// passes PrepareFront() when it becomes the current one: the one place
// where the DSD's whiteSpace facets apply (text_type.h), whatever the format.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "sdmx/data_reader.h"
#include "sdmx/text_type.h"

namespace sdmx {

class QueuedReader : public DataReader {
 public:
  const MessageHeader& header() const override { return header_; }
  bool Valid() const override { return !queue_.empty(); }
  void Next() override {
    if (!queue_.empty()) queue_.pop_front();
    front_ready_ = false;
    if (queue_.empty()) Advance();
    PrepareFront();
  }
  const Series& series() const override { return queue_.front(); }
  const DataSetInfo& dataset() const override { return dataset_; }
  const DataStructure& structure() const override { return *dsd_; }
  bool has_structure() const override { return dsd_ != nullptr; }
  const hub::Status& status() const override { return status_; }

  // Applies the whiteSpace facets of the current DSD to the current series,
  // once. The series at the front always belongs to dsd_: a reader moves on
  // to another dataset only with an empty queue. OpenQueuedReader calls it
  // after Init(), Next() after moving.
  void PrepareFront() {
    if (front_ready_ || queue_.empty()) return;
    if (facets_dsd_ != dsd_) {
      facets_.emplace(*dsd_);
      facets_dsd_ = dsd_;
    }
    facets_->Apply(&queue_.front());
    front_ready_ = true;
  }

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
    front_ready_ = false;
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

 private:
  bool front_ready_ = false;  // PrepareFront() ran on queue_.front()
  const DataStructure* facets_dsd_ = nullptr;
  std::optional<WhiteSpaceFacets> facets_;  // of facets_dsd_
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
  reader->PrepareFront();
  return std::unique_ptr<DataReader>(std::move(reader));
}

}  // namespace sdmx
