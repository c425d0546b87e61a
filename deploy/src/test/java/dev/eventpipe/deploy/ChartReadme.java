package dev.eventpipe.deploy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The values table of the chart's README, generated from values.yaml: each key preceded by a {@code # --} comment
 * (continued by the following {@code #} lines) is a row with its dotted path, its default and that comment.
 */
final class ChartReadme {
    static final String BEGIN = "<!-- values:begin (generated from values.yaml by HelmChartTest) -->";
    static final String END = "<!-- values:end -->";

    private ChartReadme() {}

    static String table(String valuesYaml) {
        Map<String, Object> defaults = new Yaml().load(valuesYaml);
        StringBuilder out = new StringBuilder("| Key | Default | Description |\n|---|---|---|\n");
        Deque<String[]> path = new ArrayDeque<>(); // {indent, key}
        List<String> comment = new ArrayList<>();
        boolean inComment = false;
        for (String line : valuesYaml.lines().toList()) {
            String trimmed = line.strip();
            int indent = line.length() - line.stripLeading().length();
            if (trimmed.startsWith("# --")) {
                comment.clear();
                comment.add(trimmed.substring(4).strip());
                inComment = true;
                continue;
            }
            if (trimmed.startsWith("#")) {
                if (inComment) comment.add(trimmed.substring(1).strip());
                continue;
            }
            if (trimmed.isEmpty() || trimmed.startsWith("-")) continue;
            int colon = trimmed.indexOf(':');
            if (colon < 0) continue;
            String key = trimmed.substring(0, colon);
            while (!path.isEmpty() && Integer.parseInt(path.peek()[0]) >= indent) path.pop();
            path.push(new String[] {String.valueOf(indent), key});
            if (inComment) {
                List<String> keys = new ArrayList<>();
                path.descendingIterator().forEachRemaining(p -> keys.add(p[1]));
                out.append("| `")
                        .append(String.join(".", keys))
                        .append("` | `")
                        .append(render(lookup(defaults, keys)))
                        .append("` | ")
                        .append(String.join(" ", comment).replace("|", "\\|"))
                        .append(" |\n");
            }
            comment.clear();
            inComment = false;
        }
        return out.toString();
    }

    static String withTable(String readme, String table) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin)
            throw new IllegalStateException("README.md lacks the markers " + BEGIN + " " + END);
        return readme.substring(0, begin + BEGIN.length()) + "\n" + table + readme.substring(end);
    }

    private static Object lookup(Map<String, Object> root, List<String> keys) {
        Object node = root;
        for (String key : keys) node = ((Map<?, ?>) node).get(key);
        return node;
    }

    private static String render(Object value) {
        if (value == null) return "null";
        if (value instanceof String s) return "\"" + s + "\"";
        return new com.google.gson.Gson().toJson(value).replace("|", "\\|");
    }
}
