package dev.eventpipe.warehouse.staging;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code wh_staging_files} rows: written in the staging commit, taken by uploads. */
public final class StagingFileRecords {
    /** A staging file to record. */
    public record NewFile(
            String workspaceId,
            String sourceId,
            String destinationId,
            String location,
            int rows,
            int events,
            long bytes,
            long firstJobId,
            long lastJobId) {}

    private static final String INSERT = """
            INSERT INTO wh_staging_files (workspace_id, source_id, destination_id, location, rows, events, bytes,
                                          first_job_id, last_job_id)
            VALUES (:workspaceId, :sourceId, :destinationId, :location, :rows, :events, :bytes, :firstJobId, :lastJobId)""";

    private final JdbcClient jdbc;

    public StagingFileRecords(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public void insert(List<NewFile> files) {
        for (NewFile f : files) jdbc.sql(INSERT).paramSource(f).update();
    }
}
