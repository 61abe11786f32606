package io.riptide.serving.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A LightGBM text model split into its header fields and its tree blocks, with the size in bytes of each block,
 * and the strict number syntax its fields are read with.
 *
 * <p>The layout is the one {@code GBDT::SaveModelToString} writes and nothing looser: header lines up to the first
 * {@code Tree=} line; then per tree a {@code Tree=<index>} line (indexes 0, 1, ... in order), its
 * {@code key=value} lines, blank lines; then an {@code end of trees} line, after which nothing is read. The
 * native loader reads the same bytes differently (with {@code tree_sizes} it jumps to each tree's byte offset,
 * without it it stops at the first line that is not a tree), so anything else (a stray line, a field twice, a
 * missing end) is refused here rather than read two ways. Numbers are read by {@link StrictNumbers}.
 */
final class LightGbmText {

    /** One tree's fields, as written between its {@code Tree=} line and the next tree or the end of trees. */
    record Block(int index, Map<String, String> fields, long bytes) {
    }

    /** The header fields the reader uses; the others are not kept. */
    private static final Set<String> HEADER_KEYS = Set.of("max_feature_idx", "num_class", "num_tree_per_iteration",
            "objective", "feature_names", "feature_infos", "tree_sizes");

    /** The fields a tree may have: as many as the native reader reads ({@code max_num_line}). */
    private static final int MAX_TREE_FIELDS = 22;

    final Map<String, String> header;
    final boolean averageOutput;
    final List<Block> trees;
    /** Whether the {@code end of trees} line was found: without it the text was cut short. */
    final boolean ended;

    private LightGbmText(Map<String, String> header, boolean averageOutput, List<Block> trees, boolean ended) {
        this.header = header;
        this.averageOutput = averageOutput;
        this.trees = trees;
        this.ended = ended;
    }

    static LightGbmText read(String text) {
        Lines lines = new Lines(text);
        Map<String, String> header = new HashMap<>();
        boolean averageOutput = false;
        while (lines.hasNext() && !lines.peek().startsWith("Tree=")) {
            String line = lines.next().strip();
            if (line.equals("average_output")) {
                averageOutput = true;
            }
            int eq = line.indexOf('=');
            String key = eq > 0 ? line.substring(0, eq) : "";
            // only what the reader uses is kept: a header of a million lines costs nothing
            if (HEADER_KEYS.contains(key) && header.put(key, line.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("LightGBM header has " + key + " twice");
            }
        }
        List<Block> trees = new ArrayList<>();
        while (true) {
            if (!lines.hasNext()) {
                return new LightGbmText(header, averageOutput, trees, false);
            }
            String line = lines.next();
            if (line.strip().equals("end of trees")) {
                return new LightGbmText(header, averageOutput, trees, true);
            }
            if (!line.startsWith("Tree=")) {
                throw new IllegalArgumentException("LightGBM model text has '" + StrictNumbers.excerpt(line)
                        + "' where tree " + trees.size() + " or 'end of trees' should start");
            }
            if (trees.size() == ModelLimits.MAX_TREES) {
                throw new IllegalArgumentException("LightGBM model has more than " + ModelLimits.MAX_TREES + " trees");
            }
            int index = trees.size();
            if (!line.substring("Tree=".length()).strip().equals(Integer.toString(index))) {
                throw new IllegalArgumentException("LightGBM tree " + index + " is headed '"
                        + StrictNumbers.excerpt(line) + "', expected Tree=" + index);
            }
            long bytes = utf8Length(line) + 1;
            Map<String, String> fields = new HashMap<>();
            // key=value lines up to the first empty one, as the native Tree(const char*) reads them: it takes all
            // up to the next '=' as the key, so a line without one, or a padded one, would be read across lines
            while (lines.hasNext() && !withoutCr(lines.peek()).isEmpty()) {
                String raw = lines.next();
                String l = withoutCr(raw);
                int eq = l.indexOf('=');
                if (l.startsWith("Tree=") || l.equals("end of trees")) {
                    throw new IllegalArgumentException("LightGBM tree " + index + " is not closed by an empty line");
                }
                if (eq <= 0 || !l.equals(l.strip())) {
                    throw new IllegalArgumentException("LightGBM tree " + index + " has a line that is not key=value: '"
                            + StrictNumbers.excerpt(l) + "'");
                }
                if (fields.put(l.substring(0, eq), l.substring(eq + 1)) != null) {
                    throw new IllegalArgumentException("LightGBM tree " + index + " has " + l.substring(0, eq)
                            + " twice");
                }
                if (fields.size() > MAX_TREE_FIELDS) {
                    throw new IllegalArgumentException("LightGBM tree " + index + " has more than " + MAX_TREE_FIELDS
                            + " fields");
                }
                bytes += utf8Length(raw) + 1;
            }
            while (lines.hasNext() && withoutCr(lines.peek()).isEmpty()) {
                bytes += utf8Length(lines.next()) + 1;
            }
            trees.add(new Block(index, fields, bytes));
        }
    }

    /** The lines of a text one at a time (split at '\n', a last empty line after a final '\n'), none kept. */
    private static final class Lines {
        private final String text;
        private int start;
        private String current;

        Lines(String text) {
            this.text = text;
        }

        boolean hasNext() {
            return current != null || start <= text.length();
        }

        String peek() {
            if (current == null) {
                int end = text.indexOf('\n', start);
                int stop = end < 0 ? text.length() : end;
                current = text.substring(start, stop);
                start = stop + 1;
            }
            return current;
        }

        String next() {
            String line = peek();
            current = null;
            return line;
        }
    }

    private static String withoutCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** Bytes of the UTF-8 encoding, which is what {@code tree_sizes} counts. */
    private static long utf8Length(String s) {
        long n = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && k + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(k + 1))) {
                n += 4;
                k++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The space-separated values of a field, exactly {@code expected} of them, counted before any is cut out. */
    static String[] values(String s, int expected, String what) {
        int count = count(s);
        if (count != expected) {
            throw new IllegalArgumentException(what + " has " + count + " values, expected " + expected);
        }
        return s.isEmpty() ? new String[0] : s.split(" ", -1);
    }

    /** How many space-separated values a field has. */
    static int count(String s) {
        int count = s.isEmpty() ? 0 : 1;
        for (int k = s.indexOf(' '); k >= 0; k = s.indexOf(' ', k + 1)) {
            count++;
        }
        return count;
    }

    static int[] ints(String s, int expected, String what) {
        String[] parts = values(s, expected, what);
        int[] out = new int[parts.length];
        for (int k = 0; k < parts.length; k++) {
            out[k] = StrictNumbers.parseInt(parts[k], what);
        }
        return out;
    }

    static double[] doubles(String s, int expected, String what) {
        String[] parts = values(s, expected, what);
        double[] out = new double[parts.length];
        for (int k = 0; k < parts.length; k++) {
            out[k] = StrictNumbers.parseDouble(parts[k], what);
        }
        return out;
    }
}
