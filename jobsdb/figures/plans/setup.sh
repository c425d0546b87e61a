#!/usr/bin/env bash
# Creates a database migrated with jobsdb's migrations up to a version (psql -f each, in version order), for
# fill.sql and copy-cost.sql: jobsdb/figures/plans/setup.sh <database> <last version, e.g. 15>
set -euo pipefail
db=$1 last=$2
dir=$(cd "$(dirname "$0")/../../src/main/resources/db/jobsdb" && pwd)
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGPASSWORD=${PGPASSWORD:-postgres}
psql -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
for f in $(ls "$dir" | sort -V); do
  v=${f#V}; v=${v%%__*}
  (( v <= last )) && psql -q -v ON_ERROR_STOP=1 -d "$db" -f "$dir/$f"
done
