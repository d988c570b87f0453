// SDMX-ML 2.1 GenericData and StructureSpecificData (and their time-series
// forms), and SDMX-ML 3.0 StructureSpecificData (3.0 has no generic format)
// writers.
#include <algorithm>

#include "sdmx/buffered_writer.h"
#include "sdmx/structure_writer.h"
#include "sdmx/xml.h"

namespace sdmx {
namespace {

constexpr char kSchemas[] = "http://www.sdmx.org/resources/sdmxml/schemas/";

class MlWriter final : public BufferedWriter {
 public:
  MlWriter(DataFormat format, WriteContext ctx, Sink sink)
      : BufferedWriter(std::move(ctx), std::move(sink)),
        generic_(format == DataFormat::kGeneric21 || format == DataFormat::kGenericTimeSeries21),
        v3_(format == DataFormat::kStructureSpecific30),
        root_(std::string(generic_ ? "message:Generic" : "message:StructureSpecific") +
              (TimeSeriesOnly(format) ? "TimeSeriesData" : "Data")),
        dataset_type_(TimeSeriesOnly(format) ? "TimeSeriesDataSetType" : "DataSetType") {
    const std::string base = std::string(kSchemas) + (v3_ ? "v3_0/" : "v2_1/");
    out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out_ += "<" + root_;
    out_ += " xmlns:message=\"" + base + "message\" xmlns:common=\"" + base + "common\"";
    if (generic_) {
      out_ += " xmlns:generic=\"" + base + "data/generic\"";
    } else {
      out_ += " xmlns:ss=\"" + base + "data/structurespecific" +
              "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
      // ns1, ns2...: each structure's namespace, which its DataSet's xsi:type is in.
      for (size_t i = 0; i < ctx_.structures.size(); ++i) {
        out_ += " xmlns:ns" + std::to_string(i + 1) + "=\"";
        AppendEscaped(&out_, Namespace(i));
        out_ += "\"";
      }
    }
    out_ += ">\n<message:Header>\n<message:ID>";
    AppendEscaped(&out_, ctx_.message_id);
    out_ += "</message:ID>\n<message:Test>false</message:Test>\n<message:Prepared>" + ctx_.prepared +
            "</message:Prepared>\n<message:Sender id=\"";
    AppendEscaped(&out_, ctx_.sender);
    out_ += "\"/>\n";
    for (size_t i = 0; i < ctx_.structures.size(); ++i) HeaderStructure(i);
    out_ += "</message:Header>\n";
    OpenDataSet({ctx_.action, ctx_.valid_from, ctx_.valid_to});
  }

  void NextDataSetOf(size_t structure, const DataSetHeader& h) override {
    out_ += "</message:DataSet>\n";
    Select(structure);
    OpenDataSet(h);
  }

  void WriteSeries(const Series& s) override {
    if (ctx_.all_dimensions) {
      WriteFlat(s);
    } else if (generic_) {
      WriteGeneric(s);
    } else {
      WriteStructureSpecific(s);
    }
    MaybeFlush();
  }

  void OpenDataSet(const DataSetHeader& h) {
    const char* p = generic_ ? "" : "ss:";
    if (generic_) {
      out_ += "<message:DataSet";
      Attr("structureRef", StructureId(structure_));
    } else {
      out_ += "<message:DataSet ss:dataScope=\"DataStructure\" xsi:type=\"ns" + std::to_string(structure_ + 1) + ":" +
              dataset_type_ + "\"";
      Attr("ss:structureRef", StructureId(structure_));
    }
    if (h.action) out_ += std::string(" ") + p + "action=\"" + ActionName(*h.action) + "\"";
    // Dates as the provider sent them: escaped like any value.
    if (!h.valid_from.empty()) Attr(std::string(p) + "validFromDate", h.valid_from);
    if (!h.valid_to.empty()) Attr(std::string(p) + "validToDate", h.valid_to);
    out_ += ">\n";
  }

  void Finish() override {
    out_ += "</message:DataSet>\n</" + root_ + ">\n";
    Flush();
  }

 private:
  void Attr(std::string_view name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    AppendEscaped(&out_, value);
    out_ += '"';
  }

  void GenericValues(const char* holder, const Fields& fields) {
    if (fields.empty()) return;
    out_ += std::string("<generic:") + holder + ">";
    for (const Field& f : fields) {
      out_ += "<generic:Value";
      Attr("id", f.id);
      Attr("value", f.value);
      out_ += "/>";
    }
    out_ += std::string("</generic:") + holder + ">";
  }

  void WriteGeneric(const Series& s) {
    out_ += "<generic:Series><generic:SeriesKey>";
    for (size_t i = 0; i < s.key.size() && i < ctx_.dsd->dimensions.size(); ++i) {
      out_ += "<generic:Value";
      Attr("id", ctx_.dsd->dimensions[i].id);
      Attr("value", s.key[i]);
      out_ += "/>";
    }
    out_ += "</generic:SeriesKey>";
    GenericValues("Attributes", s.attributes);
    out_ += '\n';
    for (const Observation& o : s.observations) {
      out_ += "<generic:Obs><generic:ObsDimension";
      Attr("value", o.period);
      out_ += "/><generic:ObsValue";
      Attr("value", o.value);
      out_ += "/>";
      GenericValues("Attributes", o.attributes);
      out_ += "</generic:Obs>\n";
    }
    out_ += "</generic:Series>\n";
  }

  void WriteStructureSpecific(const Series& s) {
    out_ += "<Series";
    for (size_t i = 0; i < s.key.size() && i < ctx_.dsd->dimensions.size(); ++i) {
      Attr(ctx_.dsd->dimensions[i].id, s.key[i]);
    }
    for (const Field& f : s.attributes) Attr(f.id, f.value);
    out_ += ">\n";
    for (const Observation& o : s.observations) {
      out_ += "<Obs";
      Attr(ctx_.dsd->time_dimension, o.period);
      Attr(ctx_.dsd->primary_measure, o.value);
      for (const Field& f : o.attributes) Attr(f.id, f.value);
      out_ += "/>\n";
    }
    out_ += "</Series>\n";
  }

  // AllDimensions: every observation alone with its full key, and the
  // series attributes with it (a flat message has no series level).
  void WriteFlat(const Series& s) {
    const DataStructure& dsd = *ctx_.dsd;
    const size_t n = std::min(s.key.size(), dsd.dimensions.size());
    for (const Observation& o : s.observations) {
      if (generic_) {
        out_ += "<generic:Obs><generic:ObsKey>";
        for (size_t i = 0; i < n; ++i) {
          out_ += "<generic:Value";
          Attr("id", dsd.dimensions[i].id);
          Attr("value", s.key[i]);
          out_ += "/>";
        }
        out_ += "<generic:Value";
        Attr("id", dsd.time_dimension);
        Attr("value", o.period);
        out_ += "/></generic:ObsKey><generic:ObsValue";
        Attr("value", o.value);
        out_ += "/>";
        Fields attrs = s.attributes;
        attrs.insert(attrs.end(), o.attributes.begin(), o.attributes.end());
        GenericValues("Attributes", attrs);
        out_ += "</generic:Obs>\n";
      } else {
        out_ += "<Obs";
        for (size_t i = 0; i < n; ++i) Attr(dsd.dimensions[i].id, s.key[i]);
        Attr(dsd.time_dimension, o.period);
        Attr(dsd.primary_measure, o.value);
        for (const Field& f : s.attributes) Attr(f.id, f.value);
        for (const Field& f : o.attributes) Attr(f.id, f.value);
        out_ += "/>\n";
      }
    }
  }

  // The header's structureID of structures[i]: its reference, made an
  // NCName; numbered when two structures would share one.
  std::string StructureId(size_t i) const {
    const ArtefactRef& ref = HeaderRef(i);
    std::string id = ref.agency + "_" + ref.id + "_" + ref.version;
    for (char& c : id) {
      if (c == '.' || c == '-') c = '_';
    }
    for (size_t j = 0; j < i; ++j) {
      if (HeaderRef(j) == ref) return id + "_" + std::to_string(i + 1);
    }
    return id;
  }

  std::string DimensionAtObservation(size_t i) const {
    return ctx_.all_dimensions ? "AllDimensions" : ctx_.structures[i].dsd->time_dimension;
  }

  // The schema namespace of a structure-specific dataset: of the dataflow
  // when the data is a dataflow's (as agencies' files have it), else of the DSD.
  // (An agreement's data keeps its dataflow's: the query was the
  // dataflow's, and clients such as the SDMX TCK identify the data by it.)
  std::string Namespace(size_t i) const {
    const MessageStructure& m = ctx_.structures[i];
    const ArtefactRef& ref = m.dataflow ? *m.dataflow : m.dsd->ref;
    return std::string("urn:sdmx:org.sdmx.infomodel.datastructure.") + (m.dataflow ? "Dataflow=" : "DataStructure=") +
           ref.agency + ":" + ref.id + "(" + ref.version + "):ObsLevelDim:" + DimensionAtObservation(i);
  }

  void HeaderStructure(size_t i) {
    const ArtefactRef& ref = HeaderRef(i);
    const bool flow = ctx_.structures[i].dataflow.has_value();
    // Ids come from submitted structures, which nothing restricts to the
    // SDMX id pattern: escaped like any value.
    out_ += "<message:Structure";
    Attr("structureID", StructureId(i));
    if (!generic_) {
      out_ += " namespace=\"";
      AppendEscaped(&out_, Namespace(i));
      out_ += "\"";
    }
    Attr("dimensionAtObservation", DimensionAtObservation(i));
    out_ += ">";
    if (const auto& pa = ctx_.structures[i].agreement) {
      // SDMX-ML 2.1's schema spells this element ProvisionAgrement.
      if (v3_) {
        out_ += "<common:ProvisionAgreement>";
        AppendEscaped(&out_, MaintainableUrn("registry.ProvisionAgreement", *pa));
        out_ += "</common:ProvisionAgreement>";
      } else {
        out_ += "<common:ProvisionAgrement><Ref agencyID=\"";
        AppendEscaped(&out_, pa->agency);
        out_ += "\" id=\"";
        AppendEscaped(&out_, pa->id);
        out_ += "\" version=\"";
        AppendEscaped(&out_, pa->version);
        out_ += "\" class=\"ProvisionAgreement\" package=\"registry\"/></common:ProvisionAgrement>";
      }
      out_ += "</message:Structure>\n";
      return;
    }
    const char* usage = flow ? "common:StructureUsage" : "common:Structure";
    out_ += std::string("<") + usage + ">";
    if (v3_) {
      // 3.0 refers by URN.
      AppendEscaped(&out_, MaintainableUrn(flow ? "datastructure.Dataflow" : "datastructure.DataStructure", ref));
    } else {
      out_ += "<Ref agencyID=\"";
      AppendEscaped(&out_, ref.agency);
      out_ += "\" id=\"";
      AppendEscaped(&out_, ref.id);
      out_ += "\" version=\"";
      AppendEscaped(&out_, ref.version);
      out_ += "\"/>";
    }
    out_ += std::string("</") + usage + "></message:Structure>\n";
  }

  bool generic_;
  bool v3_;
  const std::string root_;          // the message element
  const std::string dataset_type_;  // structure-specific DataSet's xsi:type
};

}  // namespace

std::unique_ptr<DataWriter> NewMlWriter(DataFormat format, WriteContext ctx, Sink sink) {
  return std::make_unique<MlWriter>(format, std::move(ctx), std::move(sink));
}

}  // namespace sdmx
