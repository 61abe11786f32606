package io.riptide.trigger.store;

import java.sql.SQLException;

/** An unexpected database error, unchecked so callers decide where a job or a batch fails. */
public final class SqlException extends RuntimeException {
    public SqlException(String what, SQLException cause) {
        super(what + ": " + cause.getMessage(), cause);
    }
}
