#!/usr/bin/env sh
# A shell ETL job measured by the runner: it writes Prometheus text format to the file the runner names in
# $JOBMETRICS_TEXTFILE, and the runner pushes those metrics with the run.
#   java -jar job-runner.jar --job shell_etl -- sample-jobs/scripts/etl.sh ROWS [fail]
set -eu
rows=${1:-100}
fail=${2:-none}

errors=0
i=0
while [ "$i" -lt "$rows" ]; do
  if [ $((i % 50)) -eq 0 ]; then errors=$((errors + 1)); fi
  i=$((i + 1))
done

if [ -n "${JOBMETRICS_TEXTFILE:-}" ]; then
  cat > "$JOBMETRICS_TEXTFILE" <<METRICS
# HELP batch_job_records_total Records processed, successful or not.
# TYPE batch_job_records_total counter
batch_job_records_total{stage="main"} $rows
# HELP batch_job_record_errors_total Records that failed, by error class.
# TYPE batch_job_record_errors_total counter
batch_job_record_errors_total{stage="main",error="malformed_row"} $errors
# HELP shell_etl_rows_per_file Rows in the input file.
# TYPE shell_etl_rows_per_file gauge
shell_etl_rows_per_file $rows
METRICS
fi
echo "processed $rows rows, $errors malformed"
[ "$fail" = "fail" ] && exit 3
exit 0
