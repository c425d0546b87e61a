import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints, as psql input, EXPLAIN (ANALYZE, BUFFERS) of the statements jobsdb sends for the router's per-destination
 * pickup, the router's failed-events list, the processor's event search and its recent events, taken from the
 * compiled jobsdb classes (so they are exactly the statements the services run), with the named parameters
 * replaced by the values a service would bind. Run with jobsdb/target/classes on the class path:
 * java -cp jobsdb/target/classes:<deps> jobsdb/figures/plans/PlanQueries.java > plans.sql
 */
public class PlanQueries {
    public static void main(String[] args) throws Exception {
        Class<?> db = Class.forName("dev.eventpipe.jobsdb.PostgresJobsDb");
        Class<?> reads = Class.forName("dev.eventpipe.jobsdb.JobReads");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Enum> queueType = (Class<Enum>) Class.forName("dev.eventpipe.jobsdb.Queue");
        Object gw = Enum.valueOf(queueType, "GW");
        Object rt = Enum.valueOf(queueType, "RT");
        Method bounded = db.getDeclaredMethod("bounded", String.class, queueType, String.class);
        bounded.setAccessible(true);
        Method retaining = reads.getDeclaredMethod("retaining", queueType, String.class);
        retaining.setAccessible(true);
        String partitions = "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,"
                + "32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63";

        // the router's pickup of one destination (Pickup.pickDestination: destination and owned partitions)
        String pickup = ((String) bounded.invoke(null, field(db, "FETCH_DELIVERABLE"), rt, "ASC"))
                .formatted(" AND j.parameters->>'destination_id' = :destinationId AND j.partition_id IN (:partitions)");
        String jobColumns = field(db, "JOB_COLUMNS");
        // a small destination: at a router's start (search floor 0) and later (floor just below its next job)
        print("pickup-small-destination-from-0", pickup, pickup("'dst-19'", "0", partitions));
        print("pickup-small-destination-from-floor", pickup, pickup("'dst-19'", "189900", partitions));
        // the down destination (half the jobs; 20,000 waiting) and a large healthy one
        print("pickup-down-destination", pickup, pickup("'dst-0'", "20000", partitions));
        print("pickup-large-destination", pickup, pickup("'dst-1'", "189900", partitions));
        // the failed-events list: first page, no filter, and one workspace
        String failed = (String) retaining.invoke(null, rt, field(reads, "FAILED"));
        Map<String, String> none = new java.util.HashMap<>(Map.of(
                "states", "'failed','aborted'", "workspaceId", "NULL", "destinationId", "NULL", "errorCode",
                "NULL", "from", "NULL", "to", "NULL", "userId", "NULL", "errorText", "NULL", "limit", "50"));
        none.put("offset", "0");
        print("failed-all", failed, none);
        Map<String, String> ws = new java.util.HashMap<>(none);
        ws.put("workspaceId", "'ws-9'");
        print("failed-workspace", failed, ws);
        Map<String, String> dst = new java.util.HashMap<>(none);
        dst.put("destinationId", "'dst-19'");
        print("failed-destination", failed, dst);
        // the processor's event search (EventSearchController: 200 jobs whose payload holds the id)
        String containing = field(reads, "CONTAINING").formatted("gw_jobs", "gw_job_status", jobColumns);
        print("search-any", containing, Map.of("text", "'msg-77797'", "workspaceId", "NULL", "limit", "200"));
        print("search-workspace", containing, Map.of("text", "'msg-77797'", "workspaceId", "'ws-9'", "limit", "200"));
        // the processor's recent events of one workspace (RecentEventsController, fetchRecent)
        String recent = ((String) bounded.invoke(null, field(db, "RECENT"), gw, "DESC"))
                .formatted(" AND j.custom_val = :customVal AND j.workspace_id = :workspaceId");
        print("recent-workspace", recent, Map.of(
                "customVal", "'GW'", "workspaceId", "'ws-9'", "after", "0", "limit", "50", "bytes",
                Long.toString(Long.MAX_VALUE)));
    }

    private static Map<String, String> pickup(String destination, String floor, String partitions) {
        return Map.of(
                "destinationId", destination, "partitions", partitions, "after", "0", "unprocessedAfter", floor,
                "limit", "1000", "bytes", Long.toString(Long.MAX_VALUE), "now", "now()");
    }

    private static String field(Class<?> c, String name) throws Exception {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return (String) f.get(null);
    }

    private static void print(String name, String sql, Map<String, String> values) {
        Matcher m = Pattern.compile("(?<!:):(\\w+)").matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new IllegalArgumentException(name + ": no value for :" + m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        System.out.println("\\echo '### " + name + "'");
        System.out.println("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)\n" + out + ";");
    }
}
