package dev.engram.deploy.stack;

import java.util.ArrayList;
import java.util.List;

/** The table the launcher prints once the stack is ready: each component, where it listens, its pid, its log. */
public final class StartupTable {

    /**
     * One component.
     *
     * @param component its name
     * @param address its URL or host:port
     * @param pid its process id, or a note such as {@code in launcher}
     * @param log its log file, or a note
     */
    public record Row(String component, String address, String pid, String log) {}

    private static final List<String> HEADER = List.of("COMPONENT", "ADDRESS", "PID", "LOG");

    private final List<Row> rows = new ArrayList<>();

    /** Adds a row; returns this table. */
    public StartupTable add(String component, String address, String pid, String log) {
        rows.add(new Row(component, address, pid, log));
        return this;
    }

    /** @return the rows added so far */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** @return the table as aligned text, one line per row after a header, lines ending in {@code \n} */
    public String render() {
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADER);
        rows.forEach(r -> lines.add(List.of(r.component(), r.address(), r.pid(), r.log())));
        int[] widths = new int[HEADER.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                text.append(i == widths.length - 1 ? line.get(i) : pad(line.get(i), widths[i] + 2));
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
