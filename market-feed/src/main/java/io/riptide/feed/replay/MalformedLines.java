package io.riptide.feed.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * Input lines that could not be used: counted and reported with the first few locations, never fatal and never
 * silently dropped.
 */
public final class MalformedLines {
    /** How many examples a report keeps. */
    public static final int SAMPLES = 5;

    private final List<String> samples = new ArrayList<>();
    private long count;

    public void record(String source, long lineNumber, String reason) {
        count++;
        if (samples.size() < SAMPLES) {
            samples.add(source + ":" + lineNumber + ": " + reason);
        }
    }

    public long count() {
        return count;
    }

    /** The first {@link #SAMPLES} problems as {@code file:line: reason}. */
    public List<String> samples() {
        return List.copyOf(samples);
    }

    /** One line: the count and the first examples. */
    public String summary() {
        if (count == 0) {
            return "0 malformed lines";
        }
        return count + " malformed line" + (count == 1 ? "" : "s") + ", first: " + String.join("; ", samples);
    }
}
