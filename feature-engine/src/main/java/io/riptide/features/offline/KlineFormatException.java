package io.riptide.features.offline;

/** A kline file that cannot be read at all (missing columns, empty file); the message is one line naming the problem. */
public final class KlineFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KlineFormatException(String message) { super(message); }
}
