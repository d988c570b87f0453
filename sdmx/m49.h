// UN M49 (Standard country or area codes for statistical use, UNSD): the
// geographic regions and the countries or areas in them, and the SDG
// regional groupings built from them. Reference data for the demo structures
// (codelist CL_AREA) and the regional aggregates of the views.
#pragma once

#include <vector>

namespace sdmx {

struct M49Area {
  const char* code;    // M49 numeric code without leading zeros, e.g. "4" (Afghanistan), "404" (Kenya), "1" (World)
  const char* name;    // English name as UNSD writes it
  const char* parent;  // the code of the smallest M49 region containing it ("" for World "1")
};

// World, the 5 regions, the sub-regions and intermediate regions, then every country or area.
const std::vector<M49Area>& M49Areas();

// A grouping that cuts across the M49 tree (SDG regions, LDC, LLDC, SIDS).
struct M49Grouping {
  const char* code;  // e.g. "SDG_SSA": letters, digits, '_' (never an M49 number)
  const char* name;  // e.g. "Sub-Saharan Africa (SDG regional grouping)"
  // The M49 regions it is the union of, or the countries it lists.
  std::vector<const char*> members;
};

// The 8 SDG regional groupings used in the SDG report (Sub-Saharan Africa; Northern Africa and Western Asia;
// Central and Southern Asia; Eastern and South-Eastern Asia; Latin America and the Caribbean; Oceania excluding
// Australia and New Zealand; Australia and New Zealand; Europe and Northern America), plus LDC (Least Developed
// Countries), LLDC (Landlocked Developing Countries) and SIDS (Small Island Developing States) as country lists.
const std::vector<M49Grouping>& M49Groupings();

}  // namespace sdmx
