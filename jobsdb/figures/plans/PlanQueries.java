import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints, as psql input, EXPLAIN (ANALYZE, BUFFERS) of the rt statements jobsdb sends (the router's pickup: the
 * destination's unprocessed window with its held users, the catch-up window of some users, the retryable half,
 * firstUnresolved; the router's failed-events list, event trace and replay reads), taken from the compiled jobsdb
 * classes on the class path (so they are exactly the statements of that build: main's or a branch's), with the named
 * parameters replaced by the values the service binds, over the data of fill.sql. Each statement is run twice and
 * both are printed (the first may read from disk). Run with a jobsdb build's classes on the class path:
 * java -cp jobsdb/target/classes jobsdb/figures/plans/PlanQueries.java > plans.sql; psql -f plans.sql
 * (2026-11-30 version; the one before it read FETCH_DELIVERABLE, a statement that is gone.)
 */
public class PlanQueries {
    static final String ALL_PARTITIONS = String.join(",", range(0, 64));

    public static void main(String[] args) throws Exception {
        Class<?> db = Class.forName("dev.eventpipe.jobsdb.PostgresJobsDb");
        Class<?> reads = Class.forName("dev.eventpipe.jobsdb.JobReads");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Enum> queueType = (Class<Enum>) Class.forName("dev.eventpipe.jobsdb.Queue");
        Object rt = Enum.valueOf(queueType, "RT");
        Method retaining = reads.getDeclaredMethod("retaining", queueType, String.class);
        retaining.setAccessible(true);
        String window = field(db, "UNPROCESSED_WINDOW");
        String windowColumns = field(db, "WINDOW_COLUMNS");
        String span = field(db, "SPAN");
        String held = field(db, "HELD");
        String only = field(db, "ONLY");
        String ofAll = optionalField(db, "WINDOW_OF_ALL");
        String ofUsers = optionalField(db, "WINDOW_OF_USERS");
        boolean perUser = ofUsers != null; // this branch: the window of some users is taken per user
        System.out.println("SET jit = off;");
        System.out.println("\\echo '### statements of " + (perUser ? "the per-user window (V16 branch)" : "main") + "'");

        // "catch-up" as the first argument: only the catch-up windows, for more numbers of users (bench-shape.sql)
        boolean catchUpOnly = args.length > 0 && args[0].equals("catch-up");
        int[] catchUpUsers = catchUpOnly ? new int[] {1, 5, 25, 50, 100, 150, 192} : new int[] {5, 50, 192};

        // The router's pickup of one destination (Pickup.pickDestination): a capped read (25 windows of 4,000 ids),
        // the owned partitions inside the window, the destination and the held users outside.
        String destinationWindow = windowOf(window, ofAll, "")
                .replace("%3$s", windowColumns)
                .replace("%4$s", " AND j.partition_id IN (:partitions)")
                .replace("%5$s", " AND j.parameters->>'destination_id' = :destinationId AND NOT " + held)
                .replace("%6$s", span);
        Map<String, String> p = base();
        if (!catchUpOnly) {
        // 192 users held (the benchmark: every user in flight), users of the destination's workspace
        p.putAll(users("held", "ws-0", 0, 192));
        p.put("destinationId", "'dst-1'");
        p.put("after", "189999");
        print("destination window: dst-1 (30%), floor 189999 (the jobs not picked yet), 192 users held",
                destinationWindow, p);
        p.put("after", "100000");
        print("destination window: dst-1, floor 100000 (every job of the window has a status), 192 users held",
                destinationWindow, p);
        p.put("destinationId", "'dst-19'");
        p.putAll(users("held", "ws-9", 0, 192));
        p.put("after", "189999");
        print("destination window: dst-19 (1%), floor 189999, 192 users held", destinationWindow, p);
        // the down destination (fill.sql): its 1,999 users held behind their failed first jobs
        p.put("destinationId", "'dst-0'");
        p.putAll(users("held", "ws-0", 0, 1999));
        p.put("after", "20000");
        print("destination window: dst-0 (down, half the jobs), floor 20000, its 1,999 users held", destinationWindow, p);
        }

        // The catch-up read of some users (Pickup.catchUp): the same window with the users inside it, their
        // partitions only, the destination outside, no held users.
        for (int n : catchUpUsers) {
            Map<String, String> c = base();
            c.putAll(users("only", "ws-0", 0, n));
            c.put("partitions", partitionsOf(0, n));
            c.put("destinationId", "'dst-1'");
            // the branch takes the window per user for at most one user per USER_IDS ids of the window (4,000)
            boolean thisPerUser = perUser && n * userIds(db) <= 4000;
            String catchUp = windowOf(window, ofAll, thisPerUser ? ofUsers : "")
                    .replace("%3$s", windowColumns)
                    .replace("%4$s", " AND j.partition_id IN (:partitions)" + (thisPerUser ? "" : " AND " + only))
                    .replace("%5$s", " AND j.parameters->>'destination_id' = :destinationId")
                    .replace("%6$s", span);
            c.put("after", "189999");
            print("catch-up window: " + n + " users of dst-1, from 189999 (near: their jobs not picked yet)"
                    + (thisPerUser ? ", per user" : ""), catchUp, c);
            c.put("after", "100000");
            print("catch-up window: " + n + " users of dst-1, from 100000 (far: every job of the span has a status)"
                    + (thisPerUser ? ", per user" : ""), catchUp, c);
        }

        if (catchUpOnly) return;

        // The retryable half of a deliverable read: a destination with its held users, and a catch-up's (its users)
        String retryable = field(db, "RETRYABLE")
                .replace("%1$s", "rt_jobs")
                .replace("%2$s", "rt_job_status")
                .replace("%3$s", field(db, "JOB_COLUMNS"));
        Map<String, String> r = base();
        r.putAll(users("held", "ws-0", 0, 1999));
        r.put("after", "0");
        r.put("now", "now()");
        r.put("deliverable", "true");
        r.put("destinationId", "'dst-0'");
        print("retryable: dst-0 (down), its 1,999 users held",
                retryable
                        .replace("%4$s", " AND j.parameters->>'destination_id' = :destinationId"
                                + " AND j.partition_id IN (:partitions)")
                        .replace("%5$s", " AND (j.job_id = j.first_of_key OR NOT " + held + ")"),
                r);
        r.putAll(users("only", "ws-0", 0, 50));
        r.put("destinationId", "'dst-1'");
        r.put("partitions", partitionsOf(0, 50));
        print("retryable: a catch-up of 50 users of dst-1",
                retryable
                        .replace("%4$s", " AND j.parameters->>'destination_id' = :destinationId"
                                + " AND j.partition_id IN (:partitions) AND " + only)
                        .replace("%5$s", ""),
                r);
        Map<String, String> f = base();
        f.put("now", "now()");
        print("first unresolved (every pickup)",
                field(db, "FIRST_UNRESOLVED").formatted("rt_jobs", "rt_job_status", "recovered"), f);

        // The router's failed-events list (JobReads.failed): no filter, a workspace, a destination, a user
        String failed = (String) retaining.invoke(null, rt, field(reads, "FAILED"));
        Map<String, String> none = new LinkedHashMap<>();
        for (String k : List.of("workspaceId", "destinationId", "errorCode", "from", "to", "userId", "errorText"))
            none.put(k, "NULL");
        none.put("states", "'failed','aborted'");
        none.put("limit", "50");
        none.put("offset", "0");
        print("failed events: no filter", failed, none);
        Map<String, String> ws = new LinkedHashMap<>(none);
        ws.put("workspaceId", "'ws-9'");
        print("failed events: workspace ws-9", failed, ws);
        Map<String, String> dst = new LinkedHashMap<>(none);
        dst.put("destinationId", "'dst-19'");
        print("failed events: destination dst-19", failed, dst);
        Map<String, String> user = new LinkedHashMap<>(none);
        user.put("workspaceId", "'ws-2'");
        user.put("userId", "'u-5'");
        print("failed events: workspace ws-2, user u-5", failed, user);
        // the router's event trace (one message id, in a workspace) and its replay read (jobs by id)
        String trace = (String) retaining.invoke(null, rt, field(reads, "WITH_MESSAGE_ID"));
        print("trace: message msg-123456 in workspace ws-0", trace,
                Map.of("messageId", "'msg-123456'", "workspaceId", "'ws-0'", "limit", "100"));
        String byId = (String) retaining.invoke(null, rt, field(reads, "BY_ID"));
        print("replay: 50 jobs by id in workspace ws-2", byId,
                Map.of("ids", String.join(",", range(150000, 150050)), "workspaceId", "'ws-2'"));
    }

    /** The window statement of this build: main's has the window inline, the branch's takes it as %7$s. */
    static String windowOf(String window, String ofAll, String ofUsers) {
        // main: one window for every read, the users inside %4$s
        String sql = ofAll == null ? window : window.replace("%7$s", ofUsers == null || ofUsers.isEmpty() ? ofAll : ofUsers);
        return sql.replace("%1$s", "rt_jobs").replace("%2$s", "rt_job_status");
    }

    static int userIds(Class<?> db) throws Exception {
        Field f = db.getDeclaredField("USER_IDS");
        f.setAccessible(true);
        return f.getInt(null);
    }

    static Map<String, String> base() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("partitions", ALL_PARTITIONS);
        p.put("window", "4000");
        p.put("span", "4000"); // the capped window's id span (a build with windows sized per read; unused before)
        p.put("limit", "1000");
        return p;
    }

    /** n pairs (workspace, u-k), k from `from`, as the two text arrays of HELD or ONLY. */
    static Map<String, String> users(String kind, String workspace, int from, int n) {
        List<String> w = new ArrayList<>(Collections.nCopies(n, "\"" + workspace + "\""));
        List<String> u = new ArrayList<>();
        for (int k = from; k < from + n; k++) u.add("\"u-" + k + "\"");
        String prefix = kind.equals("held") ? "held" : "only";
        return Map.of(prefix + "Workspaces", "'{" + String.join(",", w) + "}'", prefix + "Users",
                "'{" + String.join(",", u) + "}'");
    }

    /** The partitions of users u-from .. u-(from+n-1) in fill.sql (partition_id is job_id % 64: every one). */
    static String partitionsOf(int from, int n) {
        return ALL_PARTITIONS;
    }

    static List<String> range(int from, int to) {
        List<String> r = new ArrayList<>();
        for (int i = from; i < to; i++) r.add(Integer.toString(i));
        return r;
    }

    static String field(Class<?> c, String name) throws Exception {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return (String) f.get(null);
    }

    static String optionalField(Class<?> c, String name) throws Exception {
        try {
            return field(c, name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    static void print(String name, String sql, Map<String, String> values) {
        Matcher m = Pattern.compile("(?<!:):(\\w+)").matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new IllegalArgumentException(name + ": no value for :" + m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        for (int run = 1; run <= 2; run++) {
            System.out.println("\\echo '### " + name + " (run " + run + ")'");
            System.out.println("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)\n" + out + ";");
        }
    }
}
