package dev.eventpipe.system.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU seconds (user + system) used so far by each service, by the machine's PostgreSQL (every process named
 * {@code postgres}: its backends, writers and WAL), by this benchmark's own JVM (load generator and sink) and by the
 * whole machine, read from {@code /proc}. Two snapshots subtracted say where the cores went during the load: on a
 * machine of {@code n} cores, a window of {@code t} seconds has {@code n * t} to give.
 */
record CpuTimes(Map<String, Double> seconds) {
    // USER_HZ: the unit of /proc's times; 100 on every Linux the benchmark runs on (x86-64 and arm64 kernels)
    private static final double TICKS_PER_SECOND = 100;

    static CpuTimes now(List<BenchService> services) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (BenchService s : services) out.put(s.module, processSeconds(s.pid()));
        out.put("postgres", postgresSeconds());
        out.put("benchmark", processSeconds(ProcessHandle.current().pid()));
        out.put("machine", machineBusySeconds());
        return new CpuTimes(out);
    }

    /** This snapshot minus an earlier one, rounded to 0.1 s. */
    Map<String, Double> since(CpuTimes earlier) {
        Map<String, Double> out = new LinkedHashMap<>();
        seconds.forEach((k, v) -> out.put(k, Math.round((v - earlier.seconds.getOrDefault(k, 0.0)) * 10) / 10.0));
        return out;
    }

    /** utime + stime of one process (fields 14 and 15 of /proc/PID/stat, counted after the command's parenthesis). */
    static double processSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime is field 14, stime field 15
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static double postgresSeconds() {
        double sum = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    if (Files.readString(p.resolve("comm")).strip().equals("postgres"))
                        sum += processSeconds(Long.parseLong(p.getFileName().toString()));
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }

    /** Non-idle time of all cores together (the first line of /proc/stat, without idle and iowait). */
    private static double machineBusySeconds() {
        try {
            String[] f =
                    Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            // cpu user nice system idle iowait irq softirq steal
            for (int i = 1; i <= 8 && i < f.length; i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
