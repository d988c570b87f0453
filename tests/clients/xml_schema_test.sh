#!/usr/bin/env bash
# /schema (SDMX REST): the XML Schema the hub serves for a data structure, a
# dataflow and a provision agreement is itself valid, and the hub's own
# structure-specific data answers validate against it (by series, and with
# dimensionAtObservation=AllDimensions), with xmllint (Debian's
# libxml2-utils) and SDMX's official SDMX-ML 2.1 schemas (they import
# them), as the sdmxthon package on PyPI ships them (pinned; downloaded
# once into the cache, never into the repo). An answer with a code outside
# its codelist must fail: the schemas check codes.
#   tests/clients/xml_schema_test.sh path/to/sdmx-hub
set -euo pipefail
hub=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v xmllint >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libxml2-utils >/dev/null
cache=${SDMX_HUB_CACHE:-$HOME/.cache/sdmx-hub}/sdmx-ml-2.1-schemas-sdmxthon-2.6.11
if [ ! -f "$cache/SDMXMessage.xsd" ]; then
  dl=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --dest "$dl" sdmxthon==2.6.11 >/dev/null
  mkdir -p "$cache.tmp"
  python3 - "$dl"/sdmxthon-2.6.11-*.whl "$cache.tmp" <<'PY'
import sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.startswith("sdmxthon/schemas/") and n.endswith(".xsd"):
        open(os.path.join(sys.argv[2], os.path.basename(n)), "wb").write(z.read(n))
PY
  rm -rf "$dl" "$cache" && mv "$cache.tmp" "$cache"
fi
source "$here/hub_for_test.sh"
load_demo 01_unsd_initial.xml 02_who_revision.xml 03_national.xml
work="$tmp/xsd"
mkdir -p "$work" && cp "$cache"/*.xsd "$work"/
ss='Accept: application/vnd.sdmx.structurespecificdata+xml;version=2.1'
fail=0
check() {  # check NAME SCHEMA_PATH DATA_PATH [sed expression applied to the data]
  local name=$1 schema_path=$2 data_path=$3 edit=${4:-}
  curl -sf "$url$schema_path" -o "$work/$name.xsd" || { echo "FAIL $name: GET $schema_path"; fail=1; return; }
  local ns
  ns=$(sed -n 's/.* targetNamespace="\([^"]*\)".*/\1/p' "$work/$name.xsd" | head -1)
  # A driver that loads SDMX's message schema (the root element) and ours.
  cat > "$work/$name-driver.xsd" <<XSD
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:sdmx-hub:test:$name">
  <xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" schemaLocation="SDMXMessage.xsd"/>
  <xs:import namespace="$ns" schemaLocation="$name.xsd"/>
</xs:schema>
XSD
  curl -sf -H "$ss" "$url$data_path" -o "$work/$name.xml" || { echo "FAIL $name: GET $data_path"; fail=1; return; }
  [ -n "$edit" ] && sed -i "$edit" "$work/$name.xml"
  grep -q "$ns" "$work/$name.xml" || { echo "FAIL $name: the data does not name $ns"; fail=1; return; }
  if xmllint --noout --schema "$work/$name-driver.xsd" "$work/$name.xml" 2>"$work/$name.err"; then
    echo "ok   $name: $(grep -c '<Obs ' "$work/$name.xml") observations valid against $schema_path"
  else
    echo "FAIL $name: $(head -5 "$work/$name.err")"; fail=1
  fi
}
flow=/sdmx/v1/data/SDMXHUB,DF_DEMO_SDG,1.0
check dataflow /sdmx/v1/schema/dataflow/SDMXHUB/DF_DEMO_SDG/1.0 "$flow/all"
check dataflow-latest /sdmx/v1/schema/dataflow/SDMXHUB/DF_DEMO_SDG "$flow/A.G.SH_STA_MORT.._T._T._T"
check dataflow-v2 /sdmx/v2/schema/dataflow/SDMXHUB/DF_DEMO_SDG/~ /sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/*
check cross-section "/sdmx/v1/schema/dataflow/SDMXHUB/DF_DEMO_SDG/1.0?dimensionAtObservation=REF_AREA" \
  "$flow/A.G.SH_STA_MORT.._T._T._T?dimensionAtObservation=REF_AREA"
check all-dimensions "/sdmx/v1/schema/dataflow/SDMXHUB/DF_DEMO_SDG/1.0?dimensionAtObservation=AllDimensions" \
  "$flow/all?dimensionAtObservation=AllDimensions"
# The hub's answers name the dataflow's namespace; the same data under the
# DSD's and the agreement's namespace checks their schemas.
check datastructure /sdmx/v1/schema/datastructure/SDMXHUB/DEMO_SDG/1.0 "$flow/all" \
  's/datastructure.Dataflow=SDMXHUB:DF_DEMO_SDG(1.0)/datastructure.DataStructure=SDMXHUB:DEMO_SDG(1.0)/g'
check provisionagreement /sdmx/v1/schema/provisionagreement/SDMXHUB/PA_WHO_DF_DEMO_SDG/1.0 "$flow/all" \
  's/datastructure.Dataflow=SDMXHUB:DF_DEMO_SDG(1.0)/registry.ProvisionAgreement=SDMXHUB:PA_WHO_DF_DEMO_SDG(1.0)/g'
# Must fail: an area code outside CL_AREA.
# (Its output taken whole first: under pipefail, grep -q leaving early
# would fail the pipe now and then.)
bad=$(check bad-code /sdmx/v1/schema/dataflow/SDMXHUB/DF_DEMO_SDG/1.0 "$flow/all" 's/REF_AREA="404"/REF_AREA="XYZ"/')
if grep -q '^FAIL bad-code: .*XYZ' <<<"$bad"; then
  echo "ok   bad-code: a code outside its codelist is refused"
else
  echo "FAIL bad-code: the schema let REF_AREA=XYZ through"; fail=1
fi
# Structure messages: every artefact type the hub holds (the demo has one
# of each), in SDMX-ML 2.1, valid against SDMX's schemas.
curl -sf "$url/sdmx/v1/structure/all/all/all" -o "$work/structures.xml" || { echo "FAIL GET structure/all"; fail=1; }
for element in DataStructure MetadataStructure Metadataflow HierarchicalCodelist CategoryScheme Categorisation \
  DataConsumerScheme OrganisationUnitScheme StructureSet ReportingTaxonomy Process AttachmentConstraint \
  ContentConstraint ProvisionAgreement; do
  grep -q "<str:$element " "$work/structures.xml" || { echo "FAIL structures: no $element"; fail=1; }
done
if xmllint --noout --schema "$work/SDMXMessage.xsd" "$work/structures.xml" 2>"$work/structures.err"; then
  echo "ok   structures: every type held, valid SDMX-ML 2.1"
else
  echo "FAIL structures: $(head -5 "$work/structures.err")"; fail=1
fi
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/sdmx/v1/schema/dataflow/SDMXHUB/NO_SUCH_FLOW/1.0")
[ "$code" = 404 ] && echo "ok   unknown dataflow: 404" || { echo "FAIL unknown dataflow: $code"; fail=1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/sdmx/v1/schema/dataflow/SDMXHUB/DF_DEMO_SDG/1.0?dimensionAtObservation=NOPE")
[ "$code" = 400 ] && echo "ok   unknown dimensionAtObservation: 400" || { echo "FAIL dimensionAtObservation=NOPE: $code"; fail=1; }
exit $fail
