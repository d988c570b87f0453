# Reads data and a data structure from a running hub with rsdmx (Debian's
# r-cran-rsdmx), as an R user would through an SDMX service provider, and
# writes what it got for rsdmx_test.sh to compare:
#   Rscript rsdmx_read.R BASE_URL KEY OUT_DIR
args <- commandArgs(trailingOnly = TRUE)
base <- args[1]; key <- args[2]; out <- args[3]
suppressPackageStartupMessages(library(rsdmx))
addSDMXServiceProvider(SDMXServiceProvider(
  agencyId = "SDMXHUB", name = "SDMX Hub",
  builder = SDMXREST21RequestBuilder(regUrl = base, repoUrl = base, compliant = TRUE)))
data <- as.data.frame(readSDMX(providerId = "SDMXHUB", resource = "data", flowRef = "DF_DEMO_SDG", key = key))
rows <- paste(data$FREQ, data$REPORTING_TYPE, data$SERIES, data$REF_AREA, data$SEX, data$AGE, data$URBANISATION,
              sep = ".")
values <- as.character(as.numeric(data$obsValue))
writeLines(sort(paste(rows, data$obsTime, values, data$OBS_STATUS, sep = "|")), file.path(out, "data.txt"))
dsd <- readSDMX(providerId = "SDMXHUB", resource = "datastructure", resourceId = "DEMO_SDG")
ids <- sapply(slot(slot(dsd, "codelists"), "codelists"), function(x) slot(x, "id"))
writeLines(sort(ids), file.path(out, "codelists.txt"))
