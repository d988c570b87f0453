#include "storage/kafka_mock_cluster.h"

#include <librdkafka/rdkafka.h>
// rdkafka_mock.h needs rdkafka.h first.
#include <librdkafka/rdkafka_mock.h>

namespace hub::storage {

Result<std::unique_ptr<KafkaMockCluster>> KafkaMockCluster::Start(const KafkaMockClusterOptions& options) {
  if (options.brokers < 1) return Status::InvalidArgument("KafkaMockClusterOptions.brokers must be >= 1");
  std::unique_ptr<KafkaMockCluster> c(new KafkaMockCluster());
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The handle only hosts the cluster; it must not try to reach any broker.
  rd_kafka_conf_set(conf, "bootstrap.servers", "", err, sizeof err);
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);  // no "no bootstrap.servers" notice
  c->rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!c->rk_) {
    rd_kafka_conf_destroy(conf);
    return Status::Internal(std::string("mock cluster handle: ") + err);
  }
  c->cluster_ = rd_kafka_mock_cluster_new(c->rk_, options.brokers);
  if (!c->cluster_) return Status::Internal("rd_kafka_mock_cluster_new failed");
  for (const std::string& t : options.topics.Created()) {
    int parts = t == options.topics.data ? options.data_partitions : 1;
    rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(c->cluster_, t.c_str(), parts, 1);
    if (e) return Status::Internal("mock topic " + t + ": " + rd_kafka_err2str(e));
  }
  return c;
}

KafkaMockCluster::~KafkaMockCluster() {
  if (cluster_) rd_kafka_mock_cluster_destroy(cluster_);
  if (rk_) rd_kafka_destroy(rk_);
}

std::string KafkaMockCluster::bootstrap() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

}  // namespace hub::storage
