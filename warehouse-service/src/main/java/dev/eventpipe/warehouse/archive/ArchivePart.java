package dev.eventpipe.warehouse.archive;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.warehouse.staging.StagingFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One archive file being written: the arc jobs of one source and hour, in job id order, gzip JSON lines. */
record ArchivePart(
        String location, String workspaceId, String sourceId, Instant hour, Path file, List<Long> jobs, long bytes) {

    long firstJobId() {
        return jobs.getFirst();
    }

    long lastJobId() {
        return jobs.getLast();
    }

    /** The files of one source and hour in a pass: one open at a time, cut at the size limit. */
    static final class Group {
        private final String workspaceId;
        private final String sourceId;
        private final Instant hour;
        private final Path workDir;
        private StagingFiles.@Nullable Writer writer;
        private @Nullable Path file;
        private @Nullable String location;
        private List<Long> jobs = new ArrayList<>();
        private long bytes;

        Group(String workspaceId, String sourceId, Instant hour, Path workDir) {
            this.workspaceId = workspaceId;
            this.sourceId = sourceId;
            this.hour = hour;
            this.workDir = workDir;
        }

        void add(Job job, long maxBytes, List<ArchivePart> done) throws IOException {
            if (writer == null) {
                file = Files.createTempFile(workDir, "archive-", ".json.gz");
                writer = new StagingFiles.Writer(file);
                location = ArchivePaths.file(
                        sourceId, hour, job.jobId(), job.uuid().toString());
            }
            writer.writeRaw(job.payload());
            jobs.add(job.jobId());
            bytes += job.payload().getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes >= maxBytes) closeCurrent(done);
        }

        void closeCurrent(List<ArchivePart> done) throws IOException {
            if (writer == null || file == null || location == null) return;
            writer.close();
            done.add(new ArchivePart(location, workspaceId, sourceId, hour, file, List.copyOf(jobs), Files.size(file)));
            writer = null;
            file = null;
            location = null;
            jobs = new ArrayList<>();
            bytes = 0;
        }

        /** Drops an unfinished file (the pass ended early). */
        void discard() throws IOException {
            if (writer != null) writer.close();
            if (file != null) Files.deleteIfExists(file);
            writer = null;
            file = null;
        }
    }
}
