import java.lang.reflect.*;
import java.util.*;

/** Prints, as psql input, EXPLAIN (ANALYZE, BUFFERS) of the pickup's new statements, taken from the compiled classes. */
public class NewPlans {
    static String field(Class<?> c, String name) throws Exception {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return (String) f.get(null);
    }

    public static void main(String[] args) throws Exception {
        Class<?> db = Class.forName("dev.eventpipe.jobsdb.PostgresJobsDb");
        String window = field(db, "UNPROCESSED_WINDOW"), retry = field(db, "RETRYABLE"), held = field(db, "HELD");
        String first = field(db, "FIRST_UNRESOLVED"), jobColumns = field(db, "JOB_COLUMNS"),
                windowColumns = field(db, "WINDOW_COLUMNS");
        String parts = "0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57,1,2,4,5,7,8,10,11,13,14,16,17,19,20,"
                + "22,23,25,26,28,29,31,32,34,35,37,38,40,41,43,44,46,47,49,50,52,53,55,56,58,59,60,61,62,63";
        String users = "'{\"user-0\",\"user-1\",\"user-2\",\"user-3\",\"user-4\",\"user-5\",\"user-6\",\"user-7\","
                + "\"user-8\",\"user-9\",\"user-10\",\"user-11\",\"user-12\",\"user-13\",\"user-14\",\"user-15\","
                + "\"user-16\",\"user-17\",\"user-18\",\"user-19\"}'";
        String wss = "'{" + String.join(",", Collections.nCopies(20, "\"ws-1\"")) + "}'";
        String rtWindow = window.replace("%1$s", "rt_jobs").replace("%2$s", "rt_job_status").replace("%3$s", windowColumns)
                .replace("%4$s", " AND j.partition_id IN (:partitions)");
        String dest = " AND j.parameters->>'destination_id' = :destinationId";
        Map<String, String> p = new HashMap<>(Map.of("partitions", parts, "window", "4000", "limit", "1000"));
        p.put("destinationId", "'dst-2'");
        p.put("after", "60000");
        print("after: unprocessed window of dst-2 (healthy), floor 60000, no user held", rtWindow.replace("%5$s", dest), p);
        p.put("destinationId", "'dst-1'");
        p.put("after", "59999");
        p.put("heldWorkspaces", wss);
        p.put("heldUsers", users);
        print("after: unprocessed window of dst-1 (failing), floor 59999, its 20 users held",
                rtWindow.replace("%5$s", dest + " AND NOT " + held), p);
        p.put("after", "596000");
        print("after: unprocessed window of dst-1 (failing), its floor at the end (the next pickups), 20 users held",
                rtWindow.replace("%5$s", dest + " AND NOT " + held), p);
        p.put("after", "600000");
        p.put("excludedDestinations", "'dst-1','dst-2'");
        print("after: unprocessed window of the others, floor 600000",
                rtWindow.replace("%5$s", " AND coalesce(j.parameters->>'destination_id', '') NOT IN (:excludedDestinations)"), p);
        String rtRetry = retry.replace("%1$s", "rt_jobs").replace("%2$s", "rt_job_status").replace("%3$s", jobColumns);
        p.put("now", "now()");
        p.put("deliverable", "true");
        p.put("after", "0");
        p.put("destinationId", "'dst-2'");
        print("after: retryable of dst-2 (healthy)",
                rtRetry.replace("%4$s", dest + " AND j.partition_id IN (:partitions)").replace("%5$s", ""), p);
        p.put("destinationId", "'dst-1'");
        print("after: retryable of dst-1 (failing), its 20 users held",
                rtRetry.replace("%4$s", dest + " AND j.partition_id IN (:partitions)")
                        .replace("%5$s", " AND (j.job_id = j.first_of_key OR NOT " + held + ")"), p);
        print("after: retryable of the others",
                rtRetry.replace("%4$s", " AND j.partition_id IN (:partitions) AND coalesce(j.parameters->>'destination_id', '') NOT IN (:excludedDestinations)")
                        .replace("%5$s", ""), p);
        print("after: first unresolved (once per pickup)",
                first.formatted("rt_jobs", "rt_job_status", "recovered"), p);
        String gwWindow = window.replace("%1$s", "gw_jobs").replace("%2$s", "gw_job_status").replace("%3$s", windowColumns)
                .replace("%4$s", " AND j.custom_val = :customVal AND j.partition_id IN (:partitions)").replace("%5$s", "");
        p.put("customVal", "'GW'");
        p.put("after", "300000");
        p.put("window", "8000");
        p.put("limit", "2000");
        print("after: processor gw window, cursor 300000", gwWindow, p);
        p.put("after", "0");
        print("after: processor gw window, cursor 0 (a rescan: 8,000 processed jobs per window)", gwWindow, p);
    }

    static void print(String name, String sql, Map<String, String> params) {
        String bound = sql;
        List<String> keys = new ArrayList<>(params.keySet());
        keys.sort(Comparator.comparingInt(String::length).reversed());
        for (String k : keys) bound = bound.replace(":" + k, params.get(k));
        System.out.println("\\echo ===== " + name);
        System.out.println("EXPLAIN (ANALYZE, BUFFERS) " + bound + ";");
    }
}
