package io.riptide.serving;

/** A model artifact that must not serve; the message is the human-readable reason. */
public final class ModelRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModelRejectedException(String reason) {
        super(reason);
    }

    public ModelRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
