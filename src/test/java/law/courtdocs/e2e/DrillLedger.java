package law.courtdocs.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The books of one fault drill: which jobs it submitted, what each must end as, how many faults
 * it injected. {@link #settle} waits until every job is final, then counts, straight from the
 * database (the truth, not the API that might hide a row): <b>lost</b> = a job missing, ending
 * in another status than expected, or with fewer documents than its delivery has;
 * <b>duplicated</b> = documents beyond the delivery's count or the same bytes twice in one job;
 * <b>stuck</b> = a job still QUEUED, RUNNING or RETRY_SCHEDULED at the deadline, or an attempt
 * never closed. Reads through a connection of its own, so a drill that cuts the service's
 * database connections does not cut its observer.
 */
public final class DrillLedger {

    /** What a job must end as: status, error code (null for SUCCEEDED), documents stored. */
    public record Expect(String status, String errorCode, int documents) {
        public static Expect succeeded(int documents) {
            return new Expect("SUCCEEDED", null, documents);
        }

        public static Expect failed(String errorCode) {
            return new Expect("FAILED", errorCode, 0);
        }
    }

    /** The drill's figures; {@link #line()} is the one-line summary the drills print. */
    public record Result(String drill, int jobs, int faults, int lost, int duplicated, int stuck, double wallSeconds,
            List<String> problems) {
        public String line() {
            return String.format(java.util.Locale.ROOT, "DRILL %s: jobs=%d faults=%d lost=%d duplicated=%d stuck=%d wall=%.1fs",
                    drill, jobs, faults, lost, duplicated, stuck, wallSeconds);
        }
    }

    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private final String name;
    private final long started = System.nanoTime();
    private final Map<UUID, Expect> jobs = new LinkedHashMap<>();
    private final AtomicInteger faults = new AtomicInteger();

    public DrillLedger(String name) {
        this.name = name;
    }

    public synchronized void expect(String jobId, Expect expect) {
        jobs.put(UUID.fromString(jobId), expect);
    }

    public void faults(int n) {
        faults.addAndGet(n);
    }

    public int faults() {
        return faults.get();
    }

    public synchronized List<UUID> jobIds() {
        return List.copyOf(jobs.keySet());
    }

    /** A plain JDBC connection to the test schema, named so that no drill ever terminates it. */
    public static Connection observer() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?currentSchema=courtdocs_test"
                + SimulatorResource.suffix() + "&ApplicationName=court-drill-observer", "postgres", "");
    }

    /** Status of each of the drill's jobs right now (absent: no such row). */
    public Map<UUID, String> statuses() throws SQLException {
        Map<UUID, String> out = new HashMap<>();
        try (Connection db = observer();
                PreparedStatement q = db.prepareStatement("select id, status from jobs where id = any(?)")) {
            q.setArray(1, db.createArrayOf("uuid", jobIds().toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** How many of the drill's jobs are in {@code status} now. */
    public long count(String status) throws SQLException {
        return statuses().values().stream().filter(status::equals).count();
    }

    /** Waits up to {@code timeout} for every job to be final, then counts what went wrong. */
    public Result settle(Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Map<UUID, String> now = statuses();
            if (now.size() == jobs.size() && now.values().stream().allMatch(FINAL::contains)) {
                break;
            }
            Thread.sleep(300);
        }
        return check();
    }

    private Result check() throws SQLException {
        List<String> problems = new ArrayList<>();
        int lost = 0;
        int duplicated = 0;
        int stuck = 0;
        try (Connection db = observer()) {
            Object[] ids = jobIds().toArray();
            Map<UUID, String[]> rows = new HashMap<>();
            try (PreparedStatement q = db.prepareStatement("select id, status, error_code from jobs where id = any(?)")) {
                q.setArray(1, db.createArrayOf("uuid", ids));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getObject(1, UUID.class), new String[] {rs.getString(2), rs.getString(3)});
                    }
                }
            }
            Map<UUID, int[]> docs = new HashMap<>(); // documents, distinct sha256
            try (PreparedStatement q = db.prepareStatement("select job_id, count(*), count(distinct sha256) "
                    + "from documents where job_id = any(?) group by job_id")) {
                q.setArray(1, db.createArrayOf("uuid", ids));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        docs.put(rs.getObject(1, UUID.class), new int[] {rs.getInt(2), rs.getInt(3)});
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement("select job_id, number, outcome from job_attempts "
                    + "where job_id = any(?) and (finished_at is null or outcome is null)")) {
                q.setArray(1, db.createArrayOf("uuid", ids));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        stuck++;
                        problems.add("attempt " + rs.getInt(2) + " of job " + rs.getObject(1) + " never closed");
                    }
                }
            }
            for (Map.Entry<UUID, Expect> e : jobs.entrySet()) {
                UUID id = e.getKey();
                Expect want = e.getValue();
                String[] row = rows.get(id);
                if (row == null) {
                    lost++;
                    problems.add("job " + id + " is not in the database");
                    continue;
                }
                int[] d = docs.getOrDefault(id, new int[] {0, 0});
                if (!FINAL.contains(row[0])) {
                    stuck++;
                    problems.add("job " + id + " still " + row[0]);
                } else if (!want.status().equals(row[0])
                        || (want.errorCode() != null && !want.errorCode().equals(row[1]))) {
                    lost++;
                    problems.add("job " + id + " ended " + row[0] + "/" + row[1] + ", expected " + want);
                } else if (d[0] < want.documents()) {
                    lost++;
                    problems.add("job " + id + " has " + d[0] + " documents, its delivery has " + want.documents());
                }
                int dup = Math.max(d[0] - want.documents(), d[0] - d[1]);
                if (dup > 0) {
                    duplicated += dup;
                    problems.add("job " + id + " has " + d[0] + " documents (" + d[1] + " distinct), delivery has "
                            + want.documents());
                }
            }
        }
        double wall = (System.nanoTime() - started) / 1e9;
        return new Result(name, jobs.size(), faults.get(), lost, duplicated, stuck, wall, problems);
    }

    /** Error codes of every attempt of the drill's jobs, for the log and for asserting a fault hit. */
    public List<String> attemptErrorCodes() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection db = observer();
                PreparedStatement q = db.prepareStatement(
                        "select error_code from job_attempts where job_id = any(?) and error_code is not null")) {
            q.setArray(1, db.createArrayOf("uuid", jobIds().toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
