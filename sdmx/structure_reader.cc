#include "sdmx/structure_reader.h"

#include <algorithm>
#include <filesystem>

#include "sdmx/file.h"
#include "sdmx/urn.h"

namespace sdmx {
namespace {

std::string Attr(const pugi::xml_node& n, const char* name) { return n.attribute(name).value(); }

// The text of the first Name child (any language; English preferred).
std::string NameOf(const pugi::xml_node& n) {
  std::string first;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (LocalName(c) != "Name") continue;
    std::string_view lang = c.attribute("xml:lang").value();
    if (lang == "en") return c.text().get();
    if (first.empty()) first = c.text().get();
  }
  return first;
}

// A reference element holds either <Ref agencyID= id= version=/> (2.1), a
// <URN> child (2.1), or the URN as its text (3.0).
std::optional<ArtefactRef> ParseRef(const pugi::xml_node& holder) {
  if (!holder) return std::nullopt;
  if (pugi::xml_node ref = ChildByLocalName(holder, "Ref")) {
    return ArtefactRef{Attr(ref, "agencyID"), Attr(ref, "id"), Attr(ref, "version")};
  }
  if (pugi::xml_node urn = ChildByLocalName(holder, "URN")) return ParseUrn(urn.text().get());
  return ParseUrn(holder.text().get());
}

ArtefactRef RefOf(const pugi::xml_node& n) {
  std::string version = Attr(n, "version");
  return {Attr(n, "agencyID"), Attr(n, "id"), version.empty() ? "1.0" : version};
}

std::optional<ArtefactRef> EnumerationOf(const pugi::xml_node& component) {
  pugi::xml_node rep = ChildByLocalName(component, "LocalRepresentation");
  if (!rep) return std::nullopt;
  return ParseRef(ChildByLocalName(rep, "Enumeration"));
}

Codelist ReadCodelist(const pugi::xml_node& n) {
  Codelist cl;
  cl.ref = RefOf(n);
  cl.name = NameOf(n);
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (LocalName(c) != "Code") continue;
    Code code{Attr(c, "id"), NameOf(c), ""};
    if (auto p = ParseRef(ChildByLocalName(c, "Parent")); p) {
      code.parent = p->id;
    } else if (pugi::xml_node parent = ChildByLocalName(c, "Parent")) {
      code.parent = parent.text().get();
    }
    cl.codes.push_back(std::move(code));
  }
  return cl;
}

AttachmentLevel LevelOf(const pugi::xml_node& attribute, const std::string& time_dimension) {
  pugi::xml_node rel = ChildByLocalName(attribute, "AttributeRelationship");
  if (!rel || ChildByLocalName(rel, "None")) return AttachmentLevel::kDataSet;
  if (ChildByLocalName(rel, "PrimaryMeasure") || ChildByLocalName(rel, "Observation")) {
    return AttachmentLevel::kObservation;
  }
  if (ChildByLocalName(rel, "Group") || ChildByLocalName(rel, "AttachmentGroup")) {
    return AttachmentLevel::kGroup;
  }
  if (ChildByLocalName(rel, "Dataflow")) return AttachmentLevel::kDataSet;
  for (pugi::xml_node d = rel.first_child(); d; d = d.next_sibling()) {
    if (LocalName(d) != "Dimension") continue;
    pugi::xml_node ref = ChildByLocalName(d, "Ref");
    std::string id = ref ? Attr(ref, "id") : d.text().get();
    if (id == time_dimension) return AttachmentLevel::kObservation;
  }
  return AttachmentLevel::kSeries;
}

DataStructure ReadDataStructure(const pugi::xml_node& n) {
  DataStructure dsd;
  dsd.ref = RefOf(n);
  dsd.name = NameOf(n);
  pugi::xml_node comps = ChildByLocalName(n, "DataStructureComponents");
  pugi::xml_node dims = ChildByLocalName(comps, "DimensionList");
  for (pugi::xml_node d = dims.first_child(); d; d = d.next_sibling()) {
    std::string_view ln = LocalName(d);
    if (ln == "TimeDimension") {
      std::string id = Attr(d, "id");
      if (!id.empty()) dsd.time_dimension = id;
    } else if (ln == "Dimension" || ln == "MeasureDimension") {
      Dimension dim;
      dim.id = Attr(d, "id");
      dim.position = d.attribute("position").as_int(static_cast<int>(dsd.dimensions.size()) + 1);
      dim.codelist = EnumerationOf(d);
      dsd.dimensions.push_back(std::move(dim));
    }
  }
  std::stable_sort(dsd.dimensions.begin(), dsd.dimensions.end(),
                   [](const Dimension& a, const Dimension& b) { return a.position < b.position; });
  pugi::xml_node attrs = ChildByLocalName(comps, "AttributeList");
  for (pugi::xml_node a = attrs.first_child(); a; a = a.next_sibling()) {
    if (LocalName(a) != "Attribute") continue;
    Attribute attr;
    attr.id = Attr(a, "id");
    attr.codelist = EnumerationOf(a);
    attr.level = LevelOf(a, dsd.time_dimension);
    std::string status = Attr(a, "assignmentStatus");
    // 3.0 expresses mandatory attributes as minOccurs="1" on the element.
    attr.mandatory = status == "Mandatory" || std::string_view(Attr(a, "minOccurs")) == "1";
    dsd.attributes.push_back(std::move(attr));
  }
  pugi::xml_node measures = ChildByLocalName(comps, "MeasureList");
  for (pugi::xml_node m = measures.first_child(); m; m = m.next_sibling()) {
    std::string_view ln = LocalName(m);
    if (ln == "PrimaryMeasure" || ln == "Measure") {
      // SDMX 2.1 fixes the id as OBS_VALUE; some files leave it out.
      std::string id = Attr(m, "id");
      if (!id.empty()) dsd.primary_measure = id;
      break;
    }
  }
  return dsd;
}

Dataflow ReadDataflow(const pugi::xml_node& n) {
  Dataflow df;
  df.ref = RefOf(n);
  df.name = NameOf(n);
  if (auto s = ParseRef(ChildByLocalName(n, "Structure"))) df.structure = *s;
  return df;
}

}  // namespace

hub::Status ReadStructureMessage(std::string_view buffer, const std::string& file,
                                 const StructureReaderOptions& options, StructureSet* out,
                                 Diagnostics* diags) {
  LineIndex lines(buffer);
  pugi::xml_document doc;
  HUB_RETURN_IF_ERROR(ParseXml(buffer, file, options.xml, lines, &doc, diags));
  pugi::xml_node root = doc.document_element();
  if (LocalName(root) != "Structure") {
    Diagnostic d{file, lines.LineOf(root), std::string(LocalName(root)), "message-type",
                 "expected an SDMX-ML Structure message"};
    std::string text = d.ToString();
    diags->Add(std::move(d));
    return hub::Status::InvalidArgument(text);
  }
  StructureSet found;
  pugi::xml_node structures = ChildByLocalName(root, "Structures");
  for (pugi::xml_node group = structures.first_child(); group; group = group.next_sibling()) {
    for (pugi::xml_node a = group.first_child(); a; a = a.next_sibling()) {
      std::string_view ln = LocalName(a);
      if (ln == "Codelist") {
        found.Add(ReadCodelist(a));
      } else if (ln == "DataStructure") {
        found.Add(ReadDataStructure(a));
      } else if (ln == "Dataflow") {
        found.Add(ReadDataflow(a));
      }
    }
  }
  out->Merge(found);
  return hub::Status::Ok();
}

hub::Status LoadStructures(const std::string& path, const StructureReaderOptions& options,
                           StructureSet* out, Diagnostics* diags) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& e : fs::directory_iterator(path, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  for (const auto& f : files) {
    HUB_ASSIGN_OR_RETURN(std::string content, ReadFile(f));
    HUB_RETURN_IF_ERROR(ReadStructureMessage(content, f, options, out, diags));
  }
  return hub::Status::Ok();
}

hub::Status CheckReferences(const StructureSet& set, Diagnostics* diags) {
  size_t before = diags->count();
  auto missing = [&](const std::string& owner, const std::string& what) {
    diags->Add({owner, 0, "Structure", "reference-resolves", "refers to missing " + what});
  };
  for (const auto& [k, dsd] : set.data_structures()) {
    for (const auto& d : dsd.dimensions) {
      if (d.codelist && !set.FindCodelist(*d.codelist)) missing(k, "codelist " + d.codelist->ToString());
    }
    for (const auto& a : dsd.attributes) {
      if (a.codelist && !set.FindCodelist(*a.codelist)) missing(k, "codelist " + a.codelist->ToString());
    }
  }
  for (const auto& [k, df] : set.dataflows()) {
    if (!set.FindDataStructure(df.structure)) missing(k, "data structure " + df.structure.ToString());
  }
  if (diags->count() != before) {
    return hub::Status::InvalidArgument(std::to_string(diags->count() - before) +
                                        " unresolved structure references");
  }
  return hub::Status::Ok();
}

}  // namespace sdmx
