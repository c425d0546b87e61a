"""Prints EXPLAIN (ANALYZE, BUFFERS) of crash recovery's statements, before and after review 0805 P3-3, on a
database filled by fill.sql (see measure.sql for the terminal_below values). Usage: python3 measure.py DBNAME.
Each statement runs in a transaction that is rolled back; every statement is run twice, the second is printed."""
import subprocess
import sys

DB = sys.argv[1]
PARTS = ", ".join(str(p) for p in range(32))


def psql(sql):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-X", "-q", "-A", "-t", "-c", sql],
                          check=True, capture_output=True, text=True).stdout


OLD_LATEST = """SELECT ls.id, j.job_id, ls.attempt, ls.error_response,
       coalesce(ls.first_attempted_at, ls.exec_time) AS first_attempted_at,
       ls.first_attempted_at IS NULL AS first_attempt
FROM {q}_jobs j
JOIN {q}_job_status ls ON ls.job_id = j.job_id
WHERE ls.job_state = 'executing'
  AND NOT EXISTS (SELECT 1 FROM {q}_job_status n WHERE n.job_id = ls.job_id AND n.id > ls.id) AND j.partition_id IN ({parts})"""
NEW_LATEST = """SELECT ls.id, j.job_id, ls.attempt, ls.error_response,
       coalesce(ls.first_attempted_at, ls.exec_time) AS first_attempted_at,
       ls.first_attempted_at IS NULL AS first_attempt
FROM {q}_jobs j
JOIN {q}_job_status ls ON ls.job_id = j.job_id
WHERE j.job_id >= {lo} AND j.job_id < {hi} AND ls.job_id >= {lo} AND ls.job_id < {hi}
  AND ls.job_state = 'executing'
  AND NOT EXISTS (SELECT 1 FROM {q}_job_status n
                  WHERE n.job_id = ls.job_id AND n.id > ls.id AND n.job_id >= {lo} AND n.job_id < {hi}) AND j.partition_id IN ({parts})"""
OLD_RESET = "DELETE FROM gw_job_status WHERE id IN (SELECT id FROM (" + OLD_LATEST + ") e)"
NEW_RESET = "DELETE FROM gw_job_status d USING (" + NEW_LATEST + """
) e
WHERE d.job_id = e.job_id AND d.id = e.id AND d.job_id >= {lo} AND d.job_id < {hi}"""
FAIL = """INSERT INTO rt_job_status (job_id, job_state, attempt, error_code, error_response, first_attempted_at)
SELECT e.job_id, 'failed', e.attempt, 'recovered',
       e.error_response
       || CASE WHEN e.first_attempt
               THEN jsonb_build_object('firstAttemptedAt',
                        to_char(e.first_attempted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
               ELSE '{{}}'::jsonb END
       || '{{"reason":"process stopped while the job was executing"}}',
       e.first_attempted_at
FROM ("""
OLD_FAIL = FAIL + OLD_LATEST + ") e"
NEW_FAIL = FAIL + NEW_LATEST + ") e"
RANGES = """SELECT coalesce(terminal_below, min_job_id), max_job_id FROM jobsdb_datasets
WHERE queue = '{q}' AND coalesce(terminal_below, min_job_id) < max_job_id ORDER BY idx"""


def explain(title, sql):
    plan = ""
    for _ in range(2):
        plan = psql("BEGIN; EXPLAIN (ANALYZE, BUFFERS) " + sql + "; ROLLBACK;")
    print("### " + title + "\n" + sql + "\n\n" + plan)


print(psql("SELECT version()"))
print(psql("SELECT queue, idx, min_job_id, max_job_id, terminal_below FROM jobsdb_datasets ORDER BY queue, idx"))
for q, old, new in (("gw", OLD_RESET, NEW_RESET), ("rt", OLD_FAIL, NEW_FAIL)):
    explain(q + " before (one statement over every dataset)", old.format(q=q, parts=PARTS))
    for line in psql(RANGES.format(q=q)).split():
        lo, hi = line.split("|")
        explain(f"{q} after, range [{lo}, {hi})", new.format(q=q, parts=PARTS, lo=lo, hi=hi))
